// Runs the built `cascade` program in a scratch directory, for end-to-end CLI tests.
//
//   class LoopsCli : public testing::CliFixture {};
//   TEST_F(LoopsCli, Help) { const Outcome o = cascade("loops --help"); EXPECT_EQ(o.exit_code, 0); }
//
// Each test gets an empty working directory (`work_`), removed afterwards; stdout and stderr
// are captured outside it, so that work_ holds only what the program wrote. `start` runs the
// program in the background, to interrupt a sweep part-way.
#pragma once

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <thread>
#include <vector>

namespace cascade::testing {

inline std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

/// A path in single quotes, for the shell.
inline std::string quoted(const std::filesystem::path& p) { return "'" + p.string() + "'"; }

struct Outcome {
  int exit_code = -1;
  std::string out;
  std::string err;
};

class CliFixture : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string name = ::testing::UnitTest::GetInstance()->current_test_info()->name();
    std::replace(name.begin(), name.end(), '/', '_');  // parameterised names contain '/'
    const std::string stem = "cascade-" + std::to_string(::getpid()) + "-" + name;
    work_ = std::filesystem::temp_directory_path() / stem;
    captured_ = std::filesystem::temp_directory_path() / (stem + ".captured");
    for (const auto& dir : {work_, captured_}) {
      std::filesystem::remove_all(dir);
      std::filesystem::create_directories(dir);
    }
  }
  void TearDown() override {
    std::filesystem::remove_all(work_);
    std::filesystem::remove_all(captured_);
  }

  /// Runs `cascade <args>` in work_, with `environment` ("NAME='value' ...") prefixed when given.
  Outcome cascade(const std::string& args, const std::string& environment = "") const {
    const std::filesystem::path out = captured_ / "stdout", err = captured_ / "stderr";
    const std::string command = "cd " + quoted(work_) + " && " + environment + (environment.empty() ? "" : " ") +
                                quoted(CASCADE_BINARY) + " " + args + " >" + quoted(out) + " 2>" + quoted(err);
    const int status = std::system(command.c_str());
    return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, read_file(out), read_file(err)};
  }

  /// Expects each of `files` to exist in work_/a and to hold the same bytes in work_/b.
  void expect_same_files(const std::filesystem::path& a, const std::filesystem::path& b,
                         const std::vector<std::string>& files) const {
    for (const std::string& f : files) {
      ASSERT_TRUE(std::filesystem::exists(work_ / a / f)) << (a / f);
      ASSERT_TRUE(std::filesystem::exists(work_ / b / f)) << (b / f);
      EXPECT_EQ(read_file(work_ / a / f), read_file(work_ / b / f)) << f << " differs between " << a << " and " << b;
    }
  }

  /// Starts `cascade args` in work_ without waiting, its output discarded; returns its pid.
  pid_t start(const std::vector<std::string>& args) const {
    const pid_t pid = ::fork();
    if (pid == 0) {
      if (::chdir(work_.c_str()) != 0) ::_exit(127);
      const int null = ::open("/dev/null", O_WRONLY);
      ::dup2(null, STDOUT_FILENO);
      ::dup2(null, STDERR_FILENO);
      std::vector<char*> argv{const_cast<char*>(CASCADE_BINARY)};
      for (const std::string& a : args) argv.push_back(const_cast<char*>(a.c_str()));
      argv.push_back(nullptr);
      ::execv(CASCADE_BINARY, argv.data());
      ::_exit(127);
    }
    return pid;
  }
  /// Waits until the sweep journal in work_/dir holds at least `records` chunk records (true),
  /// or `pid` exits or a minute passes (false).
  bool wait_for_records(const std::filesystem::path& dir, std::size_t records, pid_t pid) const {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while (std::chrono::steady_clock::now() < deadline) {
      const std::string journal = read_file(work_ / dir / "journal.cj");
      std::size_t found = 0;
      for (std::size_t at = journal.find("#chunk "); at != std::string::npos; at = journal.find("#chunk ", at + 1))
        ++found;
      if (found >= records) return true;
      int status = 0;
      if (::waitpid(pid, &status, WNOHANG) == pid) return false;
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    return false;
  }
  /// Waits for `pid`; its exit code, or 128 + the signal that ended it.
  static int wait_exit(pid_t pid) {
    int status = 0;
    ::waitpid(pid, &status, 0);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  }

  std::filesystem::path work_;
  std::filesystem::path captured_;
};

}  // namespace cascade::testing
