// Config errors name the file, line and column; a good config loads whole.
#include "config/config.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <set>

#include "loaded_config.h"
#include "support/temp_dir.h"

namespace paymentd::config {
namespace {

const std::string kMinimal = R"(storage: "sqlite:data/paymentd.db"
portone:
  api_base: "https://api.portone.io"
  store_id: "store-1"
  api_secret_file: "secrets/api"
  webhook_secret_files: ["secrets/webhook"]
catalog: "plans.yaml"
)";

TEST(Config, LoadsAMinimalConfigWithDefaultsAndResolvedPaths) {
  testing::TempDir dir;
  Loaded loaded = load(dir, kMinimal);
  ASSERT_TRUE(loaded.config) << loaded.problems.front();
  const Config& c = *loaded.config;
  const std::string base = dir.path().string();
  EXPECT_EQ(c.storage, "sqlite:" + base + "/data/paymentd.db");
  EXPECT_EQ(c.lock, "local");
  EXPECT_EQ(c.http.host, "127.0.0.1");
  EXPECT_EQ(c.http.port, 8080);
  EXPECT_EQ(c.portone.api_secret_file, base + "/secrets/api");
  ASSERT_EQ(c.portone.webhook_secret_files.size(), 1u);
  EXPECT_EQ(c.portone.webhook_secret_files[0], base + "/secrets/webhook");
  EXPECT_EQ(c.catalog, base + "/plans.yaml");
  EXPECT_EQ(c.plugins.directories, std::vector<std::string>{"/usr/lib/paymentd/plugins"});
  EXPECT_FALSE(c.portone.require_live);
}

TEST(Config, LoadsTheShippedExample) {
  ConfigProblems problems;
  auto config =
      loadConfig(std::string(PAYMENTD_SOURCE_DIR) + "/config/paymentd.yaml", "/plugins", problems);
  ASSERT_TRUE(config) << problems.lines().front();
  EXPECT_EQ(config->http.threads, 16);
  EXPECT_FALSE(config->portone.require_live);  // the demo's sandbox pays on a test channel
  EXPECT_EQ(config->plugins.notifiers.at("admin_slack").entry.plugin, "log");
  EXPECT_EQ(config->plugins.notifiers.at("admin_slack").entry.config.at("prefix"), "slack");
}

TEST(Config, ReadsPluginEntriesInOrderWithTheirConfig) {
  testing::TempDir dir;
  Loaded loaded = load(dir, kMinimal + R"(plugins:
  directories: ["plugins", "/opt/more"]
  validators:
    - amount
    - {plugin: card, config: {require_billing_key: true}}
  processors:
    FIRST_BILLING: {plugin: first-billing@1.2.0}
)");
  ASSERT_TRUE(loaded.config) << loaded.problems.front();
  const PluginsConfig& p = loaded.config->plugins;
  EXPECT_EQ(p.directories,
            (std::vector<std::string>{dir.path().string() + "/plugins", "/opt/more"}));
  ASSERT_EQ(p.validators.size(), 2u);
  EXPECT_EQ(p.validators[0].entry.plugin, "amount");
  EXPECT_EQ(p.validators[1].entry.plugin, "card");
  EXPECT_EQ(p.validators[1].entry.config.at("require_billing_key"), "true");
  EXPECT_EQ(p.validators[1].entry.mark.line, 12);
  EXPECT_EQ(p.processors.at("FIRST_BILLING").entry.plugin, "first-billing@1.2.0");
  EXPECT_TRUE(p.processors.at("FIRST_BILLING").enabled);
  EXPECT_FALSE(p.processors.at("FIRST_BILLING").canary);
}

TEST(Config, ReadsARolloutWithACanary) {
  testing::TempDir dir;
  Loaded loaded = load(dir, kMinimal + R"(plugins:
  processors:
    FIRST_BILLING:
      plugin: first-billing@1.1.0
      canary: {plugin: first-billing@2.0.0, percent: 5, users: ["42", "77"]}
    LUMP_SUM: {plugin: lump-sum, enabled: false}
)");
  ASSERT_TRUE(loaded.config) << loaded.problems.front();
  const auto& first = loaded.config->plugins.processors.at("FIRST_BILLING");
  ASSERT_TRUE(first.canary);
  EXPECT_EQ(first.canary->entry.plugin, "first-billing@2.0.0");
  EXPECT_EQ(first.canary->percent, 5);
  EXPECT_EQ(first.canary->users, (std::vector<std::string>{"42", "77"}));
  EXPECT_FALSE(loaded.config->plugins.processors.at("LUMP_SUM").enabled);
}

TEST(Config, ReadsTheSameRolloutKeysForValidatorsAndNotifiers) {
  testing::TempDir dir;
  Loaded loaded = load(dir, kMinimal + R"(plugins:
  validators:
    - amount
    - plugin: card@1.0.0
      canary: {plugin: card@1.1.0, config: {require_billing_key: "true"}, percent: 10}
    - {plugin: duplicate-lesson, enabled: false}
  notifiers:
    alimtalk:
      plugin: solapi@1.0.0
      canary: {plugin: solapi@1.1.0, users: ["42"]}
)");
  ASSERT_TRUE(loaded.config) << loaded.problems.front();
  const auto& p = loaded.config->plugins;
  ASSERT_EQ(p.validators.size(), 3u);
  EXPECT_FALSE(p.validators[0].canary);
  EXPECT_TRUE(p.validators[0].enabled);
  ASSERT_TRUE(p.validators[1].canary);
  EXPECT_EQ(p.validators[1].canary->entry.plugin, "card@1.1.0");
  EXPECT_EQ(p.validators[1].canary->entry.config.at("require_billing_key"), "true");
  EXPECT_EQ(p.validators[1].canary->percent, 10);
  EXPECT_FALSE(p.validators[2].enabled);
  const auto& alimtalk = p.notifiers.at("alimtalk");
  ASSERT_TRUE(alimtalk.canary);
  EXPECT_EQ(alimtalk.canary->entry.plugin, "solapi@1.1.0");
  EXPECT_EQ(alimtalk.canary->users, (std::vector<std::string>{"42"}));
  EXPECT_EQ(alimtalk.canary->percent, 0);
}

TEST(Config, RefusesABadValidatorOrNotifierRollout) {
  testing::TempDir dir;
  Loaded loaded = load(dir, kMinimal + R"(plugins:
  validators:
    - {plugin: a, canary: {plugin: b}}
  notifiers:
    sms: {plugin: a, enabled: 1, canary: {plugin: b, percent: -1}}
)");
  ASSERT_EQ(loaded.problems.size(), 3u);
  EXPECT_EQ(loaded.problems[0],
            loaded.path + ":10:27: plugins.validators[0].canary needs percent or users");
  EXPECT_EQ(loaded.problems[1], loaded.path +
                                    ":12:31: plugins.notifiers.sms.enabled must be true or "
                                    "false, found '1'");
  EXPECT_EQ(loaded.problems[2], loaded.path +
                                    ":12:63: plugins.notifiers.sms.canary.percent must be "
                                    "between 0 and 100, found -1");
}

TEST(Config, RefusesABadRollout) {
  testing::TempDir dir;
  Loaded loaded = load(dir, kMinimal + R"(plugins:
  processors:
    FIRST_BILLING: {plugin: a, enabled: maybe, canary: {plugin: b, percent: 150}}
    BILLING: {plugin: a, canary: {plugin: b}}
)");
  ASSERT_EQ(loaded.problems.size(), 3u);
  EXPECT_EQ(loaded.problems[0],
            loaded.path +
                ":10:41: plugins.processors.FIRST_BILLING.enabled must be true or "
                "false, found 'maybe'");
  EXPECT_EQ(loaded.problems[1],
            loaded.path +
                ":10:77: plugins.processors.FIRST_BILLING.canary.percent must be "
                "between 0 and 100, found 150");
  EXPECT_EQ(loaded.problems[2],
            loaded.path + ":11:34: plugins.processors.BILLING.canary needs percent or users");
}

TEST(Config, RefusesAKnownPaymentTypeMappedToNothingAndAnUnknownMappedType) {
  testing::TempDir dir;
  Loaded loaded = load(dir, kMinimal + R"(plugins:
  payment_types: [FIRST_BILLING, BILLING]
  processors:
    FIRST_BILLING: first-billing
    BILLLING: billing
)");
  ASSERT_EQ(loaded.problems.size(), 2u);
  EXPECT_EQ(loaded.problems[0], loaded.path +
                                    ":9:18: payment type BILLING is mapped to no processor (add "
                                    "plugins.processors.BILLING)");
  EXPECT_EQ(
      loaded.problems[1],
      loaded.path + ":12:15: plugins.processors.BILLLING is not one of plugins.payment_types");
}

TEST(Config, ReadsTheOutboxRecurringPolicyAndPublicUrl) {
  testing::TempDir dir;
  Loaded loaded = load(dir, kMinimal + R"(public_url: "https://pay.example.com/"
outbox: {max_attempts: 5, lease_s: 30}
recurring: {retry_hour: 9, max_failures: 7, alimtalk_until: 1, sms_until: 2}
)");
  ASSERT_TRUE(loaded.config) << loaded.problems.front();
  EXPECT_EQ(loaded.config->public_url, "https://pay.example.com");
  EXPECT_EQ(loaded.config->outbox.max_attempts, 5);
  EXPECT_EQ(loaded.config->outbox.lease_s, 30);
  EXPECT_EQ(loaded.config->outbox.batch_size, 16);
  EXPECT_EQ(loaded.config->recurring.retry_hour, 9);
  EXPECT_EQ(loaded.config->recurring.max_failures, 7);
  EXPECT_EQ(loaded.config->recurring.sms_until, 2);
  Loaded defaults = load(dir, kMinimal);
  ASSERT_TRUE(defaults.config);
  EXPECT_EQ(defaults.config->public_url, "http://127.0.0.1:8080");
  EXPECT_EQ(defaults.config->recurring.max_failures, 14);
}

TEST(Config, RefusesARenewalPaymentTypeNoProcessorServes) {
  testing::TempDir dir;
  Loaded loaded = load(dir, kMinimal + R"(plugins:
  processors:
    FIRST_BILLING: {plugin: first-billing}
recurring:
  payment_type: BILLNG
)");
  EXPECT_FALSE(loaded.config);
  ASSERT_EQ(loaded.problems.size(), 1u) << loaded.problems.front();
  EXPECT_EQ(loaded.problems[0], loaded.path +
                                    ":12:17: recurring.payment_type BILLNG is mapped to "
                                    "no processor (add plugins.processors.BILLNG)");
}

TEST(Config, ReadsTheHardDeclineCodesAndRefusesABlankOrRepeatedOne) {
  testing::TempDir dir;
  Loaded loaded = load(dir, kMinimal + R"(recurring:
  hard_decline_codes: [LOST_CARD, STOLEN_CARD]
)");
  ASSERT_TRUE(loaded.config) << loaded.problems.front();
  EXPECT_EQ(loaded.config->recurring.hard_decline_codes,
            (std::set<std::string>{"LOST_CARD", "STOLEN_CARD"}));
  Loaded defaults = load(dir, kMinimal);
  ASSERT_TRUE(defaults.config);
  EXPECT_TRUE(defaults.config->recurring.hard_decline_codes.empty());

  Loaded bad = load(dir, kMinimal + R"(recurring:
  hard_decline_codes:
    - LOST_CARD
    - "lost card"
    - LOST_CARD
)");
  EXPECT_FALSE(bad.config);
  ASSERT_EQ(bad.problems.size(), 2u) << bad.problems.front();
  EXPECT_EQ(bad.problems[0], bad.path +
                                 ":11:7: recurring.hard_decline_codes items are PG codes of 1-64 "
                                 "visible ASCII characters without spaces, found 'lost card'");
  EXPECT_EQ(bad.problems[1],
            bad.path + ":12:7: recurring.hard_decline_codes lists LOST_CARD twice");
  Loaded scalar = load(dir, kMinimal + "recurring: {hard_decline_codes: LOST_CARD}\n");
  EXPECT_FALSE(scalar.config);
  ASSERT_EQ(scalar.problems.size(), 1u);
  EXPECT_NE(scalar.problems[0].find(":8:33: recurring.hard_decline_codes must be a list"),
            std::string::npos)
      << scalar.problems[0];
}

TEST(Config, ReadsTheReconcilerSettingsAndRefusesAGraceTooShort) {
  testing::TempDir dir;
  Loaded loaded = load(dir, kMinimal + "reconcile: {interval_s: 60, grace_s: 1800}\n");
  ASSERT_TRUE(loaded.config) << loaded.problems.front();
  EXPECT_EQ(loaded.config->reconcile.interval_s, 60);
  EXPECT_EQ(loaded.config->reconcile.grace_s, 1800);
  Loaded defaults = load(dir, kMinimal);
  ASSERT_TRUE(defaults.config);
  EXPECT_EQ(defaults.config->reconcile.interval_s, 300);
  EXPECT_EQ(defaults.config->reconcile.grace_s, 900);
  Loaded short_grace = load(dir, kMinimal + "reconcile:\n  grace_s: 5\n");
  EXPECT_FALSE(short_grace.config);
  ASSERT_EQ(short_grace.problems.size(), 1u);
  EXPECT_EQ(short_grace.problems[0].rfind(short_grace.path + ":9:12: reconcile.grace_s", 0), 0u)
      << short_grace.problems[0];
}

TEST(Config, ReadsThePaymentSweepAndReportsEachBadValueAtItsKey) {
  testing::TempDir dir;
  Loaded defaults = load(dir, kMinimal);
  ASSERT_TRUE(defaults.config) << defaults.problems.front();
  const SweepConfig& fallback = defaults.config->reconcile.sweep;
  EXPECT_TRUE(fallback.enabled);
  EXPECT_EQ(fallback.lookback_s, 86'400);
  EXPECT_EQ(fallback.overlap_s, 300);
  EXPECT_EQ(fallback.page_size, 100);
  EXPECT_EQ(fallback.max_per_pass, 500);
  EXPECT_EQ(fallback.max_resends, 3);

  Loaded loaded =
      load(dir, kMinimal +
                    "reconcile:\n  sweep: {enabled: false, lookback_s: 3600, "
                    "overlap_s: 60, page_size: 50, max_per_pass: 200, max_resends: 5}\n");
  ASSERT_TRUE(loaded.config) << loaded.problems.front();
  const SweepConfig& sweep = loaded.config->reconcile.sweep;
  EXPECT_FALSE(sweep.enabled);
  EXPECT_EQ(sweep.lookback_s, 3600);
  EXPECT_EQ(sweep.overlap_s, 60);
  EXPECT_EQ(sweep.page_size, 50);
  EXPECT_EQ(sweep.max_per_pass, 200);
  EXPECT_EQ(sweep.max_resends, 5);

  Loaded bad = load(dir, kMinimal +
                             "reconcile:\n"
                             "  sweep:\n"
                             "    enabled: maybe\n"
                             "    page_size: 200\n"
                             "    max_per_pass: 100\n"
                             "    max_resends: 0\n"
                             "    pages: 3\n");
  EXPECT_FALSE(bad.config);
  ASSERT_EQ(bad.problems.size(), 4u);
  const auto at = [&](const std::string& where) {
    return std::any_of(bad.problems.begin(), bad.problems.end(), [&](const std::string& problem) {
      return problem.rfind(bad.path + ":" + where, 0) == 0;
    });
  };
  EXPECT_TRUE(at("10:14: reconcile.sweep.enabled")) << bad.problems[0];
  EXPECT_TRUE(at("12:19: reconcile.sweep.max_per_pass must be at least")) << bad.problems[1];
  EXPECT_TRUE(at("13:18: reconcile.sweep.max_resends must be between")) << bad.problems[2];
  EXPECT_TRUE(at("14:5: unknown key 'pages' in reconcile.sweep")) << bad.problems[3];
}

// A killed daemon's Redis locks must be free within 10 s: no longer lease is accepted.
TEST(Config, ReadsTheLockLeaseAndRefusesOneOverTenSeconds) {
  testing::TempDir dir;
  Loaded defaults = load(dir, kMinimal);
  ASSERT_TRUE(defaults.config) << defaults.problems.front();
  EXPECT_EQ(defaults.config->pipeline.lock_lease_ms, 5000);
  Loaded shorter = load(dir, kMinimal + "pipeline: {lock_lease_ms: 2000}\n");
  ASSERT_TRUE(shorter.config) << shorter.problems.front();
  EXPECT_EQ(shorter.config->pipeline.lock_lease_ms, 2000);
  Loaded longer = load(dir, kMinimal + "pipeline:\n  lock_lease_ms: 20000\n");
  EXPECT_FALSE(longer.config);
  ASSERT_EQ(longer.problems.size(), 1u);
  EXPECT_EQ(longer.problems[0].rfind(longer.path + ":9:", 0), 0u) << longer.problems[0];
  EXPECT_NE(longer.problems[0].find("lock_lease_ms"), std::string::npos) << longer.problems[0];
}

TEST(Config, RefusesAnUnknownTopLevelKeyAtItsPosition) {
  testing::TempDir dir;
  Loaded loaded = load(dir, kMinimal + "htpp:\n  listen: \"0.0.0.0:80\"\n");
  EXPECT_FALSE(loaded.config);
  ASSERT_EQ(loaded.problems.size(), 1u);
  EXPECT_EQ(loaded.problems[0], loaded.path + ":8:1: unknown key 'htpp' in the config");
}

TEST(Config, RefusesAnUnknownNestedKeyAtItsPosition) {
  testing::TempDir dir;
  Loaded loaded = load(dir, kMinimal + "http:\n  listen: \"127.0.0.1:9000\"\n  treads: 4\n");
  ASSERT_EQ(loaded.problems.size(), 1u);
  EXPECT_EQ(loaded.problems[0], loaded.path + ":10:3: unknown key 'treads' in http");
}

TEST(Config, RefusesAWrongTypeAtTheValue) {
  testing::TempDir dir;
  Loaded loaded = load(dir, kMinimal + "http:\n  threads: many\n");
  ASSERT_EQ(loaded.problems.size(), 1u);
  EXPECT_EQ(loaded.problems[0],
            loaded.path + ":9:12: http.threads must be an integer, found 'many'");
}

TEST(Config, RefusesAMapWhereAValueBelongs) {
  testing::TempDir dir;
  Loaded loaded = load(dir, kMinimal + "lock: {redis: true}\n");
  ASSERT_EQ(loaded.problems.size(), 1u);
  EXPECT_EQ(loaded.problems[0],
            loaded.path + ":8:7: the config.lock must be a single value, found a map");
}

TEST(Config, RefusesBrokenYamlWithItsPosition) {
  testing::TempDir dir;
  Loaded loaded = load(dir, "http: {listen: \"127.0.0.1:80\"\nstorage: x\n");
  ASSERT_EQ(loaded.problems.size(), 1u);
  EXPECT_EQ(loaded.problems[0], loaded.path + ":2:1: YAML syntax error: end of map flow not found");
}

TEST(Config, RefusesTabIndentationWithItsPosition) {
  testing::TempDir dir;
  Loaded loaded = load(dir, "http:\n\tlisten: x\n");
  ASSERT_EQ(loaded.problems.size(), 1u);
  EXPECT_EQ(loaded.problems[0].rfind(loaded.path + ":2:", 0), 0u) << loaded.problems[0];
}

TEST(Config, RefusesAMissingFile) {
  testing::TempDir dir;
  ConfigProblems problems;
  const std::string path = (dir.path() / "nope.yaml").string();
  EXPECT_FALSE(loadConfig(path, "/plugins", problems));
  ASSERT_EQ(problems.lines().size(), 1u);
  EXPECT_EQ(problems.lines()[0], path + ":1:1: cannot read config file: No such file or directory");
}

TEST(Config, RefusesAMissingRequiredKey) {
  testing::TempDir dir;
  Loaded loaded = load(dir, "storage: \"sqlite:x.db\"\ncatalog: plans.yaml\n");
  ASSERT_EQ(loaded.problems.size(), 1u);
  EXPECT_EQ(loaded.problems[0], loaded.path + ":1:1: missing required key 'portone' in the config");
}

TEST(Config, RefusesADuplicateKeyThatYamlCppWouldAccept) {
  testing::TempDir dir;
  Loaded loaded = load(dir, kMinimal + "lock: local\nlock: \"redis://127.0.0.1:6379/0\"\n");
  ASSERT_EQ(loaded.problems.size(), 1u);
  EXPECT_EQ(loaded.problems[0], loaded.path + ":9:1: duplicate key 'lock' in the config");
}

TEST(Config, RefusesABadListenAddressAndBadStorage) {
  testing::TempDir dir;
  Loaded loaded = load(dir, R"(storage: "mysql://db"
http: {listen: "localhost"}
portone: {api_base: "ftp://x", store_id: s, api_secret_file: a, webhook_secret_files: []}
catalog: plans.yaml
)");
  ASSERT_EQ(loaded.problems.size(), 4u);
  EXPECT_EQ(loaded.problems[0],
            loaded.path + ":2:16: http.listen must be HOST:PORT (port 0-65535), found 'localhost'");
  EXPECT_EQ(loaded.problems[1],
            loaded.path +
                ":1:10: storage must be sqlite:PATH or postgresql://user@host:port/db, "
                "found 'mysql...'");
  EXPECT_EQ(loaded.problems[2],
            loaded.path +
                ":3:21: portone.api_base must start with https:// (or http:// for "
                "a loopback sandbox)");
  EXPECT_EQ(loaded.problems[3],
            loaded.path + ":3:87: portone.webhook_secret_files must name at least one file");
}

TEST(Config, RefusesAPluginConfigValueThatIsNotAScalar) {
  testing::TempDir dir;
  Loaded loaded =
      load(dir, kMinimal +
                    "plugins:\n  validators:\n    - {plugin: amount, config: {limits: [1, 2]}}\n");
  ASSERT_EQ(loaded.problems.size(), 1u);
  EXPECT_EQ(loaded.problems[0], loaded.path +
                                    ":10:41: plugins.validators[0].config.limits must be a single "
                                    "value, found a list");
}

TEST(Config, ExpandsSystemdCredentialAndStateDirectories) {
  testing::TempDir dir;
  ::setenv("CREDENTIALS_DIRECTORY", "/run/credentials/paymentd.service", 1);
  ::setenv("STATE_DIRECTORY", "/var/lib/paymentd", 1);
  Loaded loaded = load(dir, R"(storage: "sqlite:${STATE_DIRECTORY}/paymentd.db"
portone:
  api_base: "https://api.portone.io"
  store_id: "store-1"
  api_secret_file: "${CREDENTIALS_DIRECTORY}/portone-api-secret"
  webhook_secret_files: ["${CREDENTIALS_DIRECTORY}/portone-webhook-secret"]
catalog: "plans.yaml"
)");
  ::unsetenv("CREDENTIALS_DIRECTORY");
  ::unsetenv("STATE_DIRECTORY");
  ASSERT_TRUE(loaded.config) << loaded.problems.front();
  EXPECT_EQ(loaded.config->storage, "sqlite:/var/lib/paymentd/paymentd.db");
  EXPECT_EQ(loaded.config->portone.api_secret_file,
            "/run/credentials/paymentd.service/portone-api-secret");
  EXPECT_EQ(loaded.config->portone.webhook_secret_files[0],
            "/run/credentials/paymentd.service/portone-webhook-secret");
}

TEST(Config, RefusesAnUnsetVariableAtItsValue) {
  testing::TempDir dir;
  ::unsetenv("CREDENTIALS_DIRECTORY");
  std::string text = kMinimal;
  text.replace(text.find("\"secrets/api\""), 13, "\"${CREDENTIALS_DIRECTORY}/api\"");
  Loaded loaded = load(dir, text);
  ASSERT_EQ(loaded.problems.size(), 1u);
  EXPECT_EQ(loaded.problems[0], loaded.path +
                                    ":5:20: portone.api_secret_file uses ${CREDENTIALS_DIRECTORY}, "
                                    "which is not set in the environment (the unit sets it; "
                                    "outside the unit pass "
                                    "--credentials-dir=/etc/paymentd/credentials)");
}

TEST(Config, LoadsThePackagedConfigUnderSystemd) {
  // The unit's credentials: the admin token is read at load (the others when used).
  testing::TempDir credentials;
  credentials.write("admin-token", "packaged-admin-token-0123456789\n");
  ::setenv("CREDENTIALS_DIRECTORY", credentials.path().c_str(), 1);
  ConfigProblems problems;
  auto config = loadConfig(std::string(PAYMENTD_SOURCE_DIR) + "/packaging/paymentd.yaml",
                           "/plugins", problems);
  ::unsetenv("CREDENTIALS_DIRECTORY");
  ASSERT_TRUE(config) << problems.lines().front();
  EXPECT_EQ(config->storage, "sqlite:/var/lib/paymentd/paymentd.db");
  EXPECT_EQ(config->catalog, std::string(PAYMENTD_SOURCE_DIR) + "/packaging/plans.yaml");
  EXPECT_EQ(config->logging.format, LogFormat::kJson);
  EXPECT_TRUE(config->portone.require_live);  // production takes live payments only
  EXPECT_TRUE(config->admin.enabled);
  EXPECT_EQ(config->admin.host, "127.0.0.1");
  EXPECT_EQ(config->admin.port, 8081);
  EXPECT_EQ(config->admin.token_file, credentials.path().string() + "/admin-token");
}

TEST(Config, RefusesAnAdminTokenThatIsMissingOrShort) {
  testing::TempDir dir;
  dir.write("short-token", "too-short\n");
  Loaded missing = load(dir, kMinimal + "admin: {listen: \"127.0.0.1:8081\", token_file: nope}\n");
  ASSERT_EQ(missing.problems.size(), 1u);
  EXPECT_NE(missing.problems[0].find("admin.token_file: cannot read"), std::string::npos)
      << missing.problems[0];
  Loaded short_token =
      load(dir, kMinimal + "admin: {listen: \"127.0.0.1:99999\", token_file: short-token}\n");
  ASSERT_EQ(short_token.problems.size(), 2u);
  EXPECT_NE(short_token.problems[0].find("admin.listen must be HOST:PORT"), std::string::npos);
  EXPECT_NE(short_token.problems[1].find("shorter than 16 characters"), std::string::npos);
}

TEST(Config, RefusesAnUnknownLogLevel) {
  testing::TempDir dir;
  Loaded loaded = load(dir, kMinimal + "logging: {level: loud}\n");
  ASSERT_EQ(loaded.problems.size(), 1u);
  EXPECT_EQ(loaded.problems[0],
            loaded.path +
                ":8:18: logging.level must be one of trace, debug, info, notice, "
                "warning, error, fatal; found 'loud'");
}

}  // namespace
}  // namespace paymentd::config
