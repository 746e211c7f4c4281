// app/paymentd_app.h: the `paymentd` command line and the daemon's life cycle.
#pragma once

#include <Poco/Util/ServerApplication.h>

#include <string>
#include <vector>

#include "cli/coupon_command.h"
#include "cli/operator_command.h"

namespace paymentd::app {

struct LoadedConfig;

class PaymentdApp : public Poco::Util::ServerApplication {
 protected:
  void defineOptions(Poco::Util::OptionSet& options) override;
  void handleOption(const std::string& name, const std::string& value) override;
  int main(const std::vector<std::string>& args) override;

 private:
  enum class Mode { kRun = 1, kCheckConfig, kVersion, kHelp };

  int runDaemon(const LoadedConfig& loaded);
  std::string defaultPluginDir() const;

  Mode mode_ = Mode::kRun;
  bool trace_json_ = false;
  std::string config_path_ = "/etc/paymentd/paymentd.yaml";
  cli::CouponIssueArgs coupon_args_;  // --user, --discount, --id: `coupon issue` only
  bool dead_only_ = false;            // --dead: `outbox list` only
  cli::OperatorArgs operator_args_;   // --reason, --actor, ...: the operator commands
};

}  // namespace paymentd::app
