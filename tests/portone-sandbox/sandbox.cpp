#include "sandbox.h"

#include <stdexcept>

#include "control_routes.h"
#include "portone/webhook_signature.h"
#include "portone_routes.h"
#include "v1_routes.h"
#include "webhook_resend.h"

namespace paymentd::sandbox {
namespace {

WebhookSenderOptions senderOptions(const SandboxOptions& options) {
  auto key = portone::decodeWebhookSecret(options.webhook_secret);
  if (!key) throw std::invalid_argument("--webhook-secret must be whsec_ followed by Base64");
  WebhookSenderOptions sender;
  sender.signing_key = *key;
  sender.time_scale = options.time_scale;
  return sender;
}

}  // namespace

Sandbox::Sandbox(SandboxOptions options) {
  WebhookSenderOptions sender = senderOptions(options);
  context_.reset(new SandboxContext{std::move(options), {}, WebhookSender(sender)});
}

Sandbox::~Sandbox() {
  stop();
}

void Sandbox::start() {
  auto router = std::make_shared<http::Router>();
  addPortOneRoutes(*router, *context_);
  addControlRoutes(*router, *context_);
  addResendControlRoutes(*router, *context_);
  addV1Routes(*router, *context_);
  addV1ControlRoutes(*router, *context_);
  http::HttpServerOptions server_options;
  server_options.host = context_->options.host;
  server_options.port = context_->options.port;
  server_options.threads = context_->options.threads;
  server_options.max_body_bytes = 1024 * 1024;
  server_options.keep_alive_timeout = std::chrono::seconds(2);
  server_ = std::make_unique<http::HttpServer>(server_options, router);
  server_->start();
}

std::uint16_t Sandbox::port() const {
  return server_ ? server_->port() : 0;
}

std::string Sandbox::baseUrl() const {
  return "http://" + context_->options.host + ":" + std::to_string(port());
}

void Sandbox::stop() {
  if (server_) {
    server_->shutdown(std::chrono::milliseconds(500));
    server_.reset();
  }
}

}  // namespace paymentd::sandbox
