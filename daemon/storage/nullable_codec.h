// storage/nullable_codec.h: NULL columns as std::optional. Poco Data binds
// and reads NULL through Poco::Nullable; the store's types use std::optional.
#pragma once

#include <Poco/Nullable.h>

#include <optional>

namespace paymentd::storage {

template <typename T>
Poco::Nullable<T> toNullable(const std::optional<T>& value) {
  return value ? Poco::Nullable<T>(*value) : Poco::Nullable<T>();
}

template <typename T>
std::optional<T> fromNullable(const Poco::Nullable<T>& value) {
  if (value.isNull()) return std::nullopt;
  return value.value();
}

}  // namespace paymentd::storage
