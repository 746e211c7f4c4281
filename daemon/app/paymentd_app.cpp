#include "app/paymentd_app.h"

#include <Poco/Logger.h>
#include <Poco/Util/HelpFormatter.h>
#include <Poco/Util/Option.h>
#include <Poco/Util/OptionException.h>
#include <Poco/Util/OptionSet.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <iostream>

#include "app/daemon.h"
#include "app/liveness_probe.h"
#include "app/reloader.h"
#include "app/signals.h"
#include "app/systemd_notify.h"
#include "build_info.h"
#include "cli/exit_codes.h"
#include "cli/operator_command.h"
#include "cli/outbox_command.h"
#include "cli/reconcile_command.h"
#include "cli/trace_command.h"
#include "config/catalog_file.h"
#include "config/config.h"
#include "config/fingerprint.h"
#include "loader/plugin_set.h"
#include "log/log_formatter.h"
#include "outbox/event_executor.h"
#include "paymentd/version.h"
#include "portone/secret_check.h"

namespace paymentd::app {

// What start-up produced before the daemon runs or --check-config answers.
struct LoadedConfig {
  config::Config config;
  std::shared_ptr<const loader::PluginSet> plugins;
  std::vector<Plan> plans;  // the catalog, synced into the database at start
};

namespace {

using cli::kExitConfig;
using cli::kExitFailed;
using cli::kExitOk;
using cli::kExitUnavailable;
using cli::kExitUsage;

// Longer than any healthy pass: a batch of PortOne calls, each bounded by its deadline.
constexpr std::chrono::minutes kWedgedPass{15};

// Lines under the formatter's width (72), so it does not rewrap them.
constexpr const char* kHelpFooter =
    "Commands (read-only ones never create or migrate a database):\n"
    "  (none)                run the daemon (systemd Type=notify)\n"
    "  --check-config        check all the start checks; no database\n"
    "  trace PAYMENT_ID      the whole story of one payment (--json)\n"
    "  outbox list [--dead]  the newest outbox items\n"
    "  outbox retry ID       an outbox item due again now\n"
    "  reconcile report      paid payments left to an operator (--json)\n"
    "  coupon issue          a coupon for --user worth --discount KRW\n"
    "\n"
    "Exit status:\n"
    "  0   ok\n"
    "  1   the command failed (unknown item, cannot listen)\n"
    "  64  bad command line\n"
    "  66  no paymentd database there\n"
    "  75  the database did not answer (try again)\n"
    "  78  a config problem (printed as file:line:column: message)\n";

std::string versionLine() {
  return std::string("paymentd ") + kVersion + " (plugin API " +
         std::to_string(kPluginApiVersion.major) + "." + std::to_string(kPluginApiVersion.minor) +
         ")";
}

// The log line of a start that failed; "cannot listen on ..." says it all.
std::string startFailureLine(const StartError& e) {
  if (e.stage() == "storage" || e.stage() == "schema") return std::string("storage: ") + e.what();
  if (e.stage() == "listen") return e.what();
  return std::string("cannot start: ") + e.what();
}

// A secret or lock the config names is a config problem; a database that does not
// answer may answer on the next start; a port in use is neither.
int startFailureExit(const StartError& e) {
  if (e.stage() == "storage") return kExitUnavailable;
  if (e.stage() == "listen") return kExitFailed;
  return kExitConfig;
}

}  // namespace

int PaymentdApp::runMain(int argc, char** argv) {
  try {
    PaymentdApp app;
    // --daemon forks inside ServerApplication::run(argc, argv), which answers every
    // command-line error with 78; parsed here instead, a bad option is a usage error.
    const bool daemonize = std::any_of(
        argv + 1, argv + argc, [](const char* arg) { return std::strcmp(arg, "--daemon") == 0; });
    if (daemonize) return app.ServerApplication::run(argc, argv);
    try {
      app.init(argc, argv);
    } catch (const Poco::Util::OptionException& e) {
      std::cerr << "paymentd: " << e.displayText() << " (see --help)\n";
      return kExitUsage;
    }
    return app.run();
  } catch (const Poco::Exception& e) {
    std::cerr << "paymentd: " << e.displayText() << "\n";
    return Poco::Util::Application::EXIT_SOFTWARE;
  }
}

void PaymentdApp::defineOptions(Poco::Util::OptionSet& options) {
  ServerApplication::defineOptions(options);
  options.addOption(Poco::Util::Option("config", "c",
                                       "the YAML config file (default /etc/paymentd/paymentd.yaml)")
                        .required(false)
                        .repeatable(false)
                        .argument("FILE"));
  options.addOption(
      Poco::Util::Option("check-config", "",
                         "check everything the start checks (config, plugins, catalog, secret "
                         "and password files, URLs), print each problem as "
                         "file:line:column: message, exit 0 or 78; touches no database")
          .required(false)
          .repeatable(false));
  options.addOption(
      Poco::Util::Option("credentials-dir", "",
                         "where ${CREDENTIALS_DIRECTORY} points (systemd sets it for the unit; "
                         "outside it: /etc/paymentd/credentials)")
          .required(false)
          .repeatable(false)
          .argument("DIR"));
  options.addOption(Poco::Util::Option("user", "", "coupon issue, subscription import: the user")
                        .required(false)
                        .repeatable(false)
                        .argument("USER"));
  options.addOption(Poco::Util::Option("discount", "", "coupon issue: KRW off the payment's total")
                        .required(false)
                        .repeatable(false)
                        .argument("WON"));
  options.addOption(Poco::Util::Option("id", "", "coupon issue: the coupon's id (default: random)")
                        .required(false)
                        .repeatable(false)
                        .argument("ID"));
  options.addOption(Poco::Util::Option("dead", "", "outbox list: only the dead items")
                        .required(false)
                        .repeatable(false));
  options.addOption(
      Poco::Util::Option("json", "", "trace, reconcile report: print JSON").required(false));
  // The operator commands (cli/operator_command.h).
  const auto argument = [&](const char* name, const char* help, const char* value) {
    options.addOption(
        Poco::Util::Option(name, "", help).required(false).repeatable(false).argument(value));
  };
  argument("reason", "subscription/payment writes: why (written into the audit trail)", "TEXT");
  argument("actor", "subscription/payment writes: who asks (default: cli:$USER)", "NAME");
  argument("idempotency-key", "subscription/payment writes: repeat a write safely", "KEY");
  argument("at", "subscription cancel: period_end (default) or now", "WHEN");
  argument("amount", "payment refund: KRW to give back (default: all that is left)", "WON");
  argument("billing-key", "subscription card: the new billing key", "KEY");
  argument("plan", "subscription import: the plan's id", "PLAN_ID");
  argument("customer-uid", "subscription import: the V1 billing key (customer_uid)", "UID");
  argument("period-end", "subscription import: when the paid period ends", "RFC3339");
  argument("price", "subscription import: KRW of the next renewal (default: the plan's)", "KRW");
  options.addOption(
      Poco::Util::Option("version", "v", "print the version and exit").required(false));
  options.addOption(Poco::Util::Option("help", "h", "print this help and exit").required(false));
}

void PaymentdApp::handleOption(const std::string& name, const std::string& value) {
  ServerApplication::handleOption(name, value);
  if (name == "config") {
    config_path_ = value;
  } else if (name == "credentials-dir") {
    credentials_dir_ = value;
  } else if (name == "check-config") {
    if (mode_ == Mode::kRun) mode_ = Mode::kCheckConfig;
  } else if (name == "user") {
    coupon_args_.user = value;
  } else if (name == "discount") {
    coupon_args_.discount = value;
  } else if (name == "id") {
    coupon_args_.id = value;
  } else if (name == "json") {
    trace_json_ = true;
  } else if (name == "reason") {
    operator_args_.reason = value;
  } else if (name == "actor") {
    operator_args_.actor = value;
  } else if (name == "idempotency-key") {
    operator_args_.idempotency_key = value;
  } else if (name == "at") {
    operator_args_.at = value;
  } else if (name == "amount") {
    operator_args_.amount = value;
  } else if (name == "billing-key") {
    operator_args_.billing_key = value;
  } else if (name == "plan") {
    import_args_.plan = value;
  } else if (name == "customer-uid") {
    import_args_.customer_uid = value;
  } else if (name == "period-end") {
    import_args_.period_end = value;
  } else if (name == "price") {
    import_args_.price = value;
  } else if (name == "dead") {
    dead_only_ = true;
  } else if (name == "version") {
    mode_ = Mode::kVersion;
    stopOptionsProcessing();
  } else if (name == "help") {
    mode_ = Mode::kHelp;
    stopOptionsProcessing();
  }
}

std::string PaymentdApp::defaultPluginDir() const {
  // Installed: /usr/bin/paymentd -> /usr/lib/paymentd/plugins; the build tree has the same shape.
  const std::filesystem::path dir(config().getString("application.dir", "."));
  return (dir / ".." / "lib" / "paymentd" / "plugins").lexically_normal().string();
}

int PaymentdApp::main(const std::vector<std::string>& args) {
  if (mode_ == Mode::kHelp) {
    Poco::Util::HelpFormatter help(options());
    help.setCommand(commandName());
    help.setUsage(
        "--config=FILE [--check-config | trace PAYMENT_ID [--json] |\n"
        "                       coupon issue --user=USER --discount=WON [--id=ID] |\n"
        "                       outbox list [--dead] | outbox retry ID |\n"
        "                       reconcile report [--json] |\n"
        "                       user show USER_ID | subscription show ID |\n"
        "                       subscription cancel|resume|retry ID --reason=TEXT [--at=now] |\n"
        "                       subscription card ID --billing-key=KEY --reason=TEXT |\n"
        "                       subscription import --user=U --plan=PLAN_ID --customer-uid=UID\n"
        "                         --period-end=RFC3339 [--price=KRW] |\n"
        "                       payment refund PAYMENT_ID [--amount=WON] --reason=TEXT]");
    help.setHeader(
        "paymentd: turns PortOne V2 payment webhooks into subscriptions, tickets and refunds.");
    help.setFooter(kHelpFooter);
    help.format(std::cout);
    return kExitOk;
  }
  if (mode_ == Mode::kVersion) {
    std::cout << versionLine() << "\n";
    return kExitOk;
  }
  const bool coupon_issue = args == std::vector<std::string>{"coupon", "issue"};
  const bool trace = !args.empty() && args[0] == "trace";
  const bool outbox_command = !args.empty() && args.front() == "outbox";
  const bool operator_command = cli::isOperatorCommand(args);
  const bool reconcile_command = !args.empty() && args.front() == "reconcile";
  if (!args.empty() && !coupon_issue && !trace && !outbox_command && !operator_command &&
      !reconcile_command) {
    std::cerr << "paymentd: unknown command '" << args.front() << "' (see --help)\n";
    return kExitUsage;
  }
  if (trace && args.size() != 2) {
    std::cerr << "paymentd: usage: trace PAYMENT_ID [--json] (one payment id)\n";
    return kExitUsage;
  }
  if (!trace && !reconcile_command && trace_json_) {
    std::cerr << "paymentd: --json applies to `trace` and `reconcile report` only\n";
    return kExitUsage;
  }
  const bool import = cli::isImportCommand(args);
  if (!coupon_issue &&
      (coupon_args_.discount || coupon_args_.id || (coupon_args_.user && !import))) {
    std::cerr << "paymentd: --user, --discount and --id apply to `coupon issue` only (--user "
                 "also to `subscription import`)\n";
    return kExitUsage;
  }
  if (!import && (import_args_.plan || import_args_.customer_uid || import_args_.period_end ||
                  import_args_.price)) {
    std::cerr << "paymentd: --plan, --customer-uid, --period-end and --price apply to "
                 "`subscription import` only\n";
    return kExitUsage;
  }
  if (!args.empty() && mode_ == Mode::kCheckConfig) {
    std::cerr << "paymentd: --check-config takes no command\n";
    return kExitUsage;
  }
  // Before the config is read: its paths may name ${CREDENTIALS_DIRECTORY}.
  if (!credentials_dir_.empty()) ::setenv("CREDENTIALS_DIRECTORY", credentials_dir_.c_str(), 1);

  config::ConfigProblems problems;
  auto config = config::loadConfig(config_path_, defaultPluginDir(), problems);
  if (config && coupon_issue) return cli::issueCoupon(*config, coupon_args_, std::cout, std::cerr);
  if (config && trace)
    return cli::tracePayment(*config, args[1], trace_json_, std::cout, std::cerr);
  if (config && import) {
    import_args_.user = coupon_args_.user;
    import_args_.actor = operator_args_.actor;
    return cli::importSubscription(*config, import_args_, std::cout, std::cerr);
  }
  if (config && operator_command) {
    return cli::runOperatorCommand(*config, args, operator_args_, std::cout, std::cerr);
  }
  if (config && reconcile_command) {
    return cli::runReconcileCommand(*config, {args.begin() + 1, args.end()}, trace_json_, std::cout,
                                    std::cerr);
  }
  if (config && outbox_command) {
    return cli::runOutboxCommand(*config, {args.begin() + 1, args.end()}, dead_only_, std::cout,
                                 std::cerr);
  }
  std::shared_ptr<const loader::PluginSet> plugins;
  std::optional<std::vector<Plan>> plans;
  if (config) {
    plugins = loader::buildPluginSet(config->plugins, problems);
    plans = config::loadPlanCatalog(config->catalog, problems, config->catalog_mark);
    // Reported at their config keys; the daemon reads them again where it uses them.
    portone::checkSecretFiles(config->portone, problems);
    outbox::readEventTarget(config->events, SystemClock::instance(), problems);
  }
  if (!problems.empty()) {
    for (const auto& line : problems.lines()) std::cerr << line << "\n";
    std::cerr << "paymentd: " << problems.lines().size() << " problem(s) in " << config_path_
              << "\n";
    return kExitConfig;
  }
  LoadedConfig loaded{std::move(*config), std::move(plugins), std::move(*plans)};

  if (mode_ == Mode::kCheckConfig) {
    std::cout << config_path_ << ": ok\n";
    for (const auto& line : loaded.plugins->describe()) std::cout << "  " << line << "\n";
    return kExitOk;
  }
  return runDaemon(loaded);
}

int PaymentdApp::runDaemon(const LoadedConfig& loaded) {
  blockDaemonSignals();  // before any thread starts, so every thread inherits the mask
  const config::Config& config = loaded.config;
  log::setUpLogging(config.logging.format, config.logging.level);
  Poco::Logger& logger = Poco::Logger::get("paymentd");
  logger.information(versionLine() + " starting with " + config.path +
                     " config_hash=" + config::hexFingerprint(config::configFingerprint(config)));
  for (const auto& line : loaded.plugins->describe()) logger.information("loaded " + line);

  std::unique_ptr<Daemon> daemon;
  try {
    daemon = std::make_unique<Daemon>(
        DaemonInputs{config, loaded.plugins, loaded.plans, SystemClock::instance(), ""});
    for (const auto& note : daemon->startNotes()) logger.information(note);
    daemon->listen();
  } catch (const StartError& e) {
    logger.fatal(startFailureLine(e));
    return startFailureExit(e);
  }
  const std::string listening =
      "listening on " + config.http.host + ":" + std::to_string(daemon->port());
  logger.information(listening);
  // The outbox worker (schedules and notices after commit, docs/operators.md) and the reconciler.
  daemon->startBackground();
  logger.information("outbox worker started; notice URLs start with " + config.public_url);

  SystemdNotify systemd;
  // Only now: config checked, plugins loaded, port bound. The watchdog's pings vouch for
  // the listener answering (app/liveness_probe.h) and for the background loops making
  // progress: a pass running longer than kWedgedPass is a call that hangs for good.
  const std::uint16_t port = daemon->port();
  systemd.ready(listening, [&config, port, &daemon]() -> std::string {
    if (!healthzAnswers(config.http.host, port, std::chrono::seconds(2))) {
      return "GET /healthz did not answer";
    }
    const std::string stalled = daemon->stalledLoop(kWedgedPass);
    return stalled.empty() ? "" : "the " + stalled + " loop's pass has run for over 15 minutes";
  });

  Reloader reloader(config_path_, defaultPluginDir(), config, loaded.plans, *daemon);
  ReloadSignal reload_signal([&] {
    systemd.reloading();
    reloader.reload();
    systemd.ready(listening);
  });

  waitForTerminationRequest();
  systemd.stopping();

  logger.information("stopping: draining requests in flight for up to " +
                     std::to_string(config.http.drain_timeout_s) + " s");
  const bool drained = daemon->stop(std::chrono::seconds(config.http.drain_timeout_s));
  if (!drained) logger.warning("drain timeout passed; closed the connections still open");
  logger.information("stopped");
  return kExitOk;
}

}  // namespace paymentd::app
