#include "lifecycle/user_lookup.h"

#include "storage/errors.h"
#include "storage/transaction.h"

namespace paymentd::lifecycle {

namespace {
constexpr std::size_t kPaymentsShown = 100;
}  // namespace

OperationResult<UserView> lookUpUser(storage::Database& database, const std::string& user_id) {
  try {
    storage::Transaction transaction(database, storage::Connection::Access::kRead);
    UserView view;
    view.user_id = user_id;
    for (auto& record : transaction.subscriptions().ofUser(user_id)) {
      view.subscriptions.push_back(viewOf(transaction, std::move(record)));
    }
    view.payments = storage::paymentsOfUser(transaction.connection(), user_id, kPaymentsShown);
    if (view.subscriptions.empty() && view.payments.empty()) {
      return refused(Refusal::Kind::kNotFound, "USER_NOT_FOUND",
                     "paymentd has no subscription and no payment of user " + user_id);
    }
    return view;
  } catch (const storage::Transient& e) {
    return refused(Refusal::Kind::kUnavailable, "DATABASE_UNAVAILABLE", e.what());
  }
}

}  // namespace paymentd::lifecycle
