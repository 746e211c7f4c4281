// GET /metrics: Prometheus text with build info and per-route request counts.
#include "metrics/metrics.h"

#include <gtest/gtest.h>

#include <regex>

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

}  // namespace
}  // namespace paymentd::metrics
