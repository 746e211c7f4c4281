#include "config/portone_v1_config.h"

namespace paymentd::config {

std::optional<PortOneV1Config> readPortOneV1(MapReader& portone, const std::string& base_dir) {
  YAML::Node node = portone.node("v1", false);
  if (!node.IsDefined()) return std::nullopt;
  MapReader map(node, portone.file(), "portone.v1", portone.problems());
  if (!map.valid()) return std::nullopt;
  PortOneV1Config v1;
  if (auto v = map.string("api_base", true)) {
    if (v->rfind("https://", 0) != 0 && v->rfind("http://", 0) != 0) {
      map.problems().add(
          map.markOfKey("api_base"),
          "portone.v1.api_base must start with https:// (or http:// for a loopback sandbox)");
    }
    v1.api_base = *v;
  }
  if (auto v = map.path("imp_key_file", true, base_dir)) {
    v1.imp_key_file = *v;
    v1.imp_key_file_mark = map.markOfKey("imp_key_file");
  }
  if (auto v = map.path("imp_secret_file", true, base_dir)) {
    v1.imp_secret_file = *v;
    v1.imp_secret_file_mark = map.markOfKey("imp_secret_file");
  }
  map.finish();
  return v1;
}

}  // namespace paymentd::config
