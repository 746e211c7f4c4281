#include "config/config_problems.h"

namespace paymentd::config {

std::string SourceMark::str() const {
  // A whole-file problem still gets line 1, column 1, so every line parses the same way.
  const int shown_line = line > 0 ? line : 1;
  const int shown_column = column > 0 ? column : 1;
  return file + ":" + std::to_string(shown_line) + ":" + std::to_string(shown_column);
}

void ConfigProblems::add(const SourceMark& mark, const std::string& message) {
  lines_.push_back(mark.str() + ": " + message);
}

void ConfigProblems::addPlain(const std::string& where, const std::string& message) {
  lines_.push_back(where + ": " + message);
}

}  // namespace paymentd::config
