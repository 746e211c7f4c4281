#include "portone/api_transport.h"

#include <Poco/Exception.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/Logger.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/HTTPSClientSession.h>
#include <Poco/Net/IPAddress.h>
#include <Poco/Net/NetSSL.h>
#include <Poco/URI.h>

#include <algorithm>
#include <istream>
#include <memory>
#include <mutex>
#include <stdexcept>

#include "portone/api_error.h"

namespace paymentd::portone {
namespace {

constexpr std::size_t kMaxResponseBytes = 4 * 1024 * 1024;

bool isLoopbackHost(const std::string& host) {
  if (host == "localhost") return true;
  Poco::Net::IPAddress address;
  return Poco::Net::IPAddress::tryParse(host, address) && address.isLoopback();
}

Poco::Timespan toTimespan(std::chrono::milliseconds duration) {
  return Poco::Timespan(static_cast<Poco::Timespan::TimeDiff>(duration.count()) * 1000);
}

std::string readLimited(std::istream& in) {
  std::string body;
  char buffer[8192];
  while (in) {
    in.read(buffer, sizeof buffer);
    body.append(buffer, static_cast<std::size_t>(in.gcount()));
    if (body.size() > kMaxResponseBytes) {
      throw TransientError(TransientError::Kind::kBadResponse, 0, "PortOne's answer is too large");
    }
  }
  return body;
}

// PortOne's error body: {"type": "...", "message": "...", "pgCode"?, "pgMessage"?}.
ApiError errorFromBody(int status, const std::string& body) {
  std::string type, message, pg_code, pg_message;
  try {
    Poco::JSON::Parser parser;
    auto object = parser.parse(body).extract<Poco::JSON::Object::Ptr>();
    if (object) {
      type = object->optValue<std::string>("type", "");
      message = object->optValue<std::string>("message", "");
      pg_code = object->optValue<std::string>("pgCode", "");
      pg_message = object->optValue<std::string>("pgMessage", "");
    }
  } catch (const Poco::Exception&) {
    message = "error body is not JSON";
  }
  return ApiError(status, type, message, pg_code, pg_message);
}

}  // namespace

ApiTransport::ApiTransport(ApiTransportOptions options, const Clock& clock)
    : options_(std::move(options)),
      clock_(clock),
      timeouts_(std::make_shared<const ApiTimeouts>(ApiTimeouts{
          options_.connect_timeout, options_.read_timeout, options_.request_deadline})) {
  Poco::URI uri;
  try {
    uri = Poco::URI(options_.api_base);
  } catch (const Poco::Exception& e) {
    throw std::invalid_argument("portone api_base is not a URL: " + e.displayText());
  }
  scheme_ = uri.getScheme();
  host_ = uri.getHost();
  port_ = uri.getPort();
  base_path_ = uri.getPath();
  while (!base_path_.empty() && base_path_.back() == '/') base_path_.pop_back();
  if (host_.empty()) throw std::invalid_argument("portone api_base has no host");
  if (scheme_ == "http") {
    // Plain HTTP would expose the API secret; only the local sandbox may use it.
    if (!isLoopbackHost(host_)) {
      throw std::invalid_argument("portone api_base must use https:// unless its host is loopback");
    }
  } else if (scheme_ == "https") {
    static std::once_flag ssl_initialized;
    std::call_once(ssl_initialized, [] { Poco::Net::initializeSSL(); });
    tls_ = new Poco::Net::Context(Poco::Net::Context::TLS_CLIENT_USE, "",
                                  Poco::Net::Context::VERIFY_RELAXED, 9,
                                  /*loadDefaultCAs=*/true);
  } else {
    throw std::invalid_argument("portone api_base must start with https://");
  }
  pool_ = std::make_unique<SessionPool>(host_, port_, tls_, options_.idle_connections);
}

std::string ApiTransport::call(const ApiRequest& request) const {
  // PortOne's rule for keys; a bad one would be refused only at PortOne, after a round trip.
  if (!request.idempotency_key.empty() &&
      (request.idempotency_key.size() < 16 || request.idempotency_key.size() > 256)) {
    throw std::invalid_argument("an Idempotency-Key must be 16 to 256 characters");
  }
  // A write without an idempotency key must not be sent twice: PortOne could act twice.
  const bool retryable = request.method == "GET" || !request.idempotency_key.empty();
  const auto timeouts = timeouts_.current();
  const auto deadline = clock_.now() + timeouts->request_deadline;
  auto backoff = options_.first_backoff;
  for (int attempt_number = 1;; ++attempt_number) {
    const auto remaining =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - clock_.now());
    if (remaining.count() <= 0) {
      throw TransientError(TransientError::Kind::kTimeout, 0,
                           options_.peer + " request deadline passed: " + request.method + " " +
                               request.path_and_query);
    }
    auto& logger = Poco::Logger::get("portone");
    try {
      std::string body = attempt(request, remaining, retryable, *timeouts);
      if (logger.debug()) {
        logger.debug("portone call method=" + request.method + " path=" + request.path_and_query +
                     " attempt=" + std::to_string(attempt_number) + " outcome=ok");
      }
      return body;
    } catch (const TransientError& e) {
      logger.warning("portone call method=" + request.method + " path=" + request.path_and_query +
                     " attempt=" + std::to_string(attempt_number) + " outcome=transient error=\"" +
                     e.what() + "\"");
      if (!retryable || clock_.now() + backoff >= deadline) throw;
    } catch (const ApiError& e) {
      // The key's first request is still running at PortOne: ask again later, same key.
      if (e.type() != "IDEMPOTENCY_OUTSTANDING_REQUEST" || !retryable ||
          clock_.now() + backoff >= deadline) {
        throw;
      }
    }
    clock_.sleepFor(backoff);
    backoff = std::min(backoff * 2, options_.max_backoff);
  }
}

void ApiTransport::setTimeouts(ApiTimeouts timeouts) {
  timeouts_.replace(std::make_shared<const ApiTimeouts>(timeouts));
}

std::string ApiTransport::attempt(const ApiRequest& request, std::chrono::milliseconds remaining,
                                  bool retryable, const ApiTimeouts& timeouts) const {
  // A kept connection only for what may be sent twice: one the server closed while it sat
  // idle fails before PortOne saw the request, and the request goes again at once on a
  // new connection. A timeout is not that (PortOne may be working on it): the caller's
  // backoff decides.
  SessionPool::Lease lease = pool_->take(retryable);
  try {
    return exchange(lease, request, remaining, timeouts);
  } catch (const TransientError& e) {
    if (!lease.reused || e.kind() != TransientError::Kind::kTransport) throw;
  }
  lease = pool_->take(false);
  return exchange(lease, request, remaining, timeouts);
}

std::string ApiTransport::exchange(SessionPool::Lease& lease, const ApiRequest& request,
                                   std::chrono::milliseconds remaining,
                                   const ApiTimeouts& timeouts) const {
  Poco::Net::HTTPClientSession& session = *lease.session;
  const Poco::Timespan io_timeout = toTimespan(std::min(timeouts.read_timeout, remaining));
  session.setTimeout(toTimespan(std::min(timeouts.connect_timeout, remaining)), io_timeout,
                     io_timeout);
  // Poco 1.11 gives a socket the session's timeouts only when it connects: a kept
  // connection would keep those of its first call (and ignore this call's deadline).
  if (session.connected()) {
    session.socket().setSendTimeout(io_timeout);
    session.socket().setReceiveTimeout(io_timeout);
  }
  Poco::Net::HTTPRequest http_request(request.method, base_path_ + request.path_and_query,
                                      Poco::Net::HTTPMessage::HTTP_1_1);
  const std::string authorization =
      request.authorization.value_or("PortOne " + options_.api_secret);
  if (!authorization.empty()) http_request.set("Authorization", authorization);
  for (const auto& [name, value] : request.headers) http_request.set(name, value);
  http_request.set("Accept", "application/json");
  http_request.set("User-Agent", "paymentd");
  // RFC 8941 string, as PortOne's docs show: Idempotency-Key: "key".
  if (!request.idempotency_key.empty()) {
    http_request.set("Idempotency-Key", "\"" + request.idempotency_key + "\"");
  }
  if (!request.body.empty()) {
    http_request.setContentType("application/json");
    http_request.setContentLength64(static_cast<Poco::Int64>(request.body.size()));
  } else if (request.method != "GET") {
    http_request.setContentLength64(0);
  }

  int status = 0;
  std::string body;
  bool keep_alive = false;
  try {
    std::ostream& out = session.sendRequest(http_request);
    out.write(request.body.data(), static_cast<std::streamsize>(request.body.size()));
    Poco::Net::HTTPResponse response;
    std::istream& in = session.receiveResponse(response);
    status = static_cast<int>(response.getStatus());
    body = readLimited(in);
    keep_alive = response.getKeepAlive();
  } catch (const Poco::TimeoutException& e) {
    throw TransientError(TransientError::Kind::kTimeout, 0,
                         options_.peer + " did not answer in time: " + e.displayText());
  } catch (const Poco::Exception& e) {
    throw TransientError(TransientError::Kind::kTransport, 0,
                         "cannot reach " + options_.peer + ": " + e.displayText());
  }
  // Read to its end: the connection can carry the next request.
  if (keep_alive) pool_->giveBack(std::move(lease.session));

  if (status >= 200 && status < 300) return body;
  const ErrorBodyReader& read_error =
      options_.error_body_reader ? options_.error_body_reader : errorFromBody;
  if (status >= 400 && status < 500) throw read_error(status, body);
  ApiError error = read_error(status, body);
  // A PG's refusal (card declined) arrives as 502 PG_PROVIDER: a verdict, not an outage.
  if (error.type() == "PG_PROVIDER") throw error;
  throw TransientError(TransientError::Kind::kServerError, status,
                       options_.peer + " answered " + std::to_string(status) +
                           (error.type().empty() ? "" : " " + error.type()));
}

}  // namespace paymentd::portone
