#include "config/bounded_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace paymentd::config {
namespace {

// POSIX rather than Poco's streams: only open(O_NONBLOCK) returns at once on a FIFO, and
// only fstat on the opened descriptor checks the file that is then read.
class Descriptor {
 public:
  explicit Descriptor(int fd) : fd_(fd) {}
  ~Descriptor() {
    if (fd_ >= 0) ::close(fd_);
  }
  Descriptor(const Descriptor&) = delete;
  Descriptor& operator=(const Descriptor&) = delete;
  int get() const { return fd_; }

 private:
  int fd_;
};

std::string kindOf(mode_t mode) {
  if (S_ISDIR(mode)) return "a directory";
  if (S_ISFIFO(mode)) return "a FIFO";
  if (S_ISCHR(mode)) return "a character device";
  if (S_ISBLK(mode)) return "a block device";
  if (S_ISSOCK(mode)) return "a socket";
  return "not a file";
}

BoundedRead refused(std::string problem) {
  return BoundedRead{std::nullopt, std::move(problem)};
}

std::string tooLarge(std::size_t max_bytes) {
  return "larger than " + std::to_string(max_bytes) + " bytes";
}

}  // namespace

BoundedRead readRegularFile(const std::string& path, std::size_t max_bytes) {
  const Descriptor file(::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC));
  if (file.get() < 0) return refused(std::strerror(errno));
  struct stat info {};
  if (::fstat(file.get(), &info) != 0) return refused(std::strerror(errno));
  if (!S_ISREG(info.st_mode)) return refused(kindOf(info.st_mode) + ", not a regular file");
  if (static_cast<std::size_t>(info.st_size) > max_bytes) return refused(tooLarge(max_bytes));
  // Read to the limit, not to st_size: the file may grow while it is read.
  std::string content;
  char buffer[8192];
  for (;;) {
    const ssize_t got = ::read(file.get(), buffer, sizeof buffer);
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) return refused(std::strerror(errno));
    if (got == 0) break;
    content.append(buffer, static_cast<std::size_t>(got));
    if (content.size() > max_bytes) return refused(tooLarge(max_bytes));
  }
  return BoundedRead{std::move(content), ""};
}

}  // namespace paymentd::config
