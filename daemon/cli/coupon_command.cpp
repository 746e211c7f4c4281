#include "cli/coupon_command.h"

#include <Poco/UUIDGenerator.h>

#include <ostream>

#include "cli/database_errors.h"
#include "cli/exit_codes.h"
#include "cli/whole_number.h"
#include "storage/coupon_book.h"
#include "storage/migrations.h"
#include "storage/storage_config.h"

namespace paymentd::cli {
namespace {

constexpr std::int64_t kMaxDiscount = 1'000'000'000'000;

std::optional<std::int64_t> parseDiscount(const std::string& text) {
  const auto value = parseWholeNumber(text, 13);
  if (!value || *value > kMaxDiscount) return std::nullopt;
  return value;
}

std::string randomCouponId() {
  std::string uuid = Poco::UUIDGenerator::defaultGenerator().createRandom().toString();
  std::erase(uuid, '-');
  return "cpn-" + uuid.substr(0, 20);
}

}  // namespace

int issueCoupon(const config::Config& config, const CouponIssueArgs& args, std::ostream& out,
                std::ostream& err) {
  if (!args.user || args.user->empty()) {
    err << "paymentd: coupon issue needs --user=USER\n";
    return kExitFailed;
  }
  const auto discount = args.discount ? parseDiscount(*args.discount) : std::nullopt;
  if (!discount) {
    err << "paymentd: coupon issue needs --discount=WON, a whole number from 0 to " << kMaxDiscount
        << "\n";
    return kExitFailed;
  }
  if (args.id && args.id->empty()) {
    err << "paymentd: --id must not be empty\n";
    return kExitFailed;
  }
  const std::string id = args.id ? *args.id : randomCouponId();
  const int issued = answeringDatabaseErrors(err, [&] {
    auto database = storage::Database::open(config.storage, storage::databaseOptions(config));
    storage::migrate(*database);
    try {
      storage::issueCoupon(*database, {id, *args.user, *discount, std::nullopt});
    } catch (const storage::Duplicate&) {
      err << "paymentd: coupon " << id << " already exists\n";
      return kExitFailed;
    }
    return kExitOk;
  });
  if (issued != kExitOk) return issued;
  out << id << "\n";
  return kExitOk;
}

}  // namespace paymentd::cli
