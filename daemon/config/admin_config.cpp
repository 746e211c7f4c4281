#include "config/admin_config.h"

#include "config/listen_address.h"
#include "config/password_file.h"

namespace paymentd::config {

void readAdmin(MapReader& root, const std::string& base_dir, AdminConfig& admin) {
  YAML::Node node = root.node("admin", false);
  if (!node.IsDefined()) return;
  MapReader map(node, root.file(), "admin", root.problems());
  if (!map.valid()) return;
  admin.enabled = true;
  if (auto listen = map.string("listen", false)) {
    if (const auto address = parseListenAddress(*listen)) {
      admin.host = address->host;
      admin.port = address->port;
    } else {
      map.problems().add(map.markOfKey("listen"),
                         "admin.listen must be HOST:PORT (port 0-65535), found '" + *listen + "'");
    }
  }
  if (auto file = map.path("token_file", true, base_dir)) {
    admin.token_file = *file;
    admin.token_file_mark = map.markOfKey("token_file");
    // Checked here so that --check-config refuses what the start would.
    const PasswordRead token = readPasswordFile(*file);
    if (!token.password) {
      map.problems().add(admin.token_file_mark,
                         "admin.token_file: cannot read " + *file + ": " + token.problem);
    } else if (token.password->size() < kMinAdminTokenLength) {
      map.problems().add(admin.token_file_mark, "admin.token_file: the token in " + *file +
                                                    " is shorter than 16 characters");
    }
  }
  map.finish();
}

}  // namespace paymentd::config
