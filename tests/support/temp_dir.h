// support/temp_dir.h: a directory that exists for one test and is removed after it.
#pragma once

#include <filesystem>
#include <string>

namespace paymentd::testing {

class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::filesystem::path& path() const { return path_; }
  /// Writes `content` to `name` inside the directory and returns the full path.
  std::string write(const std::string& name, const std::string& content) const;
  /// The whole content of a file.
  static std::string readFile(const std::string& path);

 private:
  std::filesystem::path path_;
};

}  // namespace paymentd::testing
