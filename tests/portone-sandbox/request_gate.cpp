#include "request_gate.h"

#include <optional>
#include <thread>

#include "portone_json.h"

namespace paymentd::sandbox {
namespace {

std::string unquote(std::string value) {
  if (value.size() >= 2 && value.front() == '"' && value.back() == '"') {
    value = value.substr(1, value.size() - 2);
  }
  return value;
}

std::string queryText(const http::HttpRequest& request) {
  std::string text;
  for (const auto& [key, value] : request.query) {
    text += (text.empty() ? "" : "&") + key + "=" + value;
  }
  return text;
}

const char* faultName(FaultKind kind) {
  switch (kind) {
    case FaultKind::kStatus:
      return "status";
    case FaultKind::kDelay:
      return "delay";
    case FaultKind::kDrop:
      return "drop";
    case FaultKind::kDropAfter:
      return "drop_after";
  }
  return "";
}

// The first matching fault with uses left; uses one. Caller holds the lock.
std::optional<Fault> takeFault(SandboxState& state, const http::HttpRequest& request) {
  for (auto& fault : state.faults) {
    if (fault.remaining == 0) continue;
    if (!fault.method.empty() && fault.method != request.method) continue;
    if (request.path.rfind(fault.path_prefix, 0) != 0) continue;
    if (fault.remaining > 0) --fault.remaining;
    return fault;
  }
  return std::nullopt;
}

http::HttpResponse portOneError(int status, const std::string& type, const std::string& message) {
  return http::jsonResponse(status, errorBody(type, message));
}

}  // namespace

http::Handler gated(SandboxContext& context, http::Handler handler) {
  GateAuth v2;
  v2.check = [&context](const http::HttpRequest& request, const SandboxState&) {
    return request.singleHeader("authorization") == "PortOne " + context.options.api_secret;
  };
  v2.refusal = [] { return portOneError(401, "UNAUTHORIZED", "인증 정보가 올바르지 않습니다."); };
  return gated(context, std::move(handler), std::move(v2));
}

http::Handler gated(SandboxContext& context, http::Handler handler, GateAuth auth) {
  return [&context, handler = std::move(handler),
          auth = std::move(auth)](const http::HttpRequest& request) {
    SandboxState& state = context.state;
    const std::string key = unquote(request.singleHeader("idempotency-key").value_or(""));
    const bool idempotent_write = !key.empty() && request.method != "GET";
    std::int64_t seq = 0;
    bool authorized = false;
    std::optional<Fault> fault;
    {
      std::lock_guard lock(state.mutex);
      LoggedRequest entry;
      entry.seq = seq = state.next_id++;
      entry.method = request.method;
      entry.path = request.path;
      entry.query = queryText(request);
      entry.idempotency_key = key;
      entry.body = request.body;
      entry.client = request.remote_address;
      authorized = entry.authorized = auth.check(request, state);
      fault = takeFault(state, request);
      if (fault) entry.fault = faultName(fault->kind);
      state.requests.push_back(std::move(entry));
    }
    auto finish = [&](http::HttpResponse response) {
      std::lock_guard lock(state.mutex);
      for (auto it = state.requests.rbegin(); it != state.requests.rend(); ++it) {
        if (it->seq == seq) {
          it->status = response.drop_connection ? 0 : response.status;
          break;
        }
      }
      return response;
    };

    if (fault && fault->kind == FaultKind::kStatus) {
      return finish(portOneError(fault->status, fault->type, "fault injected by the sandbox"));
    }
    if (fault && fault->kind == FaultKind::kDrop) {
      http::HttpResponse dropped;
      dropped.drop_connection = true;
      return finish(dropped);
    }
    if (!authorized) {
      return finish(auth.refusal());
    }
    const std::string fingerprint = request.method + " " + request.path + "\n" + request.body;
    if (idempotent_write) {
      std::optional<http::HttpResponse> early;  // answered without running the handler
      {
        std::lock_guard lock(state.mutex);
        auto it = state.idempotency.find(key);
        if (it == state.idempotency.end()) {
          state.idempotency[key] = IdempotentAnswer{fingerprint, true, 0, ""};
        } else if (it->second.fingerprint != fingerprint) {
          early =
              portOneError(400, "INVALID_REQUEST", "Idempotency-Key was used for another request");
        } else if (it->second.in_flight) {
          early = portOneError(409, "IDEMPOTENCY_OUTSTANDING_REQUEST",
                               "a request with this Idempotency-Key is in progress");
        } else {
          early = http::jsonResponse(it->second.status, it->second.body);  // replay
        }
      }
      if (early) return finish(std::move(*early));
    }
    if (fault && fault->kind == FaultKind::kDelay) std::this_thread::sleep_for(fault->delay);

    http::HttpResponse response = handler(request);
    if (idempotent_write) {
      std::lock_guard lock(state.mutex);
      state.idempotency[key] = IdempotentAnswer{fingerprint, false, response.status, response.body};
    }
    if (fault && fault->kind == FaultKind::kDropAfter) response.drop_connection = true;
    return finish(response);
  };
}

}  // namespace paymentd::sandbox
