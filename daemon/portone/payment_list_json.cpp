#include "portone/payment_list_json.h"

#include <Poco/JSON/Array.h>

#include "portone/api_error.h"
#include "portone/json_integer.h"
#include "portone/rfc3339.h"

namespace paymentd::portone {
namespace {

using Poco::JSON::Object;

[[noreturn]] void badAnswer(const std::string& what) {
  throw TransientError(TransientError::Kind::kBadResponse, 200, "PortOne's payment list " + what);
}

}  // namespace

Object paymentListBody(const PaymentListRequest& request, const std::string& store_id) {
  Object page;
  page.set("number", request.page_number);
  page.set("size", request.page_size);
  Poco::JSON::Array statuses;
  for (const auto& status : request.statuses) statuses.add(status);
  Object filter;
  filter.set("storeId", store_id);
  filter.set("timestampType", "STATUS_CHANGED_AT");
  filter.set("from", formatRfc3339(request.from));
  filter.set("until", formatRfc3339(request.until));
  filter.set("status", statuses);
  // A fixed order, so page n of the same range is the same payments on every ask.
  filter.set("sortBy", "STATUS_CHANGED_AT");
  filter.set("sortOrder", "ASC");
  Object body;
  body.set("page", page);
  body.set("filter", filter);
  return body;
}

PaymentList paymentListFromJson(const Object& object) {
  Poco::JSON::Array::Ptr items = object.has("items") ? object.getArray("items") : nullptr;
  Object::Ptr page = object.has("page") ? object.getObject("page") : nullptr;
  if (!items || !page) badAnswer("has no 'items' array or 'page' object");
  PaymentList list;
  const auto total = page->has("totalCount") ? exactInteger(page->get("totalCount")) : std::nullopt;
  if (!total || *total < 0) badAnswer("has no page.totalCount");
  list.total_count = *total;
  for (std::size_t i = 0; i < items->size(); ++i) {
    Object::Ptr item = items->getObject(static_cast<unsigned>(i));
    if (!item) badAnswer("has an item that is not an object");
    PaymentListItem listed;
    listed.id = item->optValue<std::string>("id", "");
    if (listed.id.empty()) badAnswer("has an item without an id");
    listed.status = item->optValue<std::string>("status", "");
    if (item->has("paidAt"))
      listed.paid_at = parseRfc3339(item->optValue<std::string>("paidAt", ""));
    list.items.push_back(std::move(listed));
  }
  return list;
}

}  // namespace paymentd::portone
