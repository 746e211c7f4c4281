// The events paymentd posts to the surrounding application (`events:`), end to
// end: a subscription's changes and refunds, made by webhooks, renewals at the
// sandbox and the operator API, each enqueued in the change's transaction and
// posted signed (Standard Webhooks) by the outbox worker to a receiver, on
// SQLite with the in-process lock and on PostgreSQL with Redis.
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <gtest/gtest.h>

#include "fake_http_server.h"
#include "outbox/event_executor.h"
#include "pipeline_harness.h"
#include "portone/webhook_signature.h"
#include "portone/webhook_verifier.h"
#include "storage/event_outbox.h"
#include "storage/time_codec.h"
#include "support/test_servers.h"

namespace paymentd::pipeline {
namespace {

using testing::FakeHttpServer;
using testing::HarnessOptions;
using testing::paidPayment;
using testing::PipelineHarness;
using testing::RecordedRequest;

const std::string kToken = "admin-token-0123456789abcdef";
const std::string kFirstBilling = "user_id=42&subscribe_id=monthly-4&payment_type=FIRST_BILLING";
const std::string kPhone = "01098765432";
const std::string kHardCode = "INVALID_CARD_LOST_OR_STOLEN";

Poco::JSON::Object::Ptr json(const std::string& body) {
  Poco::JSON::Parser parser;
  return parser.parse(body).extract<Poco::JSON::Object::Ptr>();
}

std::int64_t number(const Poco::JSON::Object::Ptr& object, const std::string& key) {
  return object->getValue<std::int64_t>(key);
}

std::string text(const Poco::JSON::Object::Ptr& object, const std::string& key) {
  return object->getValue<std::string>(key);
}

std::string header(const RecordedRequest& request, const std::string& name) {
  const auto found = request.headers.find(name);
  return found == request.headers.end() ? "" : found->second;
}

// What a receiver holding the secret concludes (the real clock: the events' is one too).
portone::WebhookVerdict verdictOf(const RecordedRequest& request) {
  const auto verifier =
      portone::WebhookVerifier::fromSecrets({testing::kEventsSecret}, SystemClock::instance());
  const auto headers =
      portone::WebhookHeaders::from([&](const std::string& name) -> std::optional<std::string> {
        const std::string value = header(request, name);
        if (value.empty()) return std::nullopt;
        return value;
      });
  return verifier.verify(headers, request.body);
}

template <typename Backend>
class EventsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    PAYMENTD_REQUIRE_BACKEND(Backend::kBackend);
    HarnessOptions options;
    options.every_processor = true;
    options.admin_token = kToken;
    options.events_url = receiver_.url("/hooks/paymentd?source=test");
    options.recurring.hard_decline_codes = {kHardCode};
    if (Backend::kBackend == storage::Backend::kPostgres) {
      PAYMENTD_REQUIRE_SERVER(redis, "PAYMENTD_TEST_REDIS");
      options.lock_url = redis;
    }
    harness_ = std::make_unique<PipelineHarness>(Backend::kBackend, options);
  }

  PipelineHarness& h() { return *harness_; }

  // Subscription 1 of user 42 (whose phone PortOne has), paid by pay-1 on `card`; PortOne's
  // console refunds of pay-1 reach this daemon.
  void startSubscription(const std::string& card) {
    auto payment = paidPayment("pay-1", 59000, card, kPhone);
    payment.set("noticeUrl", h().webhookUrl(kFirstBilling));
    h().createPayment(payment);
    ASSERT_EQ(h().sendWebhook("Transaction.Paid", "pay-1", kFirstBilling).body,
              R"({"status":"fulfilled"})");
  }
  Timestamp periodEnd() {
    return storage::fromMicros(h().count("SELECT period_end_us FROM subscriptions WHERE id = 1"));
  }
  // The events the receiver got, in order, as {type, data}; each checked on the way:
  // signed with the secret, its webhook-id the outbox item's, ids only in its body.
  std::vector<std::pair<std::string, Poco::JSON::Object::Ptr>> delivered() {
    std::vector<std::pair<std::string, Poco::JSON::Object::Ptr>> events;
    for (const RecordedRequest& request : receiver_.requests()) {
      EXPECT_EQ(request.method, "POST");
      EXPECT_EQ(request.path, "/hooks/paymentd?source=test");
      EXPECT_EQ(verdictOf(request), portone::WebhookVerdict::kValid) << request.body;
      EXPECT_EQ(header(request, "Authorization"), "");  // PortOne's secret goes to PortOne only
      EXPECT_EQ(request.body.find(kPhone), std::string::npos) << request.body;
      EXPECT_EQ(request.body.find("card-"), std::string::npos) << request.body;  // no billing key
      const auto body = json(request.body);
      const std::string type = body->getValue<std::string>("type");
      EXPECT_EQ(h().text("SELECT kind FROM outbox WHERE id = " + header(request, "webhook-id")),
                "event");
      EXPECT_NE(h().text("SELECT payload FROM outbox WHERE id = " + header(request, "webhook-id"))
                    .find(type),
                std::string::npos);
      EXPECT_FALSE(body->getValue<std::string>("timestamp").empty());
      events.emplace_back(type, body->getObject("data"));
    }
    return events;
  }
  std::vector<std::string> types() {
    std::vector<std::string> names;
    for (const auto& [type, data] : delivered()) names.push_back(type);
    return names;
  }

  FakeHttpServer receiver_;
  std::unique_ptr<PipelineHarness> harness_;
};

using Backends = ::testing::Types<testing::SqliteBackend, testing::PostgresBackend>;
TYPED_TEST_SUITE(EventsTest, Backends, testing::BackendNames);

TYPED_TEST(EventsTest, ASubscriptionsLifeIsToldOnceEachSignedAndWithIdsOnly) {
  auto& h = this->h();
  h.registerCard("card-ok", 0, "succeed");
  this->startSubscription("card-ok");
  ASSERT_EQ(h.drainOutbox(), 2u);  // the renewal's schedule and the event
  auto events = this->delivered();
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].first, "subscription.created");
  const auto& created = events[0].second;
  EXPECT_EQ(number(created, "subscriptionId"), 1);
  EXPECT_EQ(text(created, "userId"), "42");
  EXPECT_EQ(text(created, "planId"), "monthly-4");
  EXPECT_EQ(text(created, "paymentId"), "pay-1");

  // The renewal PortOne charges on schedule.
  ASSERT_EQ(h.advanceSandboxTo(this->periodEnd()).size(), 1u);
  ASSERT_TRUE(h.waitForCount("SELECT COUNT(*) FROM payments WHERE id = 'paymentd-sub1-c1-a1'", 1));
  h.drainOutbox();
  events = this->delivered();
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[1].first, "subscription.renewed");
  EXPECT_EQ(text(events[1].second, "paymentId"), "paymentd-sub1-c1-a1");

  // The operator's changes: a cancel at period end tells nothing yet; undoing it does.
  ASSERT_EQ(h.admin("POST", "/admin/v1/subscriptions/1/cancel",
                    R"({"at":"period_end","reason":"moving"})", "c-1")
                .status,
            200);
  ASSERT_EQ(
      h.admin("POST", "/admin/v1/subscriptions/1/resume", R"({"reason":"stays"})", "r-1").status,
      200);
  ASSERT_EQ(h.admin("POST", "/admin/v1/payments/paymentd-sub1-c1-a1/refund",
                    R"({"amount":9000,"reason":"one lesson missed"})", "f-1")
                .status,
            200);
  ASSERT_EQ(
      h.admin("POST", "/admin/v1/subscriptions/1/cancel", R"({"at":"now","reason":"left"})", "c-2")
          .status,
      200);
  // A repeated request changes nothing, so it tells nothing.
  ASSERT_EQ(
      h.admin("POST", "/admin/v1/subscriptions/1/cancel", R"({"at":"now","reason":"left"})", "c-2")
          .status,
      200);
  h.drainOutbox();
  events = this->delivered();
  ASSERT_EQ(this->types(), (std::vector<std::string>{"subscription.created", "subscription.renewed",
                                                     "subscription.resumed", "payment.refunded",
                                                     "subscription.cancelled"}));
  const auto& refunded = events[3].second;
  EXPECT_EQ(text(refunded, "paymentId"), "paymentd-sub1-c1-a1");
  EXPECT_EQ(number(refunded, "amount"), 9000);
  EXPECT_EQ(number(refunded, "subscriptionId"), 1);
  EXPECT_EQ(number(events[4].second, "subscriptionId"), 1);
  EXPECT_EQ(h.count("SELECT COUNT(*) FROM outbox WHERE kind = 'event' AND status <> 'DONE'"), 0);
}

TYPED_TEST(EventsTest, ADeclinedRenewalTellsPastDueAndANewCardTellsCardChanged) {
  auto& h = this->h();
  h.registerCard("card-declines", 0, "decline");
  this->startSubscription("card-declines");
  h.drainOutbox();
  ASSERT_EQ(h.advanceSandboxTo(this->periodEnd()).size(), 1u);  // declined
  ASSERT_TRUE(h.waitForCount("SELECT COUNT(*) FROM billing_failures", 1));
  Poco::JSON::Object card;
  card.set("billingKey", "card-new");
  card.set("customerId", "42");
  card.set("cardNumber", "4000123412341234");
  card.set("then", "succeed");
  std::ostringstream card_json;
  card.stringify(card_json);
  ASSERT_EQ(
      testing::httpCall(h.sandboxPort(), "POST", "/_sandbox/billing-keys", card_json.str()).status /
          100,
      2);
  ASSERT_EQ(h.admin("PUT", "/admin/v1/subscriptions/1/billing-key",
                    R"({"billingKey":"card-new","reason":"after the SMS"})", "k-n")
                .status,
            200);
  h.drainOutbox();
  const auto events = this->delivered();
  ASSERT_EQ(this->types(),
            (std::vector<std::string>{"subscription.created", "subscription.past_due",
                                      "subscription.card_changed"}));
  EXPECT_EQ(text(events[1].second, "paymentId"), "paymentd-sub1-c1-a1");
}

TYPED_TEST(EventsTest, AHardDeclineTellsFailed) {
  auto& h = this->h();
  h.registerCard("card-stolen", 0, "decline", kHardCode);
  this->startSubscription("card-stolen");
  h.drainOutbox();
  ASSERT_EQ(h.advanceSandboxTo(this->periodEnd()).size(), 1u);
  ASSERT_TRUE(h.waitForCount("SELECT COUNT(*) FROM subscriptions WHERE status = 'FAILED'", 1));
  h.drainOutbox();
  const auto events = this->delivered();
  ASSERT_EQ(this->types(),
            (std::vector<std::string>{"subscription.created", "subscription.failed"}));
  EXPECT_EQ(text(events[1].second, "paymentId"), "paymentd-sub1-c1-a1");
}

TYPED_TEST(EventsTest, AConsoleRefundTellsTheRefundAndTheCancellationOnce) {
  auto& h = this->h();
  h.registerCard("card-ok", 0, "succeed");
  this->startSubscription("card-ok");
  h.cancelAtConsole("pay-1", std::nullopt);
  ASSERT_TRUE(h.waitForCount("SELECT COUNT(*) FROM subscriptions WHERE status = 'CANCELLED'", 1));
  h.drainOutbox();
  const auto events = this->delivered();
  ASSERT_EQ(this->types(), (std::vector<std::string>{"subscription.created", "payment.refunded",
                                                     "subscription.cancelled"}));
  EXPECT_EQ(text(events[1].second, "paymentId"), "pay-1");
  EXPECT_EQ(number(events[1].second, "amount"), 59000);
  EXPECT_EQ(number(events[2].second, "subscriptionId"), 1);
}

TYPED_TEST(EventsTest, ARolledBackFulfilmentTellsNoSubscriptionOnlyItsRefund) {
  auto& h = this->h();
  h.createPayment(paidPayment("pay-1", 1000, "card-ok", kPhone));  // not the plan's price
  ASSERT_EQ(h.sendWebhook("Transaction.Paid", "pay-1", kFirstBilling).body,
            R"({"status":"refunded","code":"AMOUNT_MISMATCH"})");
  h.drainOutbox();
  const auto events = this->delivered();
  ASSERT_EQ(this->types(), (std::vector<std::string>{"payment.refunded"}));
  EXPECT_EQ(text(events[0].second, "paymentId"), "pay-1");
  EXPECT_EQ(text(events[0].second, "userId"), "42");
  EXPECT_EQ(number(events[0].second, "amount"), 1000);
  EXPECT_EQ(h.count("SELECT COUNT(*) FROM subscriptions"), 0);
}

TYPED_TEST(EventsTest, ARetryKeepsTheWebhookIdAndSignsItsOwnTimestamp) {
  auto& h = this->h();
  this->receiver_.queue(500, "deploying");
  h.registerCard("card-ok", 0, "succeed");
  this->startSubscription("card-ok");
  h.drainOutbox();  // the backoff is 1 ms in the harness: the retry runs in this drain
  const auto requests = this->receiver_.requests();
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_EQ(header(requests[0], "webhook-id"), header(requests[1], "webhook-id"));
  EXPECT_EQ(requests[0].body, requests[1].body);  // fixed when enqueued
  for (const auto& request : requests) {
    EXPECT_EQ(verdictOf(request), portone::WebhookVerdict::kValid);
  }
  const std::string id = header(requests[0], "webhook-id");
  EXPECT_EQ(h.text("SELECT status FROM outbox WHERE id = " + id), "DONE");
  EXPECT_EQ(h.count("SELECT attempts FROM outbox WHERE id = " + id), 2);
  const auto trace = h.trace("pay-1");
  EXPECT_NE(trace.out.find("the events receiver answered 500"), std::string::npos) << trace.out;
}

TYPED_TEST(EventsTest, WithoutAnEventsSectionNothingIsEnqueued) {
  PipelineHarness plain(TypeParam::kBackend);
  plain.registerCard("card-ok", 0, "succeed");
  plain.createPayment(paidPayment("pay-1", 59000, "card-ok"));
  ASSERT_EQ(plain.sendWebhook("Transaction.Paid", "pay-1", kFirstBilling).status, 200);
  EXPECT_EQ(plain.count("SELECT COUNT(*) FROM subscriptions"), 1);
  EXPECT_EQ(plain.count("SELECT COUNT(*) FROM outbox WHERE kind = 'event'"), 0);
}

// What a reload does to the executor: the next delivery goes to the new target, signed with
// the new secret; without `events:` a waiting event is dropped.
TEST(EventExecutor, AReloadsTargetTakesTheNextDeliveryAndNoTargetDropsIt) {
  FakeHttpServer first;
  FakeHttpServer second;
  const std::string rotated = "whsec_cm90YXRlZC13ZWJob29rLXNlY3JldC0wMTIzNDU2Nzg5";
  const auto target = [](const std::string& url, const std::string& secret) {
    return outbox::EventTarget{url, *portone::decodeWebhookSecret(secret),
                               std::chrono::milliseconds(1000), std::chrono::milliseconds(1000)};
  };
  outbox::EventExecutor executor(SystemClock::instance(),
                                 target(first.url("/a"), testing::kEventsSecret));
  const storage::OutboxRecord record{
      7, OutboxItem{storage::kOutboxEvent, "event:x", R"({"type":"t"})", {}}, 0, ""};
  ASSERT_EQ(executor.execute(record).result, outbox::Attempt::Result::kDone);
  EXPECT_TRUE(executor.uses(target(first.url("/a"), testing::kEventsSecret)));
  EXPECT_FALSE(executor.uses(target(first.url("/a"), rotated)));  // a secret rotated in place

  executor.apply(target(second.url("/b"), rotated));
  ASSERT_EQ(executor.execute(record).result, outbox::Attempt::Result::kDone);
  ASSERT_EQ(first.requests().size(), 1u);
  ASSERT_EQ(second.requests().size(), 1u);
  EXPECT_EQ(second.requests()[0].path, "/b");
  const auto verifier = portone::WebhookVerifier::fromSecrets({rotated}, SystemClock::instance());
  const RecordedRequest sent = second.requests()[0];
  EXPECT_EQ(verifier.verify(portone::WebhookHeaders::from(
                                [&](const std::string& name) -> std::optional<std::string> {
                                  return header(sent, name);
                                }),
                            sent.body),
            portone::WebhookVerdict::kValid);

  executor.apply(std::nullopt);
  EXPECT_TRUE(executor.uses(std::nullopt));
  EXPECT_EQ(executor.execute(record).result, outbox::Attempt::Result::kDropped);
  EXPECT_EQ(second.requests().size(), 1u);
}

}  // namespace
}  // namespace paymentd::pipeline
