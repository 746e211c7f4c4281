#include "cli/operator_command.h"

#include <Poco/Environment.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/UUIDGenerator.h>

#include <map>
#include <ostream>

#include "cli/database_errors.h"
#include "cli/exit_codes.h"
#include "cli/whole_number.h"
#include "clock/clock.h"
#include "lifecycle/operator_service.h"
#include "lock/payment_lock.h"
#include "portone/api_client.h"
#include "portone/v2_gateway.h"
#include "storage/migrations.h"
#include "storage/storage_config.h"

namespace paymentd::cli {
namespace {

using lifecycle::Operation;

constexpr std::chrono::milliseconds kLockTtl{60000};

const std::map<std::pair<std::string, std::string>, Operation>& commands() {
  static const std::map<std::pair<std::string, std::string>, Operation> kCommands = {
      {{"user", "show"}, Operation::kShowUser},
      {{"subscription", "show"}, Operation::kShowSubscription},
      {{"subscription", "cancel"}, Operation::kCancel},
      {{"subscription", "resume"}, Operation::kResume},
      {{"subscription", "card"}, Operation::kChangeCard},
      {{"subscription", "retry"}, Operation::kRetry},
      {{"payment", "refund"}, Operation::kRefund},
  };
  return kCommands;
}

std::string defaultActor() {
  for (const char* name : {"SUDO_USER", "USER", "LOGNAME"}) {
    const std::string value = Poco::Environment::get(name, "");
    if (!value.empty()) return "cli:" + value;
  }
  return "cli";
}

// The API's error as one line: "CODE: message".
std::string errorLine(const std::string& body) {
  try {
    Poco::JSON::Parser parser;
    const auto root = parser.parse(body).extract<Poco::JSON::Object::Ptr>();
    const auto error = root->getObject("error");
    return error->getValue<std::string>("code") + ": " + error->getValue<std::string>("message");
  } catch (const std::exception&) {
    return body;
  }
}

}  // namespace

bool isOperatorCommand(const std::vector<std::string>& args) {
  return !args.empty() &&
         (args.front() == "user" || args.front() == "subscription" || args.front() == "payment");
}

int runOperatorCommand(const config::Config& config, const std::vector<std::string>& args,
                       const OperatorArgs& options, std::ostream& out, std::ostream& err) {
  const auto command = args.size() >= 2 ? commands().find({args[0], args[1]}) : commands().end();
  if (command == commands().end() || args.size() != 3) {
    err << "paymentd: usage: user show USER_ID | subscription show|cancel|resume|card|retry ID | "
           "payment refund PAYMENT_ID (see --help)\n";
    return kExitUsage;
  }
  lifecycle::OperatorCall call;
  call.operation = command->second;
  call.target = args[2];
  const bool write = lifecycle::isWrite(call.operation);
  if (!write && (options.reason || options.at || options.amount || options.billing_key)) {
    err << "paymentd: " << args[0] << " " << args[1] << " takes no --reason, --at, --amount or "
        << "--billing-key\n";
    return kExitUsage;
  }
  if ((options.at && call.operation != Operation::kCancel) ||
      (options.amount && call.operation != Operation::kRefund) ||
      (options.billing_key && call.operation != Operation::kChangeCard)) {
    err << "paymentd: --at is for cancel, --amount for refund, --billing-key for card\n";
    return kExitUsage;
  }
  call.at = options.at;
  call.billing_key = options.billing_key;
  if (options.amount) {
    const auto amount = parseWholeNumber(*options.amount, 13);
    if (!amount) {
      err << "paymentd: --amount must be a whole number of KRW\n";
      return kExitUsage;
    }
    call.amount = *amount;
  }
  call.reason = options.reason.value_or("");
  call.actor = options.actor.value_or(defaultActor());
  call.idempotency_key = options.idempotency_key.value_or(
      "cli-" + Poco::UUIDGenerator::defaultGenerator().createRandom().toString());

  lifecycle::OperatorReply reply;
  const int done = answeringDatabaseErrors(err, [&] {
    auto database = storage::Database::open(config.storage, storage::databaseOptions(config));
    storage::migrate(*database);
    const portone::PortOneClient client(portone::PortOneClient::optionsFromConfig(config.portone),
                                        SystemClock::instance());
    const portone::V2Gateway gateway(client);
    auto lock = lock::makePaymentLock(config.lock, lock::LockOptions{});
    const lifecycle::OperatorService operators(
        lifecycle::LifecycleParts{*database, SystemClock::instance(), gateway}, *lock, kLockTtl);
    reply = operators.handle(call);
    return kExitOk;
  });
  if (done != kExitOk) return done;
  if (reply.status == 200) {
    out << reply.body << "\n";
    return kExitOk;
  }
  err << "paymentd: " << errorLine(reply.body) << "\n";
  // A request the API calls malformed (no reason, a bad --at) is a usage error here.
  if (reply.status == 400) return kExitUsage;
  return reply.status == 503 ? kExitUnavailable : kExitFailed;
}

}  // namespace paymentd::cli
