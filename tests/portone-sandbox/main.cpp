// portone-sandbox: runs the PortOne V2 sandbox until SIGINT or SIGTERM.
//   portone-sandbox --port=N [--host=127.0.0.1] [--api-secret=S] [--webhook-secret=whsec_...]
//                   [--store-id=ID] [--time-scale=F]
// Prints "portone-sandbox listening on HOST:PORT" on stdout once it serves.
#include <Poco/Exception.h>

#include <csignal>
#include <cstdlib>
#include <iostream>
#include <string>

#include "sandbox.h"

namespace {

bool takeValue(const std::string& arg, const std::string& name, std::string& value) {
  const std::string prefix = "--" + name + "=";
  if (arg.rfind(prefix, 0) != 0) return false;
  value = arg.substr(prefix.size());
  return true;
}

int usage(const std::string& problem) {
  std::cerr << "portone-sandbox: " << problem << "\n"
            << "usage: portone-sandbox --port=N [--host=127.0.0.1] [--api-secret=S]\n"
            << "         [--webhook-secret=whsec_...] [--store-id=ID] [--time-scale=F]\n";
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  paymentd::sandbox::SandboxOptions options;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    std::string value;
    try {
      if (takeValue(arg, "port", value)) {
        const int port = std::stoi(value);
        if (port < 0 || port > 65535) return usage("--port must be 0-65535");
        options.port = static_cast<std::uint16_t>(port);
      } else if (takeValue(arg, "host", value)) {
        options.host = value;
      } else if (takeValue(arg, "api-secret", value)) {
        options.api_secret = value;
      } else if (takeValue(arg, "webhook-secret", value)) {
        options.webhook_secret = value;
      } else if (takeValue(arg, "store-id", value)) {
        options.store_id = value;
      } else if (takeValue(arg, "time-scale", value)) {
        options.time_scale = std::stod(value);
        if (options.time_scale < 0) return usage("--time-scale must be >= 0");
      } else if (arg == "--help" || arg == "-h") {
        usage("a PortOne V2 look-alike on loopback (see docs/sandbox.md)");
        return 0;
      } else {
        return usage("unknown argument '" + arg + "'");
      }
    } catch (const std::exception&) {
      return usage("bad value in '" + arg + "'");
    }
  }

  // Block the stop signals before any thread starts, then wait for one.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  try {
    paymentd::sandbox::Sandbox sandbox(options);
    sandbox.start();
    std::cout << "portone-sandbox listening on " << options.host << ":" << sandbox.port()
              << std::endl;
    int received = 0;
    sigwait(&signals, &received);
    sandbox.stop();
  } catch (const Poco::Exception& e) {
    std::cerr << "portone-sandbox: " << e.displayText() << "\n";
    return 1;
  } catch (const std::exception& e) {
    std::cerr << "portone-sandbox: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
