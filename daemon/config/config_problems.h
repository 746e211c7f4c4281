// config/config_problems.h: start-up problems, each reported as `file:line:column: message`.
#pragma once

#include <string>
#include <vector>

namespace paymentd::config {

/// A position in a source file, 1-based. line 0 means "the file as a whole".
struct SourceMark {
  std::string file;
  int line = 0;
  int column = 0;

  std::string str() const;
};

/// Collects every problem found instead of stopping at the first, so
/// `--check-config` can report them all in one run.
class ConfigProblems {
 public:
  void add(const SourceMark& mark, const std::string& message);
  /// A problem not tied to a position (for example a plugin file): `where: message`.
  void addPlain(const std::string& where, const std::string& message);

  bool empty() const { return lines_.empty(); }
  const std::vector<std::string>& lines() const { return lines_; }

 private:
  std::vector<std::string> lines_;
};

}  // namespace paymentd::config
