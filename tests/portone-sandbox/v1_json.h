// portone-sandbox/v1_json.h: PortOne V1's JSON shapes: the envelope and its Payment.
#pragma once

#include <Poco/Dynamic/Var.h>
#include <Poco/JSON/Object.h>

#include <string>

#include "http/http_message.h"
#include "v1_state.h"

namespace paymentd::sandbox {

/// {"code": 0, "message": null, "response": RESPONSE} with HTTP 200.
http::HttpResponse v1Ok(const Poco::Dynamic::Var& response);
/// {"code": CODE, "message": MESSAGE, "response": null} with HTTP `status` (V1 answers
/// most refusals with 200 and a code other than 0).
http::HttpResponse v1Error(int status, int code, const std::string& message);
Poco::JSON::Object v1PaymentJson(const V1Payment& payment);
Poco::JSON::Object v1ScheduleJson(const V1Schedule& schedule);

}  // namespace paymentd::sandbox
