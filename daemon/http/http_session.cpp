#include "http/http_session.h"

#include <Poco/DateTimeFormat.h>
#include <Poco/DateTimeFormatter.h>
#include <Poco/Logger.h>
#include <Poco/String.h>
#include <Poco/Timestamp.h>

#include <boost/asio/post.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/field.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>
#include <exception>
#include <utility>

#include "http/framing.h"
#include "http/request_target.h"

namespace paymentd::http {
namespace {

namespace beast = boost::beast;
namespace bhttp = boost::beast::http;

// Larger than any header PortOne, a browser or a proxy sends (several rotated signatures).
constexpr std::uint32_t kHeaderLimit = 16 * 1024;
constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";

std::string addressOf(const boost::asio::ip::tcp::socket& socket) {
  boost::system::error_code error;
  const auto endpoint = socket.remote_endpoint(error);
  if (error) return "unknown";
  const auto address = endpoint.address();
  const std::string host = address.is_v6() ? "[" + address.to_string() + "]" : address.to_string();
  return host + ":" + std::to_string(endpoint.port());
}

bool expectsContinue(const bhttp::request_parser<bhttp::string_body>& parser) {
  const auto expect = parser.get()[bhttp::field::expect];
  return Poco::icompare(std::string(expect), "100-continue") == 0;
}

// The client left, stalled past its deadline, or we closed it: nothing to answer.
bool gone(const boost::system::error_code& error) {
  return error == bhttp::error::end_of_stream || error == bhttp::error::partial_message ||
         error == beast::error::timeout || error == boost::asio::error::operation_aborted ||
         error == boost::asio::error::connection_reset || error == boost::asio::error::eof;
}

}  // namespace

HttpSession::HttpSession(boost::asio::ip::tcp::socket socket, SessionContext& context)
    : context_(context), stream_(std::move(socket)) {
  remote_address_ = addressOf(stream_.socket());
}

HttpSession::~HttpSession() {
  if (!registered_in_) return;
  std::lock_guard<std::mutex> lock(context_.mutex);
  context_.sessions.erase(registered_);
}

void HttpSession::start() {
  {
    std::lock_guard<std::mutex> lock(context_.mutex);
    registered_ = context_.sessions.insert(context_.sessions.end(), weak_from_this());
    registered_in_ = true;
  }
  // The first request's deadline runs from the accept: a client that connects and sends
  // nothing, or trickles, is closed when it ends.
  stream_.expires_after(context_.options.header_timeout);
  awaitRequest();
}

void HttpSession::closeIfIdle() {
  if (idle_) close();
}

void HttpSession::close() {
  boost::system::error_code ignored;
  stream_.socket().shutdown(boost::asio::ip::tcp::socket::shutdown_both, ignored);
  stream_.close();
}

// Waits for the first byte of a request without a header deadline running between
// keep-alive requests; the header deadline starts with it.
void HttpSession::awaitRequest() {
  parser_.emplace();
  parser_->header_limit(kHeaderLimit);
  parser_->body_limit(static_cast<std::uint64_t>(context_.options.max_body_bytes));
  if (buffer_.size() > 0) {  // a pipelined request already read
    idle_ = false;
    if (!first_request_) stream_.expires_after(context_.options.header_timeout);
    readHeader();
    return;
  }
  idle_ = true;
  if (context_.shutting_down.load()) return close();
  if (!first_request_) stream_.expires_after(context_.options.keep_alive_timeout);
  stream_.async_read_some(
      buffer_.prepare(4096),
      [self = shared_from_this()](const boost::system::error_code& error, std::size_t bytes) {
        if (error) return self->close();
        self->buffer_.commit(bytes);
        self->idle_ = false;
        if (!self->first_request_)
          self->stream_.expires_after(self->context_.options.header_timeout);
        self->readHeader();
      });
}

void HttpSession::readHeader() {
  bhttp::async_read_header(stream_, buffer_, *parser_,
                           [self = shared_from_this()](const boost::system::error_code& error,
                                                       std::size_t) { self->onHeader(error); });
}

void HttpSession::onHeader(const boost::system::error_code& error) {
  if (error) return refuse(error);
  HeaderFields fields;
  for (const auto& field : parser_->get()) {
    fields.emplace_back(std::string(field.name_string()), std::string(field.value()));
  }
  if (const auto problem = framingProblem(fields, parser_->get().version() == 10)) {
    return refuse(400, "BAD_FRAMING", *problem);
  }
  if (parser_->is_done()) return handle();
  stream_.expires_after(context_.options.body_timeout);
  if (!expectsContinue(*parser_)) return readBody();
  boost::asio::async_write(
      stream_, boost::asio::buffer(kContinue.data(), kContinue.size()),
      [self = shared_from_this()](const boost::system::error_code& failed, std::size_t) {
        if (failed) return self->close();
        self->readBody();
      });
}

void HttpSession::readBody() {
  bhttp::async_read(stream_, buffer_, *parser_,
                    [self = shared_from_this()](const boost::system::error_code& error,
                                                std::size_t) { self->onBody(error); });
}

void HttpSession::onBody(const boost::system::error_code& error) {
  if (error) return refuse(error);
  handle();
}

void HttpSession::handle() {
  stream_.expires_never();  // the handler's time is the pipeline's deadline, not the client's
  Request request = parser_->release();
  HttpRequest in;
  const std::string target(request.target());
  if (!parseRequestTarget(target, in)) {
    return respond(errorResponse(400, "BAD_REQUEST", "malformed request target"),
                   request.keep_alive());
  }
  in.method = std::string(request.method_string());
  in.remote_address = remote_address_;
  for (const auto& field : request) {
    in.headers.emplace(Poco::toLower(std::string(field.name_string())), std::string(field.value()));
  }
  in.body = std::move(request.body());
  const bool keep_alive = request.keep_alive();
  response_.version(request.version());
  boost::asio::post(context_.handlers, [self = shared_from_this(), in = std::move(in), target,
                                        keep_alive]() mutable {
    HttpResponse reply;
    try {
      reply = self->context_.router.dispatch(in);
    } catch (const std::exception& e) {
      Poco::Logger::get("http").error("unhandled error in " + target + ": " + e.what());
      reply = errorResponse(500, "INTERNAL_ERROR", "internal error");
    }
    auto& stream = self->stream_;
    boost::asio::post(stream.get_executor(),
                      [self = std::move(self), reply = std::move(reply), keep_alive]() mutable {
                        self->respond(std::move(reply), keep_alive);
                      });
  });
}

void HttpSession::respond(HttpResponse reply, bool keep_alive) {
  if (reply.drop_connection) return close();
  // A draining server tells keep-alive clients to go.
  const bool keep = keep_alive && !context_.shutting_down.load();
  const unsigned version = response_.version() == 10 ? 10 : 11;
  response_ = {};
  response_.version(version);
  response_.result(static_cast<unsigned>(reply.status));
  response_.set(bhttp::field::date, Poco::DateTimeFormatter::format(
                                        Poco::Timestamp(), Poco::DateTimeFormat::HTTP_FORMAT));
  response_.set(bhttp::field::content_type, reply.content_type);
  for (const auto& [name, value] : reply.headers) response_.insert(name, value);
  response_.body() = std::move(reply.body);
  response_.keep_alive(keep);
  response_.prepare_payload();
  stream_.expires_after(context_.options.body_timeout);  // a client that never reads
  bhttp::async_write(
      stream_, response_,
      [self = shared_from_this(), keep](const boost::system::error_code& error, std::size_t) {
        if (error || !keep) return self->close();
        self->first_request_ = false;
        self->awaitRequest();
      });
}

void HttpSession::refuse(const boost::system::error_code& error) {
  if (gone(error)) return close();
  if (error == bhttp::error::body_limit) {
    return refuse(413, "PAYLOAD_TOO_LARGE",
                  "body over " + std::to_string(context_.options.max_body_bytes) + " bytes");
  }
  if (error == bhttp::error::header_limit) {
    return refuse(431, "HEADERS_TOO_LARGE",
                  "header over " + std::to_string(kHeaderLimit) + " bytes");
  }
  if (error == bhttp::error::bad_content_length) {
    return refuse(400, "BAD_FRAMING", "Content-Length is not one number of bytes");
  }
  if (error == bhttp::error::bad_transfer_encoding) {
    return refuse(400, "BAD_FRAMING", "Transfer-Encoding repeated or with Content-Length");
  }
  if (error == bhttp::error::bad_field || error == bhttp::error::bad_value ||
      error == bhttp::error::bad_obs_fold || error == bhttp::error::bad_chunk ||
      error == bhttp::error::bad_chunk_extension) {
    return refuse(400, "BAD_FRAMING", "malformed header or chunk: " + error.message());
  }
  refuse(400, "BAD_REQUEST", "malformed request: " + error.message());
}

// Answers and closes: after a refused request the rest of the stream cannot be framed.
void HttpSession::refuse(int status, const std::string& code, const std::string& message) {
  response_.version(11);
  respond(errorResponse(status, code, message), /*keep_alive=*/false);
}

}  // namespace paymentd::http
