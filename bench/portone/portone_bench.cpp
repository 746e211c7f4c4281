// bench/portone: what reusing connections to PortOne saves. N GET /payments/{id}
// calls from T threads against the PortOne sandbox (in this process, loopback HTTP),
// once with kept-alive connections (the daemon's default) and once with a new
// connection per call (idle_connections = 0, how paymentd called PortOne before),
// alternating rounds. Prints calls/s for each, their medians and the ratio.
// Over TLS, production's case, the saving is larger: each new connection is also a
// TLS handshake.
//
//   build/bin/portone_bench [--calls=N] [--threads=T] [--rounds=R]
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <thread>
#include <vector>

#include "clock/clock.h"
#include "portone/api_client.h"
#include "sandbox.h"

namespace {

using paymentd::portone::PortOneClient;
using paymentd::portone::PortOneClientOptions;

int argument(int argc, char** argv, const std::string& name, int fallback) {
  const std::string prefix = "--" + name + "=";
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg.rfind(prefix, 0) == 0) return std::atoi(arg.c_str() + prefix.size());
  }
  return fallback;
}

double callsPerSecond(const PortOneClient& client, int calls, int threads) {
  const auto start = std::chrono::steady_clock::now();
  std::vector<std::thread> workers;
  for (int t = 0; t < threads; ++t) {
    workers.emplace_back([&client, calls, threads] {
      for (int i = 0; i < calls / threads; ++i) client.getPayment("bench-payment");
    });
  }
  for (auto& worker : workers) worker.join();
  const std::chrono::duration<double> took = std::chrono::steady_clock::now() - start;
  return (calls / threads * threads) / took.count();
}

// The sandbox's control route: one PAID payment every call reads.
bool createPayment(std::uint16_t port) {
  Poco::Net::HTTPClientSession session("127.0.0.1", port);
  Poco::Net::HTTPRequest request(Poco::Net::HTTPRequest::HTTP_POST, "/_sandbox/payments",
                                 Poco::Net::HTTPMessage::HTTP_1_1);
  const std::string body =
      R"({"id":"bench-payment","status":"PAID","amount":59000,"method":"card"})";
  request.setContentType("application/json");
  request.setContentLength64(static_cast<Poco::Int64>(body.size()));
  session.sendRequest(request) << body;
  Poco::Net::HTTPResponse response;
  session.receiveResponse(response);
  return response.getStatus() == Poco::Net::HTTPResponse::HTTP_CREATED;
}

double median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  return values[values.size() / 2];
}

}  // namespace

int main(int argc, char** argv) {
  const int calls = argument(argc, argv, "calls", 4000);
  const int threads = argument(argc, argv, "threads", 4);
  const int rounds = argument(argc, argv, "rounds", 5);
  paymentd::sandbox::SandboxOptions sandbox_options;
  sandbox_options.threads = threads + 4;
  paymentd::sandbox::Sandbox sandbox(sandbox_options);
  sandbox.start();
  if (!createPayment(sandbox.port())) {
    std::fprintf(stderr, "the sandbox refused the payment\n");
    return 1;
  }
  const auto client = [&](std::size_t idle) {
    PortOneClientOptions options;
    options.store_id = sandbox.options().store_id;
    options.transport.api_base = sandbox.baseUrl();
    options.transport.api_secret = sandbox.options().api_secret;
    options.transport.idle_connections = idle;
    return PortOneClient(options, paymentd::SystemClock::instance());
  };
  const PortOneClient kept = client(8);
  const PortOneClient fresh = client(0);
  std::vector<double> kept_rates, fresh_rates;
  for (int round = 1; round <= rounds; ++round) {
    fresh_rates.push_back(callsPerSecond(fresh, calls, threads));
    kept_rates.push_back(callsPerSecond(kept, calls, threads));
    std::printf("round %d: new connection per call %.0f calls/s, kept-alive %.0f calls/s\n", round,
                fresh_rates.back(), kept_rates.back());
  }
  const double kept_median = median(kept_rates), fresh_median = median(fresh_rates);
  std::printf(
      "median of %d rounds x %d calls, %d threads: new connection per call %.0f calls/s, "
      "kept-alive %.0f calls/s, ratio kept/new %.2f\n",
      rounds, calls, threads, fresh_median, kept_median, kept_median / fresh_median);
  sandbox.stop();
  return 0;
}
