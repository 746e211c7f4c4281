// events: where paymentd posts the application's events, read as strictly as
// the rest of the config, its URL and secret file checked where the start,
// --check-config and a reload check them (outbox::readEventTarget).
#include <gtest/gtest.h>

#include "clock/clock.h"
#include "config/config.h"
#include "loaded_config.h"
#include "outbox/event_executor.h"
#include "portone/webhook_signature.h"
#include "support/temp_dir.h"

namespace paymentd::config {
namespace {

const std::string kHead = R"(storage: "sqlite:data/paymentd.db"
catalog: "plans.yaml"
portone:
  api_base: "https://api.portone.io"
  store_id: "store-1"
  api_secret_file: "secrets/api"
  webhook_secret_files: ["secrets/webhook"]
)";
const std::string kSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

TEST(EventsConfig, IsAbsentWhenNotConfigured) {
  testing::TempDir dir;
  Loaded loaded = load(dir, kHead);
  ASSERT_TRUE(loaded.config) << loaded.problems.front();
  EXPECT_FALSE(loaded.config->events);
  ConfigProblems problems;
  EXPECT_FALSE(outbox::readEventTarget(std::nullopt, SystemClock::instance(), problems));
  EXPECT_TRUE(problems.empty());
}

TEST(EventsConfig, ReadsTheUrlTheTimeoutsAndTheSecretFromItsFile) {
  testing::TempDir dir;
  dir.write("secrets/events", kSecret + "\n");
  Loaded loaded = load(dir, kHead + R"(events:
  url: "https://app.example/hooks/paymentd"
  secret_file: "secrets/events"
  connect_timeout_ms: 500
  read_timeout_ms: 3000
)");
  ASSERT_TRUE(loaded.config) << loaded.problems.front();
  ASSERT_TRUE(loaded.config->events);
  EXPECT_EQ(loaded.config->events->secret_file, dir.path().string() + "/secrets/events");
  ConfigProblems problems;
  const auto target =
      outbox::readEventTarget(loaded.config->events, SystemClock::instance(), problems);
  ASSERT_TRUE(target) << problems.lines().front();
  EXPECT_EQ(target->url, "https://app.example/hooks/paymentd");
  EXPECT_EQ(target->key, *portone::decodeWebhookSecret(kSecret));
  EXPECT_EQ(target->connect_timeout, std::chrono::milliseconds(500));
  EXPECT_EQ(target->read_timeout, std::chrono::milliseconds(3000));
}

TEST(EventsConfig, RefusesAnUnknownKeyAMissingOneAndABadScheme) {
  testing::TempDir dir;
  Loaded loaded = load(dir, kHead + R"(events:
  url: "ftp://app.example/hooks"
  read_timeout_ms: 0
  secert_file: "secrets/events"
)");
  EXPECT_FALSE(loaded.config);
  ASSERT_EQ(loaded.problems.size(), 4u);
  EXPECT_EQ(
      loaded.problems[0],
      loaded.path + ":9:8: events.url must start with https:// (or http:// to a loopback host)");
  EXPECT_EQ(loaded.problems[1], loaded.path + ":9:3: missing required key 'secret_file' in events");
  EXPECT_NE(loaded.problems[2].find(loaded.path + ":10:20: "), std::string::npos)
      << loaded.problems[2];
  EXPECT_EQ(loaded.problems[3], loaded.path + ":11:3: unknown key 'secert_file' in events");
}

TEST(EventsConfig, RefusesPlainHttpToAnotherHostAndASecretThatIsNotWhsec) {
  testing::TempDir dir;
  dir.write("secrets/events", "not a secret\n");
  Loaded loaded = load(dir, kHead + R"(events:
  url: "http://app.example/hooks"
  secret_file: "secrets/events"
)");
  ASSERT_TRUE(loaded.config) << loaded.problems.front();
  ConfigProblems problems;
  EXPECT_FALSE(outbox::readEventTarget(loaded.config->events, SystemClock::instance(), problems));
  ASSERT_EQ(problems.lines().size(), 2u);
  EXPECT_EQ(problems.lines()[0], loaded.path +
                                     ":10:16: events.secret_file: " + dir.path().string() +
                                     "/secrets/events does not hold a secret (whsec_ followed by "
                                     "Base64)");
  EXPECT_NE(problems.lines()[1].find(loaded.path + ":9:8: events.url: "), std::string::npos)
      << problems.lines()[1];
  EXPECT_NE(problems.lines()[1].find("loopback"), std::string::npos) << problems.lines()[1];
  EXPECT_EQ(problems.lines()[1].find("not a secret"), std::string::npos);
}

}  // namespace
}  // namespace paymentd::config
