#include "metrics/label_values.h"

namespace paymentd::metrics {

LabelValues::LabelValues(std::set<std::string> values, std::size_t capacity,
                         std::function<bool(const std::string&)> shape)
    : values_(std::move(values)), capacity_(capacity), shape_(std::move(shape)) {}

LabelValues LabelValues::closed(std::vector<std::string> values) {
  return LabelValues(std::set<std::string>(values.begin(), values.end()), 0, {});
}

LabelValues LabelValues::firstSeen(std::size_t capacity,
                                   std::function<bool(const std::string&)> shape) {
  return LabelValues({}, capacity, std::move(shape));
}

std::string LabelValues::operator()(const std::string& value) const {
  std::lock_guard<std::mutex> lock(mutex_);
  if (values_.count(value) != 0) return value;
  if (values_.size() < capacity_ && (!shape_ || shape_(value))) {
    values_.insert(value);
    return value;
  }
  return kOtherLabel;
}

}  // namespace paymentd::metrics
