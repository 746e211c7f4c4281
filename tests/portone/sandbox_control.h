// portone/sandbox_control.h: a test's handle on an in-process PortOne sandbox
// (started on 127.0.0.1, port 0) and its /_sandbox control API.
#pragma once

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include <string>

#include "sandbox.h"

namespace paymentd::testing {

struct ControlAnswer {
  int status = 0;
  std::string body;
  Poco::JSON::Object::Ptr json() const;
};

class SandboxControl {
 public:
  explicit SandboxControl(sandbox::SandboxOptions options = {});

  std::string baseUrl() const { return sandbox_.baseUrl(); }
  /// Stops serving: PortOne is down.
  void stop() { sandbox_.stop(); }
  const sandbox::SandboxOptions& options() const { return sandbox_.options(); }

  ControlAnswer post(const std::string& path, const std::string& json_body);
  ControlAnswer get(const std::string& path);

  /// The logged PortOne requests with this method and exact path.
  Poco::JSON::Array::Ptr requests(const std::string& method, const std::string& path);
  /// Waits up to `timeout` until the webhook delivery log holds `count` entries.
  Poco::JSON::Array::Ptr waitForDeliveries(std::size_t count, std::chrono::milliseconds timeout);

 private:
  sandbox::Sandbox sandbox_;
};

}  // namespace paymentd::testing
