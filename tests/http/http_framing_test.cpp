// Message framing over a real socket (RFC 9112 section 6): whatever a proxy in front could
// read differently from us is refused with 400 and the connection closed, so a request
// hidden in a body is never served.
#include <Poco/String.h>
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "http/http_server.h"
#include "raw_http.h"

namespace paymentd::http {
namespace {

using testing::rawExchange;
using testing::statuses;

// Follows every request under test: served only if the framing was misread.
const std::string kSmuggled = "GET /smuggled HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";

class HttpFramingTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto router = std::make_shared<Router>();
    router->add("POST", "/echo", [](const HttpRequest& request) {
      return jsonResponse(200, std::to_string(request.body.size()));
    });
    router->add("GET", "/smuggled", [](const HttpRequest&) { return jsonResponse(200, "{}"); });
    HttpServerOptions options;
    options.port = 0;
    options.threads = 4;
    server_ = std::make_unique<HttpServer>(options, router);
    server_->start();
  }

  // POSTs `headers` (CRLF-terminated lines) and `body` to /echo, then a smuggled request.
  std::string post(const std::string& headers, const std::string& body,
                   const std::string& version = "HTTP/1.1") {
    return rawExchange(server_->port(), "POST /echo " + version + "\r\nHost: x\r\n" + headers +
                                            "\r\n" + body + kSmuggled);
  }

  std::unique_ptr<HttpServer> server_;
};

void expectRefused(const std::string& raw, const std::string& what) {
  EXPECT_EQ(statuses(raw), std::vector<int>{400}) << what << "\n" << raw;
  EXPECT_NE(raw.find(R"("code":"BAD_FRAMING")"), std::string::npos) << what << "\n" << raw;
  EXPECT_NE(Poco::toLower(raw).find("\r\nconnection: close\r\n"), std::string::npos) << what << "\n"
                                                                                     << raw;
}

TEST_F(HttpFramingTest, ServesAWellFramedBodyAndTheNextRequest) {
  const std::string raw = post("Content-Length: 5\r\n", "hello");
  EXPECT_EQ(statuses(raw), (std::vector<int>{200, 200})) << raw;
  EXPECT_NE(raw.find("\r\n\r\n5"), std::string::npos) << raw;
}

TEST_F(HttpFramingTest, ServesAChunkedBodyInAnyCase) {
  const std::string raw = post("Transfer-Encoding: Chunked\r\n", "5\r\nhello\r\n0\r\n\r\n");
  EXPECT_EQ(statuses(raw), (std::vector<int>{200, 200})) << raw;
  EXPECT_NE(raw.find("\r\n\r\n5"), std::string::npos) << raw;
}

TEST_F(HttpFramingTest, ServesARepeatedContentLengthWithOneValue) {
  const std::string raw = post("Content-Length: 5\r\nContent-Length: 5\r\n", "hello");
  EXPECT_EQ(statuses(raw), (std::vector<int>{200, 200})) << raw;
}

// No Content-Length and no Transfer-Encoding: the body is empty (RFC 9112 6.3, rule 7), so
// what follows is the next request, as a proxy reads it, not a body read until EOF.
TEST_F(HttpFramingTest, ReadsNoBodyWithoutContentLengthOrTransferEncoding) {
  const std::string raw = post("", "");
  EXPECT_EQ(statuses(raw), (std::vector<int>{200, 200})) << raw;
  EXPECT_NE(raw.find("\r\n\r\n0"), std::string::npos) << raw;
}

TEST_F(HttpFramingTest, RefusesContentLengthsThatDiffer) {
  expectRefused(post("Content-Length: 5\r\nContent-Length: 40\r\n", "hello"), "two fields");
  expectRefused(post("Content-Length: 5, 40\r\n", "hello"), "a list");
}

// RFC 9112 5.1: a proxy may read "Content-Length :" as the length, Poco as another field.
TEST_F(HttpFramingTest, RefusesWhitespaceBeforeAFieldNamesColon) {
  expectRefused(post("Content-Length : 5\r\n", "hello"), "Content-Length :");
}

TEST_F(HttpFramingTest, RefusesAContentLengthThatIsNotDigits) {
  for (const std::string value :
       {"abc", "-1", "+5", "5x", "1,0", "5, 5", "0x5", "", "99999999999999999999999"}) {
    expectRefused(post("Content-Length: " + value + "\r\n", "hello"), "Content-Length: " + value);
  }
}

TEST_F(HttpFramingTest, RefusesATransferEncodingOtherThanExactlyChunked) {
  for (const std::string value :
       {"gzip, chunked", "chunked, chunked", "identity", "gzip", "chunked;q=1", "xchunked"}) {
    expectRefused(post("Transfer-Encoding: " + value + "\r\n", "5\r\nhello\r\n0\r\n\r\n"),
                  "Transfer-Encoding: " + value);
  }
  expectRefused(post("Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n",
                     "5\r\nhello\r\n0\r\n\r\n"),
                "two Transfer-Encoding fields");
}

TEST_F(HttpFramingTest, RefusesTransferEncodingWithContentLength) {
  expectRefused(
      post("Transfer-Encoding: chunked\r\nContent-Length: 5\r\n", "5\r\nhello\r\n0\r\n\r\n"),
      "both");
  expectRefused(
      post("Content-Length: 5\r\nTransfer-Encoding: chunked\r\n", "5\r\nhello\r\n0\r\n\r\n"),
      "both, Content-Length first");
}

// HTTP/1.0 has no Transfer-Encoding: a 1.1 proxy and we could frame it differently.
TEST_F(HttpFramingTest, RefusesTransferEncodingInHttp10) {
  expectRefused(post("Transfer-Encoding: chunked\r\n", "5\r\nhello\r\n0\r\n\r\n", "HTTP/1.0"),
                "HTTP/1.0");
}

}  // namespace
}  // namespace paymentd::http
