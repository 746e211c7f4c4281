#include "storage/coupon_book.h"

#include "storage/time_codec.h"

namespace paymentd::storage {

void issueCoupon(Database& database, const NewCoupon& coupon) {
  using Poco::Data::Keywords::bind;
  using Poco::Data::Keywords::useRef;
  Poco::Nullable<Poco::Int64> expires;
  if (coupon.expires_at) expires = toMicros(*coupon.expires_at);
  database.withConnection(
      [&](Connection& connection) {
        connection.run(
            "INSERT INTO coupons (id, user_id, discount, expires_at_us, created_at_us) VALUES ($1, "
            "$2, $3, $4, $5)",
            [&](Poco::Data::Statement& s) {
              s, useRef(coupon.id), useRef(coupon.user_id),
                  bind(static_cast<Poco::Int64>(coupon.discount)), bind(expires),
                  bind(toMicros(database.now()));
            });
      },
      false);
}

}  // namespace paymentd::storage
