#include "api/webhook_answer.h"

#include <Poco/JSON/Object.h>

#include <sstream>

namespace paymentd::api {

int webhookHttpStatus(core::Verdict verdict) {
  switch (verdict) {
    case core::Verdict::kFulfilled:
    case core::Verdict::kAlreadyFulfilled:
    case core::Verdict::kRefunded:
    case core::Verdict::kRefundFailed:
    case core::Verdict::kCancelled:
    case core::Verdict::kDeclined:
    case core::Verdict::kStale:
    case core::Verdict::kIgnored:
    case core::Verdict::kNotFound:
      return 200;
    case core::Verdict::kNotPaid:
    case core::Verdict::kLockedElsewhere:
      return 409;
    case core::Verdict::kUnavailable:
      return 503;
    case core::Verdict::kBadSignature:
      return 401;
    case core::Verdict::kMalformed:
    case core::Verdict::kForeignStore:
      return 400;
  }
  return 503;
}

http::HttpResponse webhookAnswer(const core::Decision& decision) {
  Poco::JSON::Object body(Poco::JSON_PRESERVE_KEY_ORDER);
  body.set("status", std::string(core::verdictName(decision.verdict)));
  if (!decision.code.empty()) body.set("code", decision.code);
  std::ostringstream out;
  body.stringify(out);
  return http::jsonResponse(webhookHttpStatus(decision.verdict), out.str());
}

}  // namespace paymentd::api
