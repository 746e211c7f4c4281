// portone/payment_list_json.h: GET /payments' request body and its answer.
//
// PortOne takes a GET's body as the URL-encoded query parameter `requestBody`
// (as its SDKs send it). The answer's items are whole Payment objects; only the
// id, status and paidAt are read, and an unknown status stays as named.
#pragma once

#include <Poco/JSON/Object.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "paymentd/payment.h"

namespace paymentd::portone {

/// A page of the store's payments in some statuses, by when their status last
/// changed (`timestampType: STATUS_CHANGED_AT`), oldest first.
struct PaymentListRequest {
  std::vector<std::string> statuses{"PAID"};  // PortOne's PaymentStatus filter names
  Timestamp from;                             // inclusive
  Timestamp until;                            // exclusive
  std::int64_t page_number = 0;               // 0-based
  std::int64_t page_size = 100;
};

struct PaymentListItem {
  std::string id;
  std::string status;
  std::optional<Timestamp> paid_at;
};

struct PaymentList {
  std::vector<PaymentListItem> items;
  std::int64_t total_count = 0;  // page.totalCount: matches on all pages
};

/// The `requestBody` JSON of GET /payments (GetPaymentsBody: `page`, `filter`).
Poco::JSON::Object paymentListBody(const PaymentListRequest& request, const std::string& store_id);

/// @throws TransientError(kBadResponse) when `items` or `page` is missing or an
/// item has no id.
PaymentList paymentListFromJson(const Poco::JSON::Object& object);

}  // namespace paymentd::portone
