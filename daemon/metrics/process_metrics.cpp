#include "metrics/process_metrics.h"

#include <sys/resource.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>

namespace paymentd::metrics {
namespace {

struct Stat {
  double cpu_seconds = 0;
  double start_ticks = 0;  // since boot
  double virtual_bytes = 0;
  double resident_pages = 0;
};

// /proc/self/stat: the fields after the command name, which may hold spaces and ')'.
std::optional<Stat> readStat() {
  std::ifstream in("/proc/self/stat");
  std::string line;
  if (!std::getline(in, line)) return std::nullopt;
  const auto close = line.rfind(')');
  if (close == std::string::npos) return std::nullopt;
  std::istringstream fields(line.substr(close + 2));
  std::vector<std::string> values;
  for (std::string value; fields >> value;) values.push_back(value);
  // Field 3 (state) is values[0]; utime 14, stime 15, starttime 22, vsize 23, rss 24.
  if (values.size() < 22) return std::nullopt;
  const double ticks = static_cast<double>(::sysconf(_SC_CLK_TCK));
  Stat stat;
  stat.cpu_seconds = (std::stod(values[11]) + std::stod(values[12])) / ticks;
  stat.start_ticks = std::stod(values[19]) / ticks;
  stat.virtual_bytes = std::stod(values[20]);
  stat.resident_pages = std::stod(values[21]);
  return stat;
}

std::optional<double> bootTime() {
  std::ifstream in("/proc/stat");
  for (std::string key; in >> key;) {
    if (key == "btime") {
      double seconds = 0;
      if (in >> seconds) return seconds;
      return std::nullopt;
    }
    in.ignore(1 << 20, '\n');
  }
  return std::nullopt;
}

std::optional<double> openFds() {
  std::error_code error;
  double count = 0;
  for (std::filesystem::directory_iterator it("/proc/self/fd", error), end; !error && it != end;
       it.increment(error)) {
    ++count;
  }
  if (error) return std::nullopt;
  return count - 1;  // less the descriptor that read the directory
}

prometheus::MetricFamily family(const char* name, const char* help, prometheus::MetricType type,
                                double value) {
  prometheus::ClientMetric metric;
  if (type == prometheus::MetricType::Counter) {
    metric.counter.value = value;
  } else {
    metric.gauge.value = value;
  }
  return prometheus::MetricFamily{name, help, type, {metric}};
}

}  // namespace

std::vector<prometheus::MetricFamily> processMetrics() {
  using prometheus::MetricType;
  std::vector<prometheus::MetricFamily> out;
  try {
    if (const auto stat = readStat()) {
      out.push_back(family("process_cpu_seconds_total",
                           "Total user and system CPU time spent in seconds.", MetricType::Counter,
                           stat->cpu_seconds));
      out.push_back(family("process_resident_memory_bytes", "Resident memory size in bytes.",
                           MetricType::Gauge,
                           stat->resident_pages * static_cast<double>(::sysconf(_SC_PAGESIZE))));
      out.push_back(family("process_virtual_memory_bytes", "Virtual memory size in bytes.",
                           MetricType::Gauge, stat->virtual_bytes));
      if (const auto boot = bootTime()) {
        out.push_back(family("process_start_time_seconds",
                             "Start time of the process since unix epoch in seconds.",
                             MetricType::Gauge, *boot + stat->start_ticks));
      }
    }
  } catch (const std::exception&) {
    // An unreadable number: the scrape goes on without the process metrics.
  }
  if (const auto fds = openFds()) {
    out.push_back(
        family("process_open_fds", "Number of open file descriptors.", MetricType::Gauge, *fds));
  }
  rlimit limit{};
  if (::getrlimit(RLIMIT_NOFILE, &limit) == 0) {
    out.push_back(family("process_max_fds", "Maximum number of open file descriptors.",
                         MetricType::Gauge, static_cast<double>(limit.rlim_cur)));
  }
  return out;
}

}  // namespace paymentd::metrics
