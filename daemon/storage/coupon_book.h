// storage/coupon_book.h: issuing coupons (the `paymentd coupon issue` command;
// the surrounding application may also insert into `coupons` directly, see
// docs/schema.md).
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "storage/database.h"

namespace paymentd::storage {

struct NewCoupon {
  std::string id;
  std::string user_id;
  std::int64_t discount = 0;  // KRW off the total
  std::optional<Timestamp> expires_at;
};

/// Throws Duplicate when a coupon with this id exists.
void issueCoupon(Database& database, const NewCoupon& coupon);

}  // namespace paymentd::storage
