// A webhook as it reaches the route: the three signature headers and the raw
// body, any bytes. The verifier must never crash and never accept what the key
// did not sign; what it accepts (half the inputs are signed with the key, so
// the parser is reached with arbitrary bodies) goes through the body parser.
//
// Input: a control byte, then webhook-id, webhook-timestamp and
// webhook-signature, each up to a newline, then the body.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "clock/manual_clock.h"
#include "portone/webhook_event.h"
#include "portone/webhook_signature.h"
#include "portone/webhook_verifier.h"

namespace {

using namespace paymentd::portone;

constexpr std::string_view kKey = "fuzzing-key-0123456789abcdef";

std::string_view nextLine(std::string_view& rest) {
  const auto end = rest.find('\n');
  const std::string_view line = rest.substr(0, end);
  rest = end == std::string_view::npos ? std::string_view() : rest.substr(end + 1);
  return line;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  static const paymentd::ManualClock clock(
      std::chrono::system_clock::time_point(std::chrono::seconds(1700000000)));
  static const WebhookVerifier verifier({std::string(kKey)}, clock);
  static const WebhookEventParser parser(
      "store-fuzz", {WebhookEventType::kTransactionPaid, WebhookEventType::kTransactionFailed,
                     WebhookEventType::kTransactionCancelled});
  const bool sign = (data[0] & 1) != 0;
  std::string_view rest(reinterpret_cast<const char*>(data) + 1, size - 1);
  WebhookHeaders headers;
  headers.id = std::string(nextLine(rest));
  headers.timestamp = std::string(nextLine(rest));
  headers.signature = std::string(nextLine(rest));
  const std::string_view body = rest;
  if ((data[0] & 2) != 0) headers.id.reset();  // a header missing
  if (sign && headers.id && headers.timestamp) {
    headers.signature = webhookSignatureEntry(kKey, *headers.id, *headers.timestamp, body);
  }
  const WebhookVerdict verdict = verifier.verify(headers, body);
  (void)verdictName(verdict);
  if (verdict != WebhookVerdict::kValid) return 0;
  // Accepted: only with a signature made with the key, and inside the tolerance.
  if (!headers.id || !headers.timestamp) std::abort();
  const std::string expected = webhookSignatureEntry(kKey, *headers.id, *headers.timestamp, body);
  if (headers.signature->find(expected.substr(3)) == std::string::npos) std::abort();
  const WebhookParse parse = parser.parse(body);
  if (parse.status == WebhookParse::Status::kAccepted && !parse.event.payment_id) std::abort();
  return 0;
}
