// api/webhook_answer.h: the HTTP answer to PortOne for each decision, in one table.
//
// PortOne redelivers what did not get a 2xx, so the status is a decision too
// (docs/operations.md#webhook-answers): 200 for everything final, 409 to be
// redelivered later (another worker, not paid yet), 503 for our own outage,
// 401 and 400 for what is not a PortOne webhook.
#pragma once

#include "core/decision.h"
#include "http/http_message.h"

namespace paymentd::api {

int webhookHttpStatus(core::Verdict verdict);

/// `{"status": "<verdict name>", "code": "<code>"}` (no code when empty).
http::HttpResponse webhookAnswer(const core::Decision& decision);

}  // namespace paymentd::api
