// solapi_auth.h: Solapi's API-key authorization header (HMAC-SHA256):
//   Authorization: HMAC-SHA256 apiKey=KEY, date=ISO8601, salt=SALT, signature=HEX
// where signature = hex(HMAC-SHA256(api_secret, date + salt)).
#pragma once

#include <string>

namespace paymentd::notifiers {

std::string solapiSignature(const std::string& api_secret, const std::string& date,
                            const std::string& salt);
std::string solapiAuthorization(const std::string& api_key, const std::string& api_secret,
                                const std::string& date, const std::string& salt);

}  // namespace paymentd::notifiers
