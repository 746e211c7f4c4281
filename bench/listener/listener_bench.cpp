// listener_bench: how long a well-behaved request waits while many clients stall.
//
// Starts paymentd's HTTP listener (http.threads handler threads) with one route, then
// measures the latency of --requests requests, each on a new connection, first with no
// other client (the baseline, in the same run) and then while --stalled connections trickle
// their header one byte every 500 ms. Prints p50/p99/max of both and their ratio.
//   build/bin/listener_bench [--stalled=1000] [--requests=200] [--threads=16]
#include <Poco/Net/SocketAddress.h>
#include <Poco/Net/StreamSocket.h>
#include <sys/resource.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <iostream>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "http/http_server.h"

namespace {

using Clock = std::chrono::steady_clock;

int option(int argc, char** argv, const std::string& name, int fallback) {
  const std::string prefix = "--" + name + "=";
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg.rfind(prefix, 0) == 0) return std::stoi(arg.substr(prefix.size()));
  }
  return fallback;
}

void raiseFileLimit() {
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) == 0) {
    limit.rlim_cur = limit.rlim_max;
    setrlimit(RLIMIT_NOFILE, &limit);
  }
}

// Milliseconds for one request on a fresh connection, or -1 when it was not answered.
double oneRequest(std::uint16_t port) {
  const auto began = Clock::now();
  Poco::Net::StreamSocket socket(Poco::Net::SocketAddress("127.0.0.1", port));
  const std::string request = "GET /ping HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
  socket.sendBytes(request.data(), static_cast<int>(request.size()));
  socket.setReceiveTimeout(Poco::Timespan(30, 0));
  char buffer[512];
  const int n = socket.receiveBytes(buffer, sizeof buffer);
  if (n <= 0 ||
      std::string(buffer, static_cast<std::size_t>(n)).find(" 200 ") == std::string::npos) {
    return -1;
  }
  return std::chrono::duration<double, std::milli>(Clock::now() - began).count();
}

struct Figures {
  double p50, p99, max;
  int unanswered;
};

Figures measure(std::uint16_t port, int requests) {
  std::vector<double> took;
  int unanswered = 0;
  for (int i = 0; i < requests; ++i) {
    const double ms = oneRequest(port);
    if (ms < 0) {
      ++unanswered;
    } else {
      took.push_back(ms);
    }
  }
  std::sort(took.begin(), took.end());
  auto at = [&](double q) {
    return took.empty() ? 0.0 : took[static_cast<std::size_t>(q * (took.size() - 1))];
  };
  return {at(0.5), at(0.99), took.empty() ? 0.0 : took.back(), unanswered};
}

void print(const char* label, const Figures& f) {
  std::printf("%-34s p50 %7.3f ms  p99 %7.3f ms  max %7.3f ms  unanswered %d\n", label, f.p50,
              f.p99, f.max, f.unanswered);
}

}  // namespace

int main(int argc, char** argv) {
  raiseFileLimit();
  const int stalled_count = option(argc, argv, "stalled", 1000);
  const int requests = option(argc, argv, "requests", 200);
  auto router = std::make_shared<paymentd::http::Router>();
  router->add("GET", "/ping", [](const paymentd::http::HttpRequest&) {
    return paymentd::http::jsonResponse(200, "{}");
  });
  paymentd::http::HttpServerOptions options;
  options.port = 0;
  options.threads = option(argc, argv, "threads", 16);
  options.max_connections = static_cast<std::size_t>(stalled_count + 64);
  options.header_timeout = std::chrono::minutes(10);  // the stalled clients must stay open
  paymentd::http::HttpServer server(options, router);
  server.start();

  const Figures baseline = measure(server.port(), requests);
  std::vector<Poco::Net::StreamSocket> stalled;
  for (int i = 0; i < stalled_count; ++i) {
    stalled.emplace_back(Poco::Net::SocketAddress("127.0.0.1", server.port()));
  }
  std::atomic<bool> trickling{true};
  std::thread trickler([&] {
    const std::string header = "GET /ping HTTP/1.1\r\nHost: x\r\nX-Slow: ";
    std::size_t next = 0;
    while (trickling.load()) {
      const char byte = next < header.size() ? header[next] : 'a';
      for (auto& socket : stalled) socket.sendBytes(&byte, 1);
      ++next;
      std::this_thread::sleep_for(std::chrono::milliseconds(500));
    }
  });
  std::this_thread::sleep_for(std::chrono::seconds(1));
  const std::size_t open = server.openConnections();
  const Figures loaded = measure(server.port(), requests);
  trickling = false;
  trickler.join();

  std::printf("listener_bench: %d requests, http.threads %d, %zu connections open while loaded\n",
              requests, options.threads, open);
  print("alone", baseline);
  print(("beside " + std::to_string(stalled_count) + " trickling").c_str(), loaded);
  std::printf("ratio p99 loaded/alone %.2f\n", baseline.p99 > 0 ? loaded.p99 / baseline.p99 : 0.0);
  server.shutdown(std::chrono::milliseconds(0));
  return loaded.unanswered == 0 ? 0 : 1;
}
