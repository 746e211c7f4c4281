// The loader accepts good plugins and refuses each bad one with its exact line.
#include <gtest/gtest.h>

#include <filesystem>

#include "config/config.h"
#include "loader/active_plugins.h"
#include "loader/plugin_call.h"
#include "loader/plugin_set.h"
#include "support/temp_dir.h"

namespace paymentd::loader {
namespace {

const std::string kPlugins = PAYMENTD_TEST_PLUGIN_DIR;

// The store is not used by the test validator; every read says "nothing there".
class EmptyStore final : public StoreReader {
 public:
  Result<std::optional<Plan>> plan(const std::string&) const override {
    return std::optional<Plan>();
  }
  Result<std::optional<Subscription>> subscription(std::int64_t) const override {
    return std::optional<Subscription>();
  }
  Result<std::optional<Subscription>> currentSubscription(const std::string&,
                                                          const std::string&) const override {
    return std::optional<Subscription>();
  }
  Result<std::optional<Coupon>> coupon(const std::string&) const override {
    return std::optional<Coupon>();
  }
  Result<std::optional<LevelTest>> levelTest(const std::string&) const override {
    return std::optional<LevelTest>();
  }
  Result<bool> hadTrial(const std::string&) const override { return false; }
  Result<bool> isFulfilled(const std::string&) const override { return false; }
};

config::PluginEntry entry(const std::string& plugin,
                          std::map<std::string, std::string> values = {}) {
  config::PluginEntry e;
  e.plugin = plugin;
  e.mark = config::SourceMark{"paymentd.yaml", 7, 5};
  int line = 8;
  for (const auto& [key, value] : values) {
    e.config[key] = value;
    e.config_marks[key] = config::SourceMark{"paymentd.yaml", line++, 9};
  }
  return e;
}

config::PluginsConfig inDirectory(const std::string& dir) {
  config::PluginsConfig plugins;
  plugins.directories = {kPlugins + "/" + dir};
  return plugins;
}

struct Built {
  std::shared_ptr<const PluginSet> set;
  std::vector<std::string> problems;
};

Built build(const config::PluginsConfig& plugins) {
  config::ConfigProblems problems;
  auto set = buildPluginSet(plugins, problems);
  return Built{set, problems.lines()};
}

Outcome validateTotal(const Validator& validator, std::int64_t total) {
  Payment payment;
  payment.id = "pay-1";
  payment.amount.total = total;
  Claims claims;
  EmptyStore store;
  return validator.validate(PaymentContext{payment, claims, WebhookEvent::kTransactionPaid, {}},
                            store);
}

TEST(PluginLoader, LoadsGoodPluginsAndTheyWork) {
  auto plugins = inDirectory("good");
  plugins.validators.push_back({entry("good-validator", {{"limit", "10000"}})});
  plugins.processors.emplace("FIRST_BILLING",
                             config::RolloutEntry{entry("good-processor"), true, {}});
  Built built = build(plugins);
  ASSERT_TRUE(built.problems.empty()) << built.problems.front();
  ASSERT_EQ(built.set->validators.size(), 1u);
  EXPECT_EQ(built.set->validators[0].primary.identity, "good-validator@1.0.0");
  ASSERT_EQ(built.set->processors.count("FIRST_BILLING"), 1u);
  EXPECT_EQ(built.set->processors.at("FIRST_BILLING").primary.identity, "good-processor@1.0.0");

  const Validator& validator = *built.set->validators[0].primary.instance;
  EXPECT_TRUE(validateTotal(validator, 10000).isOk());
  Outcome rejected = validateTotal(validator, 10001);
  EXPECT_TRUE(rejected.isRejected());
  EXPECT_EQ(rejected.code(), "AMOUNT_OVER_LIMIT");
  EXPECT_EQ(rejected.message(), "limit: 10001 > 10000");
}

TEST(PluginLoader, PassesTheConfigBlockToTheFactory) {
  auto plugins = inDirectory("good");
  plugins.validators.push_back({entry("good-validator", {{"limit", "5"}, {"label", "cap"}})});
  Built built = build(plugins);
  ASSERT_TRUE(built.problems.empty());
  EXPECT_EQ(validateTotal(*built.set->validators[0].primary.instance, 6).message(), "cap: 6 > 5");
}

TEST(PluginLoader, InstanceOutlivesItsPluginSet) {
  auto plugins = inDirectory("good");
  plugins.validators.push_back({entry("good-validator", {{"limit", "1"}})});
  std::shared_ptr<const Validator> kept;
  {
    Built built = build(plugins);
    ASSERT_TRUE(built.problems.empty());
    kept = built.set->validators[0].primary.instance;
  }
  // The set and catalog are gone; the instance still holds its library.
  EXPECT_EQ(validateTotal(*kept, 2).code(), "AMOUNT_OVER_LIMIT");
}

TEST(PluginLoader, RefusesALibraryWithoutDescriptor) {
  Built built = build(inDirectory("no_descriptor"));
  ASSERT_EQ(built.problems.size(), 1u);
  EXPECT_EQ(built.problems[0], kPlugins +
                                   "/no_descriptor/no_descriptor.so: not a paymentd plugin "
                                   "(no paymentd_plugin_descriptor symbol; build it with "
                                   "PAYMENTD_PLUGIN)");
  EXPECT_EQ(built.set, nullptr);
}

TEST(PluginLoader, RefusesAnotherApiMajor) {
  Built built = build(inDirectory("api_major"));
  ASSERT_EQ(built.problems.size(), 1u);
  EXPECT_EQ(built.problems[0], kPlugins +
                                   "/api_major/api_major_mismatch.so: built for plugin API "
                                   "2.0, but this paymentd implements API 1.2 (major "
                                   "versions differ)");
}

TEST(PluginLoader, RefusesANewerApiMinor) {
  Built built = build(inDirectory("api_newer_minor"));
  ASSERT_EQ(built.problems.size(), 1u);
  EXPECT_EQ(built.problems[0], kPlugins +
                                   "/api_newer_minor/api_newer_minor.so: built for plugin "
                                   "API 1.99, newer than this paymentd's API 1.2 (upgrade "
                                   "paymentd)");
}

TEST(PluginLoader, LoadsAPluginBuiltForAnOlderApiMinor) {
  // API 1.1 only appended (Notification::recipient_phone, ...): 1.0 plugins still load.
  auto plugins = inDirectory("api_older_minor");
  plugins.validators.push_back({entry("future-validator")});
  Built built = build(plugins);
  EXPECT_TRUE(built.problems.empty()) << built.problems.front();
  ASSERT_NE(built.set, nullptr);
  ASSERT_EQ(built.set->validators.size(), 1u);
}

TEST(PluginLoader, RefusesAPluginOfTheWrongKind) {
  auto plugins = inDirectory("good");
  plugins.validators.push_back({entry("good-processor")});
  Built built = build(plugins);
  ASSERT_EQ(built.problems.size(), 1u);
  EXPECT_EQ(built.problems[0], "paymentd.yaml:7:5: plugin 'good-processor' (" + kPlugins +
                                   "/good/good_processor.so) is a processor, but "
                                   "plugins.validators takes a validator");
}

TEST(PluginLoader, RefusesAnUnresolvedSymbolAtLoad) {
  Built built = build(inDirectory("unresolved"));
  ASSERT_EQ(built.problems.size(), 1u);
  EXPECT_EQ(built.problems[0], kPlugins +
                                   "/unresolved/unresolved_symbol.so: cannot load: undefined "
                                   "symbol: _Z42paymentd_test_function_that_does_not_existv");
}

TEST(PluginLoader, RefusesAThrowingFactory) {
  auto plugins = inDirectory("throwing_factory");
  plugins.validators.push_back({entry("throwing-validator")});
  Built built = build(plugins);
  ASSERT_EQ(built.problems.size(), 1u);
  EXPECT_EQ(built.problems[0], "paymentd.yaml:7:5: " + kPlugins +
                                   "/throwing_factory/throwing_factory.so: plugin "
                                   "'throwing-validator' failed to start: cannot reach the fraud "
                                   "service");
}

TEST(PluginLoader, RefusesTwoLibrariesWithOneNameAndVersion) {
  Built built = build(inDirectory("duplicate"));
  ASSERT_EQ(built.problems.size(), 1u);
  EXPECT_EQ(built.problems[0], kPlugins +
                                   "/duplicate/duplicate_b.so: plugin 'dup' version 1.0.0 "
                                   "is also provided by " +
                                   kPlugins + "/duplicate/duplicate_a.so");
}

TEST(PluginLoader, RefusesAnUnknownConfigKey) {
  auto plugins = inDirectory("good");
  plugins.validators.push_back({entry("good-validator", {{"limit", "1"}, {"limt", "2"}})});
  Built built = build(plugins);
  ASSERT_EQ(built.problems.size(), 1u);
  EXPECT_EQ(built.problems[0], "paymentd.yaml:9:9: plugin 'good-validator' (" + kPlugins +
                                   "/good/good_validator.so) has no config key 'limt'; it "
                                   "accepts: limit, label");
}

TEST(PluginLoader, RefusesAMissingRequiredConfigKey) {
  auto plugins = inDirectory("good");
  plugins.validators.push_back({entry("good-validator")});
  Built built = build(plugins);
  ASSERT_EQ(built.problems.size(), 1u);
  EXPECT_EQ(built.problems[0], "paymentd.yaml:7:5: plugin 'good-validator' (" + kPlugins +
                                   "/good/good_validator.so) needs config key 'limit': largest "
                                   "accepted total in KRW");
}

TEST(PluginLoader, RefusesABadConfigValueThroughTheFactory) {
  auto plugins = inDirectory("good");
  plugins.validators.push_back({entry("good-validator", {{"limit", "ten"}})});
  Built built = build(plugins);
  ASSERT_EQ(built.problems.size(), 1u);
  EXPECT_EQ(built.problems[0], "paymentd.yaml:7:5: " + kPlugins +
                                   "/good/good_validator.so: plugin 'good-validator' failed to "
                                   "start: config key 'limit': 'ten' is not an integer");
}

TEST(PluginLoader, RefusesAnUnknownPluginName) {
  auto plugins = inDirectory("good");
  plugins.validators.push_back({entry("amount")});
  Built built = build(plugins);
  ASSERT_EQ(built.problems.size(), 1u);
  EXPECT_EQ(built.problems[0], "paymentd.yaml:7:5: no plugin 'amount' in " + kPlugins + "/good");
}

TEST(PluginLoader, RefusesAMissingDirectory) {
  Built built = build(inDirectory("does_not_exist"));
  ASSERT_EQ(built.problems.size(), 1u);
  EXPECT_EQ(built.problems[0],
            kPlugins + "/does_not_exist: plugin directory does not exist or is not a directory");
}

TEST(PluginLoader, LoadsTwoVersionsSideBySideWhenNamedByVersion) {
  auto plugins = inDirectory("two_versions");
  plugins.validators.push_back({entry("good-validator@1.0.0", {{"limit", "1"}})});
  plugins.validators.push_back({entry("good-validator@2.0.0", {{"limit", "1"}})});
  Built built = build(plugins);
  ASSERT_TRUE(built.problems.empty()) << built.problems.front();
  EXPECT_EQ(built.set->validators[0].primary.identity, "good-validator@1.0.0");
  EXPECT_EQ(built.set->validators[1].primary.identity, "good-validator@2.0.0");
}

TEST(PluginLoader, RefusesAnAmbiguousNameWhenTwoVersionsAreLoaded) {
  auto plugins = inDirectory("two_versions");
  plugins.validators.push_back({entry("good-validator", {{"limit", "1"}})});
  Built built = build(plugins);
  ASSERT_EQ(built.problems.size(), 1u);
  EXPECT_EQ(built.problems[0],
            "paymentd.yaml:7:5: plugin 'good-validator' exists in several "
            "versions (1.0.0, 2.0.0); name one as good-validator@VERSION");
}

TEST(PluginLoader, GuardTurnsAnExceptionFromAPluginCallIntoANamedFailure) {
  auto plugins = inDirectory("throwing_validate");
  plugins.validators.push_back({entry("throwing-call")});
  Built built = build(plugins);
  ASSERT_TRUE(built.problems.empty());
  const auto& loaded = built.set->validators[0].primary;
  Outcome outcome = callPlugin(loaded.identity, [&] { return validateTotal(*loaded.instance, 1); });
  EXPECT_TRUE(outcome.isRejected());
  EXPECT_EQ(outcome.code(), "PLUGIN_FAILED");
  EXPECT_EQ(outcome.message(), "plugin throwing-call@1.0.0 threw: index 7 past the end");
}

TEST(ActivePlugins, ARequestFinishesOnTheSetItStartedWith) {
  auto first = inDirectory("good");
  first.validators.push_back({entry("good-validator", {{"limit", "5"}})});
  auto second = inDirectory("two_versions");
  second.validators.push_back({entry("good-validator@2.0.0", {{"limit", "100"}})});
  ActivePlugins active(build(first).set);

  std::shared_ptr<const PluginSet> in_flight = active.current();  // a request starts
  active.replace(build(second).set);                              // a reload swaps

  EXPECT_EQ(validateTotal(*in_flight->validators[0].primary.instance, 6).code(),
            "AMOUNT_OVER_LIMIT");
  EXPECT_EQ(in_flight->validators[0].primary.identity, "good-validator@1.0.0");
  EXPECT_EQ(active.current()->validators[0].primary.identity, "good-validator@2.0.0");
  EXPECT_TRUE(validateTotal(*active.current()->validators[0].primary.instance, 6).isOk());
}

TEST(ProcessorRoute, SendsListedUsersAndAStableShareToTheCanary) {
  auto plugins = inDirectory("two_versions");
  config::CanaryEntry canary{entry("good-processor@2.0.0"), 10, {"42"}};
  plugins.processors.emplace("FIRST_BILLING",
                             config::RolloutEntry{entry("good-processor@1.0.0"), true, canary});
  Built built = build(plugins);
  ASSERT_TRUE(built.problems.empty()) << built.problems.front();
  const ProcessorRoute& route = built.set->processors.at("FIRST_BILLING");
  EXPECT_EQ(route.choose("42").identity, "good-processor@2.0.0");  // listed
  EXPECT_EQ(rolloutBucket("42"), 91);  // FNV-1a: fixed forever, or users would switch versions
  int canary_users = 0;
  for (int user = 1000; user < 11000; ++user) {
    const std::string id = std::to_string(user);
    const bool canary_user = route.choose(id).identity == "good-processor@2.0.0";
    EXPECT_EQ(canary_user, route.choose(id).identity == "good-processor@2.0.0");  // stable
    canary_users += canary_user ? 1 : 0;
  }
  EXPECT_GE(canary_users, 900);  // 10 % +- 1 % of 10,000
  EXPECT_LE(canary_users, 1100);
}

// One rule for every kind: a user is in a validator's, a processor's and a
// notifier's canary alike, so a rollout of several plugins reaches the same users.
TEST(PluginRoute, EveryKindChoosesItsCanaryByTheSameRule) {
  auto plugins = inDirectory("canaries");
  const auto canaryOf = [](const std::string& plugin, std::map<std::string, std::string> values) {
    return config::CanaryEntry{entry(plugin, std::move(values)), 25, {"listed"}};
  };
  plugins.validators.push_back({entry("good-validator@2.0.0", {{"limit", "100"}}), true,
                                canaryOf("good-validator@2.0.0", {{"limit", "1"}})});
  plugins.processors.emplace("FIRST_BILLING",
                             config::RolloutEntry{entry("good-processor@2.0.0"), true,
                                                  canaryOf("good-processor@2.0.0", {})});
  plugins.notifiers.emplace("sms", config::RolloutEntry{entry("good-notifier@2.0.0"), true,
                                                        canaryOf("good-notifier@2.0.0", {})});
  Built built = build(plugins);
  ASSERT_TRUE(built.problems.empty()) << built.problems.front();
  const ValidatorRoute& validator = built.set->validators.at(0);
  const ProcessorRoute& processor = built.set->processors.at("FIRST_BILLING");
  const NotifierRoute& notifier = built.set->notifiers.at("sms");
  ASSERT_TRUE(validator.canary && processor.canary && notifier.canary);
  EXPECT_EQ(validateTotal(*validator.choose("listed").instance, 50).code(), "AMOUNT_OVER_LIMIT");
  EXPECT_TRUE(validateTotal(*validator.primary.instance, 50).isOk());
  int in_share = 0;
  for (int user = 0; user < 2000; ++user) {
    const std::string id = "u" + std::to_string(user);
    const bool expected = rolloutBucket(id) < 25;
    EXPECT_EQ(&validator.choose(id) == &*validator.canary, expected) << id;
    EXPECT_EQ(&processor.choose(id) == &*processor.canary, expected) << id;
    EXPECT_EQ(&notifier.choose(id) == &*notifier.canary, expected) << id;
    in_share += expected ? 1 : 0;
  }
  EXPECT_GE(in_share, 400);  // 25 % +- 5 % of 2,000
  EXPECT_LE(in_share, 600);
}

TEST(ProcessorRoute, ChoosesThePrimaryWithoutACanary) {
  auto plugins = inDirectory("two_versions");
  plugins.processors.emplace(
      "BILLING", config::RolloutEntry{entry("good-processor@1.0.0"), false, std::nullopt});
  Built built = build(plugins);
  ASSERT_TRUE(built.problems.empty());
  const ProcessorRoute& route = built.set->processors.at("BILLING");
  EXPECT_FALSE(route.enabled);
  EXPECT_EQ(route.choose("42").identity, "good-processor@1.0.0");
}

TEST(PluginLoader, RefusesAFileThatIsNotALibrary) {
  testing::TempDir dir;
  dir.write("notes.so", "this is text, not ELF");
  config::PluginsConfig plugins;
  plugins.directories = {dir.path().string()};
  Built built = build(plugins);
  ASSERT_EQ(built.problems.size(), 1u);
  const std::string file = (dir.path() / "notes.so").string();
  EXPECT_EQ(built.problems[0], file + ": cannot load: file too short");
}

}  // namespace
}  // namespace paymentd::loader
