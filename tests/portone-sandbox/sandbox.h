// portone-sandbox/sandbox.h: a PortOne V2 look-alike on loopback, for tests and demos.
//
// Used in-process by the C++ tests and as the standalone `portone-sandbox`
// executable. See docs/sandbox.md for its API.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>

#include "http/http_server.h"
#include "sandbox_context.h"

namespace paymentd::sandbox {

class Sandbox {
 public:
  /// @throws std::invalid_argument when the webhook secret is not whsec_ + Base64.
  explicit Sandbox(SandboxOptions options);
  ~Sandbox();
  Sandbox(const Sandbox&) = delete;
  Sandbox& operator=(const Sandbox&) = delete;

  /// Binds and starts serving. @throws Poco::Net::NetException.
  void start();
  std::uint16_t port() const;
  std::string baseUrl() const;  // "http://127.0.0.1:PORT"
  void stop();

  const SandboxOptions& options() const { return context_->options; }

 private:
  std::unique_ptr<SandboxContext> context_;
  std::unique_ptr<http::HttpServer> server_;
};

}  // namespace paymentd::sandbox
