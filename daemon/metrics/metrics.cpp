#include "metrics/metrics.h"

#include <prometheus/text_serializer.h>

#include "build_info.h"
#include "paymentd/version.h"

namespace paymentd::metrics {
namespace {

const prometheus::Histogram::BucketBoundaries kLatencyBuckets{0.001, 0.005, 0.01, 0.025, 0.05, 0.1,
                                                              0.25,  0.5,   1,    2.5,   5,    10};

}  // namespace

Metrics::Metrics()
    : registry_(std::make_shared<prometheus::Registry>()),
      http_requests_(prometheus::BuildCounter()
                         .Name("paymentd_http_requests_total")
                         .Help("HTTP requests answered, by route and status")
                         .Register(*registry_)),
      http_duration_(prometheus::BuildHistogram()
                         .Name("paymentd_http_request_duration_seconds")
                         .Help("Time to answer an HTTP request, by route")
                         .Register(*registry_)) {
  prometheus::BuildGauge()
      .Name("paymentd_build_info")
      .Help("The running paymentd's version and plugin API version")
      .Register(*registry_)
      .Add({{"version", kVersion},
            {"plugin_api", std::to_string(kPluginApiVersion.major) + "." +
                               std::to_string(kPluginApiVersion.minor)}})
      .Set(1);
}

std::string Metrics::render() const {
  return prometheus::TextSerializer().Serialize(registry_->Collect());
}

void Metrics::countHttpRequest(const std::string& route, int status, double seconds) {
  http_requests_.Add({{"route", route}, {"status", std::to_string(status)}}).Increment();
  http_duration_.Add({{"route", route}}, kLatencyBuckets).Observe(seconds);
}

void addMetricsRoute(http::Router& router, const Metrics& metrics) {
  router.add("GET", "/metrics", [&metrics](const http::HttpRequest&) {
    http::HttpResponse response;
    response.content_type = "text/plain; version=0.0.4; charset=utf-8";
    response.body = metrics.render();
    return response;
  });
}

}  // namespace paymentd::metrics
