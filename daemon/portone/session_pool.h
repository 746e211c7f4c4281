// portone/session_pool.h: idle keep-alive connections to PortOne, reused by later calls.
//
// A new connection per call costs a TCP handshake (and in production a TLS one) on
// both sides; PortOne keeps connections open between requests, so a few idle ones are
// kept here. A kept connection may have been closed by the server meanwhile: the
// transport sends on it only what it may send twice (api_transport.cpp).
#pragma once

#include <Poco/Net/Context.h>
#include <Poco/Net/HTTPClientSession.h>

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace paymentd::portone {

class SessionPool {
 public:
  /// @param tls null for plain HTTP (the loopback sandbox).
  SessionPool(std::string host, std::uint16_t port, Poco::Net::Context::Ptr tls,
              std::size_t max_idle = 8);

  struct Lease {
    std::unique_ptr<Poco::Net::HTTPClientSession> session;
    bool reused = false;  // it served an earlier request: the server may have closed it
  };

  /// An idle connection when `reuse` and one is kept, else a new (unconnected) one.
  Lease take(bool reuse);
  /// Keeps a connection whose response was read to its end and may stay open.
  void giveBack(std::unique_ptr<Poco::Net::HTTPClientSession> session);

 private:
  std::unique_ptr<Poco::Net::HTTPClientSession> fresh() const;

  std::string host_;
  std::uint16_t port_;
  Poco::Net::Context::Ptr tls_;
  std::size_t max_idle_;
  std::mutex mutex_;
  std::vector<std::unique_ptr<Poco::Net::HTTPClientSession>> idle_;
};

}  // namespace paymentd::portone
