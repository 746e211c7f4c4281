#include "config/events_config.h"

namespace paymentd::config {

std::optional<EventsConfig> readEvents(MapReader& root, const std::string& base_dir) {
  YAML::Node node = root.node("events", false);
  if (!node.IsDefined()) return std::nullopt;
  MapReader map(node, root.file(), "events", root.problems());
  if (!map.valid()) return std::nullopt;
  EventsConfig events;
  if (auto v = map.string("url", true)) {
    events.url = *v;
    events.url_mark = map.markOfKey("url");
    if (v->rfind("https://", 0) != 0 && v->rfind("http://", 0) != 0) {
      map.problems().add(events.url_mark,
                         "events.url must start with https:// (or http:// to a loopback host)");
    }
  }
  if (auto v = map.path("secret_file", true, base_dir)) {
    events.secret_file = *v;
    events.secret_file_mark = map.markOfKey("secret_file");
  }
  if (auto v = map.integer("connect_timeout_ms", false, 1, 60'000)) {
    events.connect_timeout_ms = static_cast<int>(*v);
  }
  if (auto v = map.integer("read_timeout_ms", false, 1, 120'000)) {
    events.read_timeout_ms = static_cast<int>(*v);
  }
  map.finish();
  return events;
}

}  // namespace paymentd::config
