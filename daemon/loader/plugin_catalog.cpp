#include "loader/plugin_catalog.h"

#include <algorithm>
#include <filesystem>
#include <system_error>

namespace paymentd::loader {

namespace fs = std::filesystem;

PluginCatalog PluginCatalog::scan(const std::vector<std::string>& directories,
                                  config::ConfigProblems& problems) {
  PluginCatalog catalog;
  catalog.directories_ = directories;
  for (const auto& directory : directories) {
    std::error_code ec;
    if (!fs::is_directory(directory, ec)) {
      problems.addPlain(directory, "plugin directory does not exist or is not a directory");
      continue;
    }
    std::vector<fs::path> files;
    for (const auto& entry : fs::directory_iterator(directory, ec)) {
      if (entry.path().extension() == ".so" && entry.is_regular_file(ec))
        files.push_back(entry.path());
    }
    std::sort(files.begin(), files.end());
    for (const auto& file : files) {
      try {
        auto library = PluginLibrary::load(file);
        auto same = std::find_if(
            catalog.libraries_.begin(), catalog.libraries_.end(),
            [&](const auto& other) { return other->identity() == library->identity(); });
        if (same != catalog.libraries_.end()) {
          problems.addPlain(file.string(), "plugin '" + library->name() + "' version " +
                                               library->version() + " is also provided by " +
                                               (*same)->path().string());
          continue;
        }
        catalog.libraries_.push_back(std::move(library));
      } catch (const PluginLoadError& e) {
        problems.addPlain(file.string(), e.what());
      }
    }
  }
  return catalog;
}

std::shared_ptr<PluginLibrary> PluginCatalog::find(const std::string& reference,
                                                   std::string& error) const {
  const auto at = reference.find('@');
  const std::string name = reference.substr(0, at);
  const std::string version = at == std::string::npos ? "" : reference.substr(at + 1);
  std::vector<std::shared_ptr<PluginLibrary>> matches;
  for (const auto& library : libraries_) {
    if (library->name() == name && (version.empty() || library->version() == version)) {
      matches.push_back(library);
    }
  }
  if (matches.size() == 1) return matches.front();
  if (matches.empty()) {
    std::string searched;
    for (const auto& dir : directories_) searched += (searched.empty() ? "" : ", ") + dir;
    error =
        "no plugin '" + reference + "' in " + (searched.empty() ? "(no directories)" : searched);
  } else {
    error = "plugin '" + name + "' exists in several versions (";
    for (std::size_t i = 0; i < matches.size(); ++i) {
      error += (i ? ", " : "") + matches[i]->version();
    }
    error += "); name one as " + name + "@VERSION";
  }
  return nullptr;
}

}  // namespace paymentd::loader
