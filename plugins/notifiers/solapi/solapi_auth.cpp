#include "solapi_auth.h"

#include <Poco/DigestEngine.h>
#include <Poco/HMACEngine.h>
#include <Poco/SHA2Engine.h>

namespace paymentd::notifiers {
namespace {

// Poco's HMACEngine needs the block and digest sizes as constants.
class Sha256 : public Poco::SHA2Engine {
 public:
  enum { BLOCK_SIZE = 64, DIGEST_SIZE = 32 };
  Sha256() : Poco::SHA2Engine(Poco::SHA2Engine::SHA_256) {}
};

}  // namespace

std::string solapiSignature(const std::string& api_secret, const std::string& date,
                            const std::string& salt) {
  Poco::HMACEngine<Sha256> hmac(api_secret);
  hmac.update(date + salt);
  return Poco::DigestEngine::digestToHex(hmac.digest());
}

std::string solapiAuthorization(const std::string& api_key, const std::string& api_secret,
                                const std::string& date, const std::string& salt) {
  return "HMAC-SHA256 apiKey=" + api_key + ", date=" + date + ", salt=" + salt +
         ", signature=" + solapiSignature(api_secret, date, salt);
}

}  // namespace paymentd::notifiers
