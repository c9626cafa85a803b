// Runs the built `cascade` program in a scratch directory, for end-to-end CLI tests.
//
//   class LoopsCli : public testing::CliFixture {};
//   TEST_F(LoopsCli, Help) { const Outcome o = cascade("loops --help"); EXPECT_EQ(o.exit_code, 0); }
//
// Each test gets an empty working directory (`work_`), removed afterwards; stdout and stderr
// are captured outside it, so that work_ holds only what the program wrote.
#pragma once

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

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

  std::filesystem::path work_;
  std::filesystem::path captured_;
};

}  // namespace cascade::testing
