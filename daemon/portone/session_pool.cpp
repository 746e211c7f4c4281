#include "portone/session_pool.h"

#include <Poco/Net/HTTPSClientSession.h>
#include <Poco/Timespan.h>

namespace paymentd::portone {
namespace {

// Poco reconnects by itself before a request when the connection was idle this long;
// shorter than common load balancers' idle timeouts (60 s), so most stale ones never
// get a request.
constexpr long kKeepAliveSeconds = 20;

}  // namespace

SessionPool::SessionPool(std::string host, std::uint16_t port, Poco::Net::Context::Ptr tls,
                         std::size_t max_idle)
    : host_(std::move(host)), port_(port), tls_(std::move(tls)), max_idle_(max_idle) {}

SessionPool::Lease SessionPool::take(bool reuse) {
  if (reuse) {
    std::lock_guard<std::mutex> lock(mutex_);
    if (!idle_.empty()) {
      Lease lease{std::move(idle_.back()), true};
      idle_.pop_back();
      return lease;
    }
  }
  return Lease{fresh(), false};
}

void SessionPool::giveBack(std::unique_ptr<Poco::Net::HTTPClientSession> session) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (idle_.size() < max_idle_) idle_.push_back(std::move(session));
}

std::unique_ptr<Poco::Net::HTTPClientSession> SessionPool::fresh() const {
  std::unique_ptr<Poco::Net::HTTPClientSession> session;
  if (tls_) {
    session = std::make_unique<Poco::Net::HTTPSClientSession>(host_, port_, tls_);
  } else {
    session = std::make_unique<Poco::Net::HTTPClientSession>(host_, port_);
  }
  session->setKeepAlive(true);
  session->setKeepAliveTimeout(Poco::Timespan(kKeepAliveSeconds, 0));
  return session;
}

}  // namespace paymentd::portone
