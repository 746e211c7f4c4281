#include "payment_list.h"

#include <Poco/JSON/Array.h>

#include <algorithm>
#include <set>

#include "portone/rfc3339.h"
#include "portone_json.h"

namespace paymentd::sandbox {
namespace {

using Poco::JSON::Object;

http::HttpResponse invalid(const std::string& message) {
  return http::jsonResponse(400, errorBody("INVALID_REQUEST", message));
}

// The filter's PaymentStatus names a payment's status: PAY_PENDING is PENDING there.
std::string filterStatusOf(const SandboxPayment& payment) {
  return payment.status == "PAY_PENDING" ? "PENDING" : payment.status;
}

struct ListFilter {
  std::set<std::string> statuses;  // empty: any
  bool by_status_change = false;   // timestampType STATUS_CHANGED_AT (else CREATED_AT)
  std::optional<TimePoint> from;
  std::optional<TimePoint> until;
  bool sort_by_status_change = false;  // sortBy STATUS_CHANGED_AT (else REQUESTED_AT)
  bool ascending = false;
};

std::optional<TimePoint> timeOf(const Object& filter, const std::string& key, bool& bad) {
  const auto text = optText(filter, key);
  if (!text) return std::nullopt;
  auto time = portone::parseRfc3339(*text);
  if (!time) bad = true;
  return time;
}

std::optional<ListFilter> filterOf(const Object& filter, std::string& problem) {
  ListFilter parsed;
  if (auto statuses = filter.has("status") ? filter.getArray("status") : nullptr) {
    for (std::size_t i = 0; i < statuses->size(); ++i) {
      parsed.statuses.insert(statuses->getElement<std::string>(static_cast<unsigned>(i)));
    }
  }
  const std::string timestamp_type = optText(filter, "timestampType").value_or("CREATED_AT");
  const std::string sort_by = optText(filter, "sortBy").value_or("REQUESTED_AT");
  const std::string sort_order = optText(filter, "sortOrder").value_or("DESC");
  if ((timestamp_type != "CREATED_AT" && timestamp_type != "STATUS_CHANGED_AT") ||
      (sort_by != "REQUESTED_AT" && sort_by != "STATUS_CHANGED_AT") ||
      (sort_order != "DESC" && sort_order != "ASC")) {
    problem = "unknown timestampType, sortBy or sortOrder";
    return std::nullopt;
  }
  parsed.by_status_change = timestamp_type == "STATUS_CHANGED_AT";
  parsed.sort_by_status_change = sort_by == "STATUS_CHANGED_AT";
  parsed.ascending = sort_order == "ASC";
  bool bad_time = false;
  parsed.from = timeOf(filter, "from", bad_time);
  parsed.until = timeOf(filter, "until", bad_time);
  if (bad_time) {
    problem = "from and until are RFC 3339 date-times";
    return std::nullopt;
  }
  return parsed;
}

bool matches(const ListFilter& filter, const SandboxPayment& payment) {
  if (!filter.statuses.empty() && filter.statuses.count(filterStatusOf(payment)) == 0) return false;
  const TimePoint at = filter.by_status_change ? payment.status_changed_at : payment.requested_at;
  if (filter.from && at < *filter.from) return false;
  if (filter.until && at >= *filter.until) return false;
  return true;
}

}  // namespace

http::HttpResponse listPayments(SandboxContext& context, const http::HttpRequest& request) {
  Object::Ptr input = bodyObject(request.queryParam("requestBody").value_or(""));
  if (!input) return invalid("requestBody is not a JSON object");
  Object::Ptr page = input->has("page") ? input->getObject("page") : nullptr;
  const std::int64_t number = page ? optInteger(*page, "number").value_or(0) : 0;
  const std::int64_t size = page ? optInteger(*page, "size").value_or(10) : 10;
  if (number < 0 || size < 1 || size > 1000) return invalid("page.number >= 0, 1 <= page.size");
  Object::Ptr filter_json = input->has("filter") ? input->getObject("filter") : nullptr;
  std::string problem;
  const auto filter =
      filter_json ? filterOf(*filter_json, problem) : std::optional<ListFilter>(ListFilter{});
  if (!filter) return invalid(problem);
  const auto store_id = filter_json ? optText(*filter_json, "storeId") : std::nullopt;
  if (store_id && *store_id != context.options.store_id) {
    return http::jsonResponse(403, errorBody("FORBIDDEN", "요청이 거절되었습니다."));
  }

  std::lock_guard lock(context.state.mutex);
  std::vector<const SandboxPayment*> found;
  for (const auto& [id, payment] : context.state.payments) {
    if (matches(*filter, payment)) found.push_back(&payment);
  }
  // Ties keep the id order, so a page is the same payments on every ask.
  std::stable_sort(found.begin(), found.end(), [&](const auto* a, const auto* b) {
    const TimePoint at_a = filter->sort_by_status_change ? a->status_changed_at : a->requested_at;
    const TimePoint at_b = filter->sort_by_status_change ? b->status_changed_at : b->requested_at;
    return filter->ascending ? at_a < at_b : at_b < at_a;
  });
  Poco::JSON::Array items;
  const auto total = static_cast<std::int64_t>(found.size());
  for (std::int64_t i = number * size; i < std::min(total, (number + 1) * size); ++i) {
    items.add(paymentJson(*found[static_cast<std::size_t>(i)], context.options));
  }
  Object page_info;
  page_info.set("number", number);
  page_info.set("size", size);
  page_info.set("totalCount", total);
  Object answer;
  answer.set("items", items);
  answer.set("page", page_info);
  return http::jsonResponse(200, toJson(answer));
}

}  // namespace paymentd::sandbox
