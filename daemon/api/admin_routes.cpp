#include "api/admin_routes.h"

#include <Poco/DigestEngine.h>
#include <Poco/Logger.h>
#include <Poco/SHA2Engine.h>

#include <memory>

namespace paymentd::api {
namespace {

using lifecycle::Operation;
using lifecycle::OperatorCall;

constexpr const char* kPrefix = "/admin/v1/";

Poco::DigestEngine::Digest sha256(const std::string& text) {
  Poco::SHA2Engine sha(Poco::SHA2Engine::SHA_256);
  sha.update(text);
  return sha.digest();
}

http::HttpResponse reply(const lifecycle::OperatorReply& r) {
  http::HttpResponse response = http::jsonResponse(r.status, r.body);
  response.headers.emplace_back("Cache-Control", "no-store");
  return response;
}

// "users/u-1" -> {"users", "u-1", ""}; "subscriptions/12/cancel" -> {..., "cancel"}.
struct AdminPath {
  std::string collection;
  std::string id;
  std::string action;
};

std::optional<AdminPath> splitPath(const std::string& path) {
  if (path.rfind(kPrefix, 0) != 0) return std::nullopt;
  const std::string rest = path.substr(std::string(kPrefix).size());
  const auto first = rest.find('/');
  if (first == std::string::npos) return std::nullopt;
  AdminPath parts{rest.substr(0, first), rest.substr(first + 1), ""};
  if (const auto second = parts.id.find('/'); second != std::string::npos) {
    parts.action = parts.id.substr(second + 1);
    parts.id = parts.id.substr(0, second);
  }
  if (parts.id.empty() || parts.action.find('/') != std::string::npos) return std::nullopt;
  return parts;
}

// The operation a method and path name; nullopt: no such route.
std::optional<Operation> operationOf(const std::string& method, const AdminPath& path) {
  if (method == "GET" && path.action.empty()) {
    if (path.collection == "users") return Operation::kShowUser;
    if (path.collection == "payments") return Operation::kShowPayment;
    if (path.collection == "subscriptions") return Operation::kShowSubscription;
  }
  if (path.collection == "subscriptions") {
    if (method == "POST" && path.action == "cancel") return Operation::kCancel;
    if (method == "POST" && path.action == "resume") return Operation::kResume;
    if (method == "POST" && path.action == "retry") return Operation::kRetry;
    if (method == "PUT" && path.action == "billing-key") return Operation::kChangeCard;
  }
  if (path.collection == "payments" && method == "POST" && path.action == "refund") {
    return Operation::kRefund;
  }
  return std::nullopt;
}

}  // namespace

std::optional<std::string> idempotencyKeyOf(const std::string& header) {
  if (header.empty()) return std::nullopt;
  if (header.front() != '"') return header;
  if (header.size() < 3 || header.back() != '"') return std::nullopt;
  const std::string key = header.substr(1, header.size() - 2);
  if (key.find('"') != std::string::npos || key.find('\\') != std::string::npos) {
    return std::nullopt;  // RFC 8941 escapes: never needed for a key, so refused
  }
  return key;
}

bool sameToken(const std::string& given, const std::string& expected) {
  const auto a = sha256(given);
  const auto b = sha256(expected);
  unsigned char differ = 0;
  for (std::size_t i = 0; i < a.size(); ++i) differ |= a[i] ^ b[i];
  return differ == 0;
}

void addAdminRoutes(http::Router& router, const lifecycle::OperatorService& operators,
                    std::string token) {
  auto expected = std::make_shared<const std::string>(std::move(token));
  const http::Handler handle = [&operators, expected](const http::HttpRequest& request) {
    Poco::Logger& log = Poco::Logger::get("paymentd.admin");
    const auto authorization = request.singleHeader("authorization");
    const std::string bearer = "Bearer ";
    if (!authorization || authorization->rfind(bearer, 0) != 0 ||
        !sameToken(authorization->substr(bearer.size()), *expected)) {
      log.warning("admin: refused " + request.method + " " + request.path + " from " +
                  request.remote_address + ": " +
                  (authorization ? "wrong token" : "no bearer token"));
      http::HttpResponse response =
          http::errorResponse(401, "UNAUTHORIZED", "a bearer token is required");
      response.headers.emplace_back("WWW-Authenticate", "Bearer");
      return response;
    }
    const auto path = splitPath(request.path);
    const auto operation = path ? operationOf(request.method, *path) : std::nullopt;
    if (!operation) return http::errorResponse(404, "NOT_FOUND", "no such admin endpoint");
    OperatorCall call;
    call.operation = *operation;
    call.target = path->id;
    if (lifecycle::isWrite(*operation)) {
      if (auto failed = lifecycle::readOperatorBody(request.body, call)) return reply(*failed);
      const auto header = request.singleHeader("idempotency-key");
      const auto key = header ? idempotencyKeyOf(*header) : std::nullopt;
      if (!key) {
        return http::errorResponse(400, "IDEMPOTENCY_KEY_REQUIRED",
                                   "a write needs Idempotency-Key: \"<key>\"");
      }
      call.idempotency_key = *key;
      call.actor = request.singleHeader("x-actor").value_or("");
    }
    const lifecycle::OperatorReply answer = operators.handle(call);
    if (lifecycle::isWrite(*operation)) {
      log.information("admin: " + request.method + " " + request.path + " by " + call.actor +
                      " -> " + std::to_string(answer.status));
    }
    return reply(answer);
  };
  for (const char* method : {"GET", "POST", "PUT", "DELETE", "PATCH"}) {
    router.add(method, std::string(kPrefix) + "*", handle);
  }
}

}  // namespace paymentd::api
