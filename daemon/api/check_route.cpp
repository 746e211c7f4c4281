#include "api/check_route.h"

#include <Poco/JSON/Object.h>

#include <sstream>

#include "api/final_checks.h"
#include "paymentd/outbox.h"
#include "portone/payment_id.h"
#include "storage/errors.h"
#include "storage/payment_log.h"

namespace paymentd::api {
namespace {

constexpr const char* kPrefix = "/api/v1/payment/check/";
constexpr std::size_t kFinalChecksKept = 50000;  // about 5 MB

}  // namespace

void addCheckRoute(http::Router& router, storage::Database& database) {
  auto finals = std::make_shared<FinalChecks>(kFinalChecksKept);
  router.add(
      "GET", std::string(kPrefix) + "*", [&database, finals](const http::HttpRequest& request) {
        const std::string id = request.path.substr(std::string(kPrefix).size());
        if (!portone::isPaymentId(id))
          return http::errorResponse(400, "BAD_PAYMENT_ID", "not a payment id");
        // A renewal's id is paymentd's own and guessable; no browser ever made it.
        // Every such id gets the same answer, so none tells a decline history.
        if (parseScheduledPaymentId(id)) {
          return http::errorResponse(404, "NOT_A_BROWSER_PAYMENT",
                                     "the check API answers for payments made in a browser");
        }
        std::optional<storage::PaymentCheck> check = finals->find(id);
        if (!check) {
          try {
            check = storage::PaymentLog(database).check(id);
          } catch (const storage::Error&) {
            return http::errorResponse(503, "UNAVAILABLE", "try again");
          }
          finals->remember(id, *check);
        }
        // Only what the browser needs: nothing personal, no amounts, no card.
        Poco::JSON::Object data(Poco::JSON_PRESERVE_KEY_ORDER);
        data.set("paymentId", id);
        data.set("status", storage::checkStatusName(check->status));
        data.set("paymentType", check->payment_type ? Poco::Dynamic::Var(*check->payment_type)
                                                    : Poco::Dynamic::Var());
        data.set("reason",
                 check->reason ? Poco::Dynamic::Var(*check->reason) : Poco::Dynamic::Var());
        data.set("refunded", check->refunded);
        Poco::JSON::Object root;
        root.set("data", data);
        std::ostringstream out;
        root.stringify(out);
        http::HttpResponse response = http::jsonResponse(200, out.str());
        response.headers.emplace_back("Cache-Control", "no-store");
        return response;
      });
}

}  // namespace paymentd::api
