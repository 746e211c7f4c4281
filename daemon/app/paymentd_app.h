// app/paymentd_app.h: the `paymentd` command line and the daemon's life cycle.
#pragma once

#include <Poco/Util/ServerApplication.h>

#include <string>
#include <vector>

#include "cli/coupon_command.h"
#include "cli/import_command.h"
#include "cli/operator_command.h"

namespace paymentd::app {

struct LoadedConfig;

class PaymentdApp : public Poco::Util::ServerApplication {
 public:
  /// main(): runs the command line; a bad option exits 64 (usage), not Poco's 78.
  static int runMain(int argc, char** argv);

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
  std::string credentials_dir_;       // --credentials-dir: sets CREDENTIALS_DIRECTORY
  cli::CouponIssueArgs coupon_args_;  // --user, --discount, --id: `coupon issue` only
  bool dead_only_ = false;            // --dead: `outbox list` only
  cli::ImportArgs import_args_;       // --plan, --customer-uid, ...: `subscription import`
  cli::OperatorArgs operator_args_;   // --reason, --actor, ...: the operator commands
};

}  // namespace paymentd::app
