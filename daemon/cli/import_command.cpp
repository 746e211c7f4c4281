#include "cli/import_command.h"

#include <ostream>

#include "cli/database_errors.h"
#include "cli/exit_codes.h"
#include "cli/whole_number.h"
#include "clock/clock.h"
#include "paymentd/calendar.h"
#include "paymentd/outbox.h"
#include "portone/payment_id.h"
#include "portone/rfc3339.h"
#include "storage/errors.h"
#include "storage/migrations.h"
#include "storage/storage_config.h"
#include "storage/transaction.h"

namespace paymentd::cli {
namespace {

constexpr std::int64_t kMaxPrice = 1'000'000'000'000;

std::optional<std::int64_t> parsePrice(const std::string& text) {
  const auto value = parseWholeNumber(text, 13);
  if (!value || *value <= 0 || *value > kMaxPrice) return std::nullopt;
  return value;
}

// Why the arguments cannot be imported, before the database is opened; "" when they can.
std::string usageProblem(const ImportArgs& args) {
  for (const auto& [name, value] :
       {std::pair{"--user", &args.user}, std::pair{"--plan", &args.plan},
        std::pair{"--customer-uid", &args.customer_uid},
        std::pair{"--period-end", &args.period_end}}) {
    if (!value->has_value() || (*value)->empty()) {
      return std::string("subscription import needs ") + name;
    }
  }
  // A customer_uid is V1's billing key: the shape of a payment id.
  if (!portone::isPaymentId(*args.customer_uid)) {
    return "--customer-uid must be 1-238 visible characters without / \" \\";
  }
  if (!portone::parseRfc3339(*args.period_end)) {
    return "--period-end must be an RFC 3339 time, such as 2026-07-01T00:00:00+09:00";
  }
  if (args.price && !parsePrice(*args.price)) {
    return "--price must be a whole number of KRW from 1 to " + std::to_string(kMaxPrice);
  }
  return "";
}

struct Imported {
  std::int64_t id = 0;
  bool created = false;
};

// The one transaction. @throws std::runtime_error with the refusal's text.
Imported importInTransaction(storage::Database& database, const ImportArgs& args,
                             Timestamp period_end) {
  storage::Transaction transaction(database);
  StoreWriter& store = transaction.store();
  const auto plan = store.plan(*args.plan);
  if (!plan) throw std::runtime_error(plan.error().message());
  if (!plan->has_value()) {
    throw std::runtime_error("no plan '" + *args.plan + "' in the catalog");
  }
  const Plan& found = **plan;
  if (found.trial || found.months != 1) {
    throw std::runtime_error("plan '" + found.id + "' is not monthly: only monthly plans renew");
  }
  if (const auto existing =
          transaction.subscriptions().findImported(*args.user, found.id, *args.customer_uid)) {
    return {*existing, false};
  }
  const auto created = store.createSubscription(
      NewSubscription{*args.user, found.id, false, *args.customer_uid, addMonths(period_end, -1),
                      period_end, std::nullopt});
  if (!created) {
    throw std::runtime_error("user '" + *args.user + "' cannot get a subscription of plan '" +
                             found.id +
                             "' (one live subscription per plan): " + created.error().message());
  }
  const std::int64_t id = *created;
  transaction.subscriptions().setPortOneV1(id);  // before the schedule: it goes through V1
  SchedulePaymentRequest renewal =
      renewalSchedule(id, 1, *args.user, *args.customer_uid, found, period_end);
  if (args.price) renewal.amount = *parsePrice(*args.price);
  const Outcome scheduled = store.schedulePayment(renewal);
  if (!scheduled.isOk()) throw std::runtime_error(scheduled.message());
  transaction.subscriptions().record(storage::SubscriptionEvent{
      id, SystemClock::instance().now(), "import", args.actor.value_or("cli"),
      "a PortOne V1 subscriber brought in",
      "next renewal " + scheduledPaymentId(id, 1, 1) + " through V1 at " +
          portone::formatRfc3339(period_end) + " for " + std::to_string(renewal.amount) + " KRW"});
  transaction.commit();
  return {id, true};
}

}  // namespace

bool isImportCommand(const std::vector<std::string>& args) {
  return args == std::vector<std::string>{"subscription", "import"};
}

int importSubscription(const config::Config& config, const ImportArgs& args, std::ostream& out,
                       std::ostream& err) {
  if (const std::string problem = usageProblem(args); !problem.empty()) {
    err << "paymentd: " << problem << "\n";
    return kExitUsage;
  }
  if (!config.portone.v1) {
    err << "paymentd: subscription import needs portone.v1 in the config: V1 subscriptions "
           "renew through PortOne's V1 API\n";
    return kExitFailed;
  }
  Imported imported;
  const int done = answeringDatabaseErrors(err, [&] {
    auto database = storage::Database::open(config.storage, storage::databaseOptions(config));
    storage::migrate(*database);
    imported = importInTransaction(*database, args, *portone::parseRfc3339(*args.period_end));
    return kExitOk;
  });
  if (done != kExitOk) return done;
  out << imported.id << "\n";
  return kExitOk;
}

}  // namespace paymentd::cli
