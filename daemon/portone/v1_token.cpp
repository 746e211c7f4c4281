#include "portone/v1_token.h"

#include <Poco/JSON/Object.h>

#include <sstream>

#include "portone/api_error.h"
#include "portone/v1_json.h"

namespace paymentd::portone {

V1TokenSource::V1TokenSource(const ApiTransport& transport, std::string imp_key,
                             std::string imp_secret, const Clock& clock,
                             std::chrono::seconds refresh_margin)
    : transport_(transport),
      imp_key_(std::move(imp_key)),
      imp_secret_(std::move(imp_secret)),
      clock_(clock),
      refresh_margin_(refresh_margin) {}

std::string V1TokenSource::token() const {
  std::lock_guard lock(mutex_);
  if (!token_.empty() && clock_.now() < valid_until_) return token_;
  Poco::JSON::Object input;
  input.set("imp_key", imp_key_);
  input.set("imp_secret", imp_secret_);
  std::ostringstream body;
  input.stringify(body);
  // getToken takes no token: an empty Authorization instead of the V2 secret.
  const auto answer =
      v1Object(v1Response(transport_.call({"POST", "/users/getToken", body.str(), "", ""})));
  std::string token;
  if (answer->has("access_token") && answer->get("access_token").isString()) {
    token = answer->getValue<std::string>("access_token");
  }
  const std::int64_t expired_at = v1Integer(*answer, "expired_at");
  const std::int64_t server_now = v1Integer(*answer, "now");
  if (token.empty() || expired_at <= server_now) {
    throw TransientError(TransientError::Kind::kBadResponse, 200,
                         "PortOne V1's token answer has no token or lifetime");
  }
  token_ = token;
  valid_until_ = clock_.now() + std::chrono::seconds(expired_at - server_now) - refresh_margin_;
  return token_;
}

void V1TokenSource::discard(const std::string& rejected) const {
  std::lock_guard lock(mutex_);
  if (token_ == rejected) token_.clear();
}

}  // namespace paymentd::portone
