// portone-sandbox/sandbox_context.h: what every sandbox route works on.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

#include "sandbox_state.h"
#include "webhook_sender.h"

namespace paymentd::sandbox {

struct SandboxOptions {
  std::string host = "127.0.0.1";
  std::uint16_t port = 0;  // 0: the OS picks
  std::string api_secret = "sandbox-api-secret";
  std::string webhook_secret = "whsec_c2FuZGJveC13ZWJob29rLXNlY3JldC0wMDAwMDAwMDA=";
  std::string store_id = "store-00000000-0000-0000-0000-000000000000";
  std::string merchant_id = "merchant-00000000-0000-0000-0000-000000000000";
  std::string v1_imp_key = "sandbox-imp-key";  // V1's POST /users/getToken
  std::string v1_imp_secret = "sandbox-imp-secret";
  std::chrono::seconds v1_token_lifetime{30 * 60};  // PortOne's: 30 minutes
  double time_scale = 1.0;  // multiplies PortOne's webhook redelivery delays
  int threads = 16;
};

struct SandboxContext {
  SandboxOptions options;
  SandboxState state;
  WebhookSender sender;
};

}  // namespace paymentd::sandbox
