// GET /metrics: Prometheus text with build info and per-route request counts.
#include "metrics/metrics.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <ctime>
#include <regex>

#include "support/subprocess.h"
#include "support/temp_dir.h"
#include "support/test_servers.h"

namespace paymentd::metrics {
namespace {

http::HttpRequest get(const std::string& path) {
  http::HttpRequest request;
  request.method = "GET";
  request.path = path;
  return request;
}

TEST(Metrics, CountsRequestsByRoutePatternNotByRawPath) {
  Metrics metrics;
  http::Router router;
  addMetricsRoute(router, metrics);
  router.add("GET", "/api/v1/payment/check/*",
             [](const http::HttpRequest&) { return http::jsonResponse(200, "{}"); });
  router.setObserver([&](const std::string& route, int status, double seconds) {
    metrics.countHttpRequest(route, status, seconds);
  });
  router.dispatch(get("/api/v1/payment/check/pay-1"));
  router.dispatch(get("/api/v1/payment/check/pay-2"));
  router.dispatch(get("/nope"));

  http::HttpResponse response = router.dispatch(get("/metrics"));
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.content_type, "text/plain; version=0.0.4; charset=utf-8");
  const std::string& text = response.body;
  EXPECT_NE(
      text.find("paymentd_http_requests_total{route=\"/api/v1/payment/check/*\",status=\"200\"} 2"),
      std::string::npos)
      << text;
  EXPECT_NE(text.find("paymentd_http_requests_total{route=\"unmatched\",status=\"404\"} 1"),
            std::string::npos);
  EXPECT_EQ(text.find("pay-1"), std::string::npos) << "a payment id leaked into a label";
  EXPECT_TRUE(std::regex_search(
      text, std::regex(R"(paymentd_build_info\{plugin_api="1\.2",version="[0-9.]+"\} 1)")))
      << text;
  EXPECT_NE(text.find("paymentd_http_request_duration_seconds_bucket{route=\"/api/v1/payment/check/"
                      "*\",le=\"0.001\"}"),
            std::string::npos);
}

std::size_t count(const std::string& text, const std::string& needle) {
  std::size_t found = 0;
  for (auto at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) {
    ++found;
  }
  return found;
}

// Whatever the callers pass (a signed webhook's type, PortOne's error type, a plugin's failure
// code), every label keeps to a closed set: a value outside it is counted as "other", so
// /metrics cannot grow with what clients send.
TEST(Metrics, EveryLabelValueComesFromAClosedSet) {
  Metrics metrics(KnownLabels{{"Transaction.Paid"},
                              {"PAYMENT_NOT_FOUND"},
                              {"fulfilled"},
                              {"get_payment", "cancel_payment"}});
  for (int i = 0; i < 2000; ++i) {
    const std::string hostile = "hostile-" + std::to_string(i);
    const std::string code = "HOSTILE_" + std::to_string(i);
    metrics.countHttpRequest("/" + hostile, 1000 + i, 0.01);
    metrics.countWebhook(hostile, hostile);
    metrics.observeStage(hostile, 0.01);
    metrics.countRefund(code, hostile);
    metrics.observePluginCall(hostile + "@1.0.0", 0.01);
    metrics.countPortOneCall(hostile, code);
    metrics.countReconciled(hostile, hostile);
  }
  metrics.countWebhook("Transaction.Paid", "fulfilled");
  metrics.countPortOneCall("get_payment", "PAYMENT_NOT_FOUND");

  const std::string text = metrics.render();
  EXPECT_LT(text.size(), 200u * 1024) << "labels grew with the input";
  EXPECT_NE(text.find(R"(paymentd_webhooks_total{outcome="other",type="other"} 2000)"),
            std::string::npos)
      << text.substr(0, 4000);
  EXPECT_NE(text.find(R"(paymentd_webhooks_total{outcome="fulfilled",type="Transaction.Paid"} 1)"),
            std::string::npos);
  EXPECT_NE(text.find(R"(paymentd_portone_calls_total{endpoint="other",outcome="other"} 2000)"),
            std::string::npos);
  EXPECT_NE(
      text.find(
          R"(paymentd_portone_calls_total{endpoint="get_payment",outcome="PAYMENT_NOT_FOUND"} 1)"),
      std::string::npos);
  EXPECT_NE(text.find(R"(paymentd_reconciled_total{outcome="other",reason="other"} 2000)"),
            std::string::npos);
  EXPECT_NE(text.find(R"(paymentd_stage_duration_seconds_count{stage="other"} 2000)"),
            std::string::npos);
  // Routes, plugins and failure codes are named by code and config, not by clients: the
  // first few distinct ones are kept, the rest is "other".
  EXPECT_LE(count(text, "paymentd_http_requests_total{"), 17u);
  EXPECT_LE(count(text, "paymentd_plugin_call_duration_seconds_count{"), 33u);
  // 64 codes and `other`, plus the two results initialised at 0 under `other`.
  EXPECT_LE(count(text, "paymentd_refunds_total{"), 67u);
  EXPECT_NE(text.find(R"(paymentd_refunds_total{reason="other",result="other"})"),
            std::string::npos);
  EXPECT_EQ(text.find("status=\"1"), std::string::npos) << "a status outside 200..599";
}

// Alerts need a series before the first event: the known label sets start at 0.
TEST(Metrics, StartsTheKnownSeriesAtZero) {
  Metrics metrics(KnownLabels{{"Transaction.Paid", "Transaction.Ready"},
                              {},
                              {"fulfilled", "refunded"},
                              {"cancel_payment", "create_payment_schedule"}});
  const std::string text = metrics.render();
  for (const char* series :
       {R"(paymentd_reconciled_total{outcome="refunded",reason="unfinished_refund"} 0)",
        R"(paymentd_reconciled_total{outcome="fulfilled",reason="overdue_schedule"} 0)",
        R"(paymentd_webhooks_total{outcome="refunded",type="Transaction.Paid"} 0)",
        R"(paymentd_refunds_total{reason="other",result="failed"} 0)",
        R"(paymentd_portone_calls_total{endpoint="cancel_payment",outcome="transient"} 0)",
        R"(paymentd_portone_calls_total{endpoint="create_payment_schedule",outcome="ok"} 0)"}) {
    EXPECT_NE(text.find(series), std::string::npos) << series << "\n" << text;
  }
  EXPECT_EQ(text.find(R"(type="Transaction.Ready")"), std::string::npos)
      << "only the types alerts watch are initialised";
}

// The process_* metrics every Prometheus client exports, with this process's values.
TEST(Metrics, ExportsTheProcessMetrics) {
  const std::string text = Metrics().render();
  for (const char* name :
       {"# TYPE process_cpu_seconds_total counter", "process_resident_memory_bytes ",
        "process_virtual_memory_bytes ", "process_open_fds ", "process_max_fds ",
        "process_start_time_seconds "}) {
    EXPECT_NE(text.find(name), std::string::npos) << name << "\n" << text;
  }
  const auto start = text.find("\nprocess_start_time_seconds ");
  ASSERT_NE(start, std::string::npos);
  const double started = std::stod(text.substr(start + 28));
  const double now = static_cast<double>(std::time(nullptr));
  EXPECT_GT(started, now - 3600) << "started within the last hour (this test's process)";
  EXPECT_LE(started, now + 1);
}

// Prometheus' own linter on a scrape with every family in use (CI installs promtool).
TEST(Metrics, PassesPromtoolsCheck) {
  if (std::system("command -v promtool >/dev/null 2>&1") != 0) {
    if (testing::serversRequired()) FAIL() << "promtool is not installed (scripts/setup.sh)";
    GTEST_SKIP() << "promtool is not installed";
  }
  Metrics metrics(KnownLabels{{"Transaction.Paid"},
                              {"PAYMENT_NOT_FOUND"},
                              {"fulfilled"},
                              {"get_payment", "cancel_payment"}});
  metrics.countHttpRequest("/healthz", 200, 0.01);
  metrics.countWebhook("Transaction.Paid", "fulfilled");
  metrics.observeStage("lock", 0.01);
  metrics.countRefund("AMOUNT_MISMATCH", "done");
  metrics.countLockContention();
  metrics.observePluginCall("amount@1.0.0", 0.01);
  metrics.setOutboxCounts(1, 0);
  metrics.countPortOneCall("get_payment", "ok");
  metrics.countReconciled("overdue_schedule", "fulfilled");
  testing::TempDir dir;
  const std::string scrape = dir.write("metrics.txt", metrics.render());
  const auto checked =
      testing::runProcess("/bin/sh", {"-c", "promtool check metrics < '" + scrape + "' 2>&1"});
  EXPECT_EQ(checked.exit_code, 0) << checked.out;
  EXPECT_EQ(checked.out, "") << "promtool's warnings";
}

TEST(Metrics, KeepsARefundReasonOnlyInTheShapeOfAFailureCode) {
  Metrics metrics;
  metrics.countRefund("AMOUNT_MISMATCH", "done");
  metrics.countRefund("amount mismatch for user 42", "done");
  const std::string text = metrics.render();
  EXPECT_NE(text.find(R"(paymentd_refunds_total{reason="AMOUNT_MISMATCH",result="done"} 1)"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find(R"(paymentd_refunds_total{reason="other",result="done"} 1)"),
            std::string::npos);
}

}  // namespace
}  // namespace paymentd::metrics
