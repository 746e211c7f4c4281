// pipeline/daemon_process.h: real paymentd processes on a generated config,
// with signed webhooks and the sandbox's request log, for cluster and outage tests.
#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "pipeline_harness.h"
#include "support/subprocess.h"
#include "support/temp_dir.h"

namespace paymentd::testing {

inline const std::string kFirstBillingQuery =
    "user_id=42&subscribe_id=monthly-4&payment_type=FIRST_BILLING";

/// Which binary a Daemon runs, and what it adds to its environment.
struct DaemonLaunch {
  std::string executable = PAYMENTD_EXECUTABLE;
  std::vector<std::string> environment;  // NAME=value
};
/// The test-only paymentd-failpoints, armed to SIGKILL itself at `point` (name or name:nth).
DaemonLaunch killedAt(const std::string& point);

/// One daemon process; stops with SIGTERM when destroyed (unless it died first).
class Daemon {
 public:
  void signal(int signal_number) const { process_.signal(signal_number); }
  /// Starts and waits until it listens. @throws std::runtime_error with its log.
  Daemon(const TempDir& dir, const std::string& name, const std::string& config,
         const DaemonLaunch& launch = {});
  ~Daemon();
  /// Waits until the process is gone; true when SIGKILL ended it.
  bool waitKilled(std::chrono::milliseconds timeout);
  std::uint16_t port() const { return port_; }
  std::string log() const { return process_.stderrText(); }

 private:
  BackgroundProcess process_;
  std::uint16_t port_ = 0;
  bool ended_ = false;
};

/// Daemons on the test run's PostgreSQL (a fresh database) and Redis, behind one
/// sandbox; skips (or fails, where servers are required) without them.
class ClusterTest : public ::testing::Test {
 protected:
  void SetUp() override;
  void TearDown() override;

  std::string redis_;
  std::unique_ptr<TestDatabase> database_;
  std::unique_ptr<sandbox::Sandbox> portone_;
};

/// Writes paymentd.yaml (+ plans and the sandbox's secrets) for the shipped plugins.
std::string clusterConfig(const TempDir& dir, const std::string& storage, const std::string& lock,
                          const sandbox::Sandbox& portone,
                          const std::string& validators =
                              "amount, duplicate-request, card, payment-status, duplicate-lesson");

void createPaidPayment(const sandbox::Sandbox& portone, const std::string& id);
/// A paid card payment of 59,000 KRW with a billing key, for `customer`.
void createPaidPaymentFor(const sandbox::Sandbox& portone, const std::string& id,
                          const std::string& customer);

struct SignedWebhook {
  std::string body, id, timestamp, signature;
};
/// Signed with `secret` ("whsec_..."); empty: the sandbox's own.
SignedWebhook signedWebhook(const sandbox::Sandbox& portone, const std::string& payment_id,
                            const std::string& secret = "");
HttpAnswer deliver(std::uint16_t port, const SignedWebhook& webhook,
                   const std::string& query = kFirstBillingQuery);
/// How many cancels PortOne (the sandbox) got for the payment.
int cancels(const sandbox::Sandbox& portone, const std::string& id);

}  // namespace paymentd::testing
