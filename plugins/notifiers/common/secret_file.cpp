#include "secret_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <stdexcept>

namespace paymentd::notifiers {
namespace {

std::string kindOf(mode_t mode) {
  if (S_ISDIR(mode)) return "a directory";
  if (S_ISFIFO(mode)) return "a FIFO";
  if (S_ISCHR(mode)) return "a character device";
  if (S_ISBLK(mode)) return "a block device";
  if (S_ISSOCK(mode)) return "a socket";
  return "not a file";
}

// The whole file, or throws with `refused` + why. open(O_NONBLOCK) returns at
// once on a FIFO; fstat checks the very file that is then read.
std::string readBounded(const std::string& path, const std::string& refused) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
  if (fd < 0) throw std::invalid_argument(refused);
  std::string content;
  std::string problem;
  struct stat info {};
  if (::fstat(fd, &info) != 0) {
    problem = "cannot stat";
  } else if (!S_ISREG(info.st_mode)) {
    problem = kindOf(info.st_mode) + ", not a regular file";
  } else {
    char buffer[8192];
    for (;;) {  // to the limit, not to st_size: the file may grow meanwhile
      const ssize_t got = ::read(fd, buffer, sizeof buffer);
      if (got < 0 && errno == EINTR) continue;
      if (got <= 0) break;
      content.append(buffer, static_cast<std::size_t>(got));
      if (content.size() > kMaxSecretFileBytes) {
        problem = "larger than " + std::to_string(kMaxSecretFileBytes) + " bytes";
        break;
      }
    }
  }
  ::close(fd);
  if (!problem.empty()) throw std::invalid_argument(refused + ": " + problem);
  return content;
}

}  // namespace

std::string readSecretFile(const std::string& path, const std::string& key) {
  const std::string refused = "config key '" + key + "': cannot read " + path;
  const std::string content = readBounded(path, refused);
  const std::string line = content.substr(0, content.find('\n'));
  const auto first = line.find_first_not_of(" \t\r");
  const auto last = line.find_last_not_of(" \t\r");
  if (first == std::string::npos) {
    throw std::invalid_argument("config key '" + key + "': " + path + " is empty");
  }
  return line.substr(first, last - first + 1);
}

}  // namespace paymentd::notifiers
