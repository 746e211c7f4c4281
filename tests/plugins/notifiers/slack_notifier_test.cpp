// The Slack notifier against a fake incoming webhook: the wire format Slack's
// docs describe (POST, JSON body with "text", Content-type application/json),
// and what each answer means.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <fstream>
#include <utility>
#include <vector>

#include "fake_http_server.h"
#include "plugin_under_test.h"
#include "support/temp_dir.h"

namespace paymentd::testing {
namespace {

struct SlackFixture {
  FakeHttpServer slack;
  TempDir dir;
  std::unique_ptr<Notifier> notifier;
  Notification notice;

  SlackFixture() {
    const std::string file = dir.write("slack-url", slack.url("/services/T000/B000/XXXX") + "\n");
    notifier = createPlugin<Notifier>({{"webhook_url_file", file}});
    notice.channel = "admin_slack";
    notice.template_code = "BILLING_FAILING";
    notice.payment_id = "paymentd-sub1-c1-a4";
    notice.user_id = "42";
    notice.fields = {{"failure_count", "4"}, {"retry_date", "2026-12-28 10:00"}};
  }
};

TEST(SlackNotifier, PostsTheNoticeAsJsonTextToTheWebhookUrl) {
  SlackFixture f;
  Outcome outcome = f.notifier->send(f.notice);
  ASSERT_TRUE(outcome.isOk()) << outcome.message();
  const auto requests = f.slack.requests();
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0].method, "POST");
  EXPECT_EQ(requests[0].path, "/services/T000/B000/XXXX");
  EXPECT_EQ(requests[0].headers.at("Content-Type"), "application/json; charset=utf-8");
  EXPECT_EQ(requests[0].body,
            R"({"text":"*BILLING_FAILING* payment `paymentd-sub1-c1-a4` user `42`\nfailure_count: )"
            R"(4\nretry_date: 2026-12-28 10:00"})");
}

TEST(SlackNotifier, AServerErrorOrRateLimitIsRetriedAndA4xxIsPermanent) {
  SlackFixture f;
  f.slack.queue(500, "rollup_error");
  f.slack.queue(429, "rate_limited");
  f.slack.queue(404, "channel_not_found");
  Outcome server_error = f.notifier->send(f.notice);
  EXPECT_TRUE(server_error.isTransient());
  EXPECT_EQ(server_error.message(), "slack answered 500: rollup_error");
  EXPECT_TRUE(f.notifier->send(f.notice).isTransient());
  Outcome gone = f.notifier->send(f.notice);
  EXPECT_TRUE(gone.isRejected());
  EXPECT_EQ(gone.code(), "NOTIFIER_REJECTED");
  EXPECT_EQ(f.slack.requests().size(), 3u);
}

TEST(SlackNotifier, AnUnreachableWebhookIsRetried) {
  TempDir dir;
  const std::string file = dir.write("slack-url", "http://127.0.0.1:1/services/x\n");
  EXPECT_EQ(createPlugin<Notifier>({{"webhook_url_file", file}})->send(Notification{}).code(),
            "NOTIFIER_UNREACHABLE");
}

TEST(SlackNotifier, RefusesToStartWithoutItsSecretFile) {
  try {
    createPlugin<Notifier>({{"webhook_url_file", "/nonexistent/slack-url"}});
    FAIL() << "created without a webhook URL";
  } catch (const std::runtime_error& e) {
    EXPECT_EQ(std::string(e.what()),
              "config key 'webhook_url_file': cannot read /nonexistent/slack-url");
  }
}

// Issue 20: the webhook URL file is read like the host's secrets: a regular
// file of at most 64 KiB, refused at once with the reason (a FIFO would block
// the start, /dev/zero would be read until memory runs out).
TEST(SlackNotifier, RefusesASecretFileThatIsNotASmallRegularFile) {
  TempDir dir;
  const std::string root = dir.path().string();
  const std::string fifo = root + "/fifo";
  ASSERT_EQ(mkfifo(fifo.c_str(), 0600), 0);
  const std::string big = dir.write("big", "http://x/\n" + std::string(70 * 1024, 'x') + "\n");
  const std::vector<std::pair<std::string, std::string>> cases = {
      {root, "a directory, not a regular file"},
      {"/dev/zero", "a character device, not a regular file"},
      {fifo, "a FIFO, not a regular file"},
      {big, "larger than 65536 bytes"},
  };
  for (const auto& [path, problem] : cases) {
    try {
      createPlugin<Notifier>({{"webhook_url_file", path}});
      ADD_FAILURE() << "created from " << path;
    } catch (const std::runtime_error& e) {
      EXPECT_EQ(std::string(e.what()),
                "config key 'webhook_url_file': cannot read " + path + ": " + problem);
    }
  }
}

}  // namespace
}  // namespace paymentd::testing
