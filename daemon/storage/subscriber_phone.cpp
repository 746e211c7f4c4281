#include "storage/subscriber_phone.h"

#include <Poco/Nullable.h>

#include "storage/connection.h"

namespace paymentd::storage {

using Poco::Data::Keywords::bind;
using Poco::Data::Keywords::into;

std::optional<std::string> subscriberPhone(Database& database, std::int64_t subscription_id) {
  return database.withConnection(
      [&](Connection& connection) -> std::optional<std::string> {
        Poco::Nullable<std::string> phone;
        const std::size_t rows =
            connection.run("SELECT recipient_phone FROM subscriptions WHERE id = $1",
                           [&](Poco::Data::Statement& s) {
                             s, bind(static_cast<Poco::Int64>(subscription_id)), into(phone);
                           });
        if (rows == 0 || phone.isNull() || phone.value().empty()) return std::nullopt;
        return phone.value();
      },
      true);
}

}  // namespace paymentd::storage
