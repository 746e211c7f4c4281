// portone-verify-samples: runs paymentd's webhook verifier over samples signed
// elsewhere (by the npm `standardwebhooks` package in conformance.mjs).
//   portone-verify-samples SAMPLES.json
// SAMPLES.json: {"now": UNIX_SECONDS, "secrets": ["whsec_..."], "samples": [
//   {"name": "...", "headers": [["webhook-id", "..."], ...], "body": "...", "expect": "VALID"}]}
// Exits 0 when every verdict equals its `expect`, 1 otherwise.
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <fstream>
#include <iostream>
#include <sstream>

#include "clock/manual_clock.h"
#include "http/http_message.h"
#include "portone/webhook_verifier.h"

int main(int argc, char** argv) {
  using namespace paymentd;
  if (argc != 2) {
    std::cerr << "usage: portone-verify-samples SAMPLES.json\n";
    return 2;
  }
  try {
    std::ifstream in(argv[1]);
    std::stringstream text;
    text << in.rdbuf();
    Poco::JSON::Parser parser;
    const auto root = parser.parse(text.str()).extract<Poco::JSON::Object::Ptr>();
    ManualClock clock{Clock::TimePoint(std::chrono::seconds(root->getValue<std::int64_t>("now")))};
    std::vector<std::string> secrets;
    const auto secret_list = root->getArray("secrets");
    for (unsigned i = 0; i < secret_list->size(); ++i)
      secrets.push_back(secret_list->getElement<std::string>(i));
    const auto verifier = portone::WebhookVerifier::fromSecrets(secrets, clock);

    const auto samples = root->getArray("samples");
    int mismatches = 0;
    for (unsigned i = 0; i < samples->size(); ++i) {
      const auto sample = samples->getObject(i);
      http::HttpRequest request;
      request.body = sample->getValue<std::string>("body");
      const auto headers = sample->getArray("headers");
      for (unsigned h = 0; h < headers->size(); ++h) {
        const auto pair = headers->getArray(h);
        request.headers.emplace(pair->getElement<std::string>(0), pair->getElement<std::string>(1));
      }
      // The conversion the pipeline makes: portone's verifier knows no HTTP type.
      const auto header = [&](const std::string& name) { return request.singleHeader(name); };
      const std::string verdict = portone::verdictName(
          verifier.verify(portone::WebhookHeaders::from(header), request.body));
      const std::string expected = sample->getValue<std::string>("expect");
      const bool match = verdict == expected;
      mismatches += match ? 0 : 1;
      std::cout << (match ? "ok " : "MISMATCH ") << sample->getValue<std::string>("name") << ": "
                << verdict << (match ? "" : " (expected " + expected + ")") << "\n";
    }
    std::cout << samples->size() - static_cast<unsigned>(mismatches) << "/" << samples->size()
              << " samples as expected\n";
    return mismatches == 0 && samples->size() > 0 ? 0 : 1;
  } catch (const std::exception& e) {
    std::cerr << "portone-verify-samples: " << e.what() << "\n";
    return 1;
  }
}
