#include "raw_http.h"

#include <Poco/Exception.h>
#include <Poco/Net/NetException.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/Net/StreamSocket.h>

#include <regex>

namespace paymentd::http::testing {

std::string rawExchange(std::uint16_t port, const std::string& request, int quiet_ms) {
  Poco::Net::StreamSocket socket(Poco::Net::SocketAddress("127.0.0.1", port));
  socket.sendBytes(request.data(), static_cast<int>(request.size()));
  socket.setReceiveTimeout(Poco::Timespan(0, quiet_ms * 1000));
  std::string raw;
  char buffer[4096];
  try {
    for (int n; (n = socket.receiveBytes(buffer, sizeof buffer)) > 0;) raw.append(buffer, n);
  } catch (const Poco::TimeoutException&) {
    // quiet for quiet_ms: the server is waiting for more
  } catch (const Poco::Net::NetException&) {
    // reset by the server after its answer
  }
  return raw;
}

std::vector<int> statuses(const std::string& raw) {
  static const std::regex status_line(R"(HTTP/1\.[01] (\d{3}) )");
  std::vector<int> found;
  for (std::sregex_iterator it(raw.begin(), raw.end(), status_line), end; it != end; ++it) {
    found.push_back(std::stoi((*it)[1]));
  }
  return found;
}

}  // namespace paymentd::http::testing
