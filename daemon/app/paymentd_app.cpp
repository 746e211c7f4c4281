#include "app/paymentd_app.h"

#include <Poco/Logger.h>
#include <Poco/Util/HelpFormatter.h>
#include <Poco/Util/Option.h>
#include <Poco/Util/OptionSet.h>

#include <filesystem>
#include <iostream>

#include "build_info.h"
#include "config/config.h"
#include "http/health_routes.h"
#include "http/http_server.h"
#include "loader/plugin_set.h"
#include "log/log_formatter.h"
#include "portone/secret_check.h"
#include "paymentd/version.h"

namespace paymentd::app {

// What start-up produced before the daemon runs or --check-config answers.
struct LoadedConfig {
  config::Config config;
  std::shared_ptr<const loader::PluginSet> plugins;
};

namespace {

constexpr int kExitOk = 0;
constexpr int kExitBadConfig = 1;

std::string versionLine() {
  return std::string("paymentd ") + kVersion + " (plugin API " +
         std::to_string(kPluginApiVersion.major) + "." + std::to_string(kPluginApiVersion.minor) + ")";
}

}  // namespace

void PaymentdApp::defineOptions(Poco::Util::OptionSet& options) {
  ServerApplication::defineOptions(options);
  options.addOption(Poco::Util::Option("config", "c", "the YAML config file (default /etc/paymentd/paymentd.yaml)")
                        .required(false)
                        .repeatable(false)
                        .argument("FILE"));
  options.addOption(Poco::Util::Option("check-config", "",
                                       "load the config and every plugin, print each problem as "
                                       "file:line:column: message, exit 0 or 1; touches no database")
                        .required(false)
                        .repeatable(false));
  options.addOption(Poco::Util::Option("version", "v", "print the version and exit").required(false));
  options.addOption(Poco::Util::Option("help", "h", "print this help and exit").required(false));
}

void PaymentdApp::handleOption(const std::string& name, const std::string& value) {
  ServerApplication::handleOption(name, value);
  if (name == "config") {
    config_path_ = value;
  } else if (name == "check-config") {
    if (mode_ == Mode::kRun) mode_ = Mode::kCheckConfig;
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
    help.setUsage("--config=FILE [--check-config]");
    help.setHeader("paymentd: turns PortOne V2 payment webhooks into subscriptions, tickets and refunds.");
    help.format(std::cout);
    return kExitOk;
  }
  if (mode_ == Mode::kVersion) {
    std::cout << versionLine() << "\n";
    return kExitOk;
  }
  if (!args.empty()) {
    std::cerr << "paymentd: unknown command '" << args.front() << "' (see --help)\n";
    return kExitBadConfig;
  }

  config::ConfigProblems problems;
  auto config = config::loadConfig(config_path_, defaultPluginDir(), problems);
  std::shared_ptr<const loader::PluginSet> plugins;
  if (config) plugins = loader::buildPluginSet(config->plugins, problems);
  // Only --check-config reads the secret files here; the daemon reads them where it uses them.
  if (config && mode_ == Mode::kCheckConfig) portone::checkSecretFiles(config->portone, problems);
  if (!problems.empty()) {
    for (const auto& line : problems.lines()) std::cerr << line << "\n";
    std::cerr << "paymentd: " << problems.lines().size() << " problem(s) in " << config_path_ << "\n";
    return kExitBadConfig;
  }
  LoadedConfig loaded{std::move(*config), std::move(plugins)};

  if (mode_ == Mode::kCheckConfig) {
    std::cout << config_path_ << ": ok\n";
    for (const auto& line : loaded.plugins->describe()) std::cout << "  " << line << "\n";
    return kExitOk;
  }
  return runDaemon(loaded);
}

int PaymentdApp::runDaemon(const LoadedConfig& loaded) {
  const config::Config& config = loaded.config;
  log::setUpLogging(config.logging.format, config.logging.level);
  Poco::Logger& logger = Poco::Logger::get("paymentd");
  logger.information(versionLine() + " starting with " + config.path);
  for (const auto& line : loaded.plugins->describe()) logger.information("loaded " + line);

  http::Readiness readiness;
  auto router = std::make_shared<http::Router>();
  http::addHealthRoutes(*router, readiness);

  http::HttpServerOptions options;
  options.host = config.http.host;
  options.port = config.http.port;
  options.threads = config.http.threads;
  options.max_body_bytes = config.http.max_body_bytes;
  options.keep_alive_timeout = std::chrono::seconds(config.http.keep_alive_timeout_s);
  http::HttpServer server(options, router);
  try {
    server.start();
  } catch (const Poco::Exception& e) {
    logger.fatal("cannot listen on " + config.http.host + ":" + std::to_string(config.http.port) +
                 ": " + e.displayText());
    return kExitBadConfig;
  }
  logger.information("listening on " + config.http.host + ":" + std::to_string(server.port()));

  waitForTerminationRequest();

  logger.information("stopping: draining requests in flight for up to " +
                     std::to_string(config.http.drain_timeout_s) + " s");
  readiness.setDraining();
  const bool drained = server.shutdown(std::chrono::seconds(config.http.drain_timeout_s));
  if (!drained) logger.warning("drain timeout passed; closed the connections still open");
  logger.information("stopped");
  return kExitOk;
}

}  // namespace paymentd::app
