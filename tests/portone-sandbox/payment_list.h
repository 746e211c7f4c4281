// portone-sandbox/payment_list.h: PortOne's GET /payments over the sandbox's payments.
#pragma once

#include "http/http_message.h"
#include "sandbox_context.h"

namespace paymentd::sandbox {

/// GetPaymentsBody from the query parameter `requestBody` (as PortOne's SDKs send it):
/// `page {number, size}` (default 0 and 10) and `filter` (storeId, status[], timestampType
/// CREATED_AT|STATUS_CHANGED_AT, from (inclusive), until (exclusive), sortBy
/// REQUESTED_AT|STATUS_CHANGED_AT, sortOrder DESC|ASC (default DESC)). Answers
/// `{items: Payment[], page: {number, size, totalCount}}`. Takes the state's lock.
http::HttpResponse listPayments(SandboxContext& context, const http::HttpRequest& request);

}  // namespace paymentd::sandbox
