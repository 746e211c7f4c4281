#include "support/subprocess.h"

#include <Poco/Pipe.h>
#include <Poco/PipeStream.h>
#include <Poco/Process.h>
#include <Poco/StreamCopier.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <sstream>
#include <thread>

namespace paymentd::testing {

ProcessResult runProcess(const std::string& program, const std::vector<std::string>& args,
                         const std::string& working_dir) {
  Poco::Pipe out_pipe;
  Poco::Pipe err_pipe;
  Poco::ProcessHandle handle =
      Poco::Process::launch(program, args, working_dir.empty() ? std::string(".") : working_dir,
                            nullptr, &out_pipe, &err_pipe);
  ProcessResult result;
  // Drain stderr on its own thread so a full pipe cannot block the child.
  std::thread err_reader([&] {
    Poco::PipeInputStream err(err_pipe);
    Poco::StreamCopier::copyToString(err, result.err);
  });
  Poco::PipeInputStream out(out_pipe);
  Poco::StreamCopier::copyToString(out, result.out);
  err_reader.join();
  result.exit_code = handle.wait();
  return result;
}

BackgroundProcess::BackgroundProcess(const std::string& program,
                                     const std::vector<std::string>& args,
                                     const std::string& stderr_file,
                                     const std::vector<std::string>& environment)
    : stderr_file_(stderr_file) {
  // Built before the fork: the child of a threaded process may only exec.
  std::vector<std::string> entries = environment;
  for (char** entry = environ; *entry != nullptr; ++entry) {
    const std::string text = *entry;
    const std::string name = text.substr(0, text.find('=') + 1);
    bool replaced = false;
    for (const auto& added : environment) replaced = replaced || added.rfind(name, 0) == 0;
    if (!replaced) entries.push_back(text);
  }
  std::vector<char*> envp;
  for (auto& entry : entries) envp.push_back(entry.data());
  envp.push_back(nullptr);
  // Poco's launch takes pipes, not files; a plain fork/exec sends both streams to the file,
  // which the test can read while the process runs.
  // Truncated before the fork, so a reader never sees an earlier run's output.
  const int fd = ::open(stderr_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  const pid_t pid = fork();
  if (pid == 0) {
    dup2(fd, STDERR_FILENO);
    dup2(fd, STDOUT_FILENO);
    std::vector<char*> argv;
    argv.push_back(const_cast<char*>(program.c_str()));
    for (const auto& arg : args) argv.push_back(const_cast<char*>(arg.c_str()));
    argv.push_back(nullptr);
    execve(program.c_str(), argv.data(), envp.data());
    _exit(127);
  }
  ::close(fd);
  pid_ = static_cast<int>(pid);
}

BackgroundProcess::~BackgroundProcess() {
  if (!exited_) {
    ::kill(pid_, SIGKILL);
    waitFor(std::chrono::seconds(5));
  }
}

void BackgroundProcess::signal(int signal_number) const {
  ::kill(pid_, signal_number);
}

int BackgroundProcess::waitFor(std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    int status = 0;
    const pid_t done = ::waitpid(pid_, &status, WNOHANG);
    if (done == pid_) {
      exited_ = true;
      if (WIFEXITED(status)) return WEXITSTATUS(status);
      return 128 + WTERMSIG(status);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return -1;
}

std::string BackgroundProcess::stderrText() const {
  std::ifstream in(stderr_file_);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

bool waitForOutput(const BackgroundProcess& process, const std::string& needle,
                   std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (process.stderrText().find(needle) != std::string::npos) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return false;
}

}  // namespace paymentd::testing
