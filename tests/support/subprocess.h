// support/subprocess.h: runs a program as a real process, as an operator would.
#pragma once

#include <chrono>
#include <string>
#include <vector>

namespace paymentd::testing {

struct ProcessResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};

/// Runs to completion and captures stdout and stderr.
ProcessResult runProcess(const std::string& program, const std::vector<std::string>& args,
                         const std::string& working_dir = "");

/// A process started in the background; stderr goes to a file the test can read.
class BackgroundProcess {
 public:
  /// `environment`: NAME=value entries added to (or replacing) this process's environment.
  BackgroundProcess(const std::string& program, const std::vector<std::string>& args,
                    const std::string& stderr_file,
                    const std::vector<std::string>& environment = {});
  ~BackgroundProcess();  // kills the process if it still runs

  int pid() const { return pid_; }
  void signal(int signal_number) const;
  /// Waits for exit; returns the exit code, or -1 if it did not exit in time.
  int waitFor(std::chrono::milliseconds timeout);
  std::string stderrText() const;

 private:
  int pid_ = -1;
  std::string stderr_file_;
  bool exited_ = false;
};

/// Polls stderr_text() until it contains `needle` or the timeout passes.
bool waitForOutput(const BackgroundProcess& process, const std::string& needle,
                   std::chrono::milliseconds timeout);

}  // namespace paymentd::testing
