#include "http/request_target.h"

#include <Poco/Exception.h>
#include <Poco/URI.h>

namespace paymentd::http {

bool parseRequestTarget(const std::string& target, HttpRequest& request) {
  try {
    Poco::URI uri(target);
    request.path = uri.getPath();
    for (auto& param : uri.getQueryParameters()) request.query.push_back(std::move(param));
    return true;
  } catch (const Poco::SyntaxException&) {
    return false;
  }
}

}  // namespace paymentd::http
