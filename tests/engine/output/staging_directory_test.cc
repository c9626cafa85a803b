#include "engine/output/staging_directory.h"

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "engine/output/json_file.h"

namespace cascade::output {
namespace {
namespace fs = std::filesystem;

/// A fresh empty directory per test, removed afterwards.
class StagingDirectoryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    root_ = fs::temp_directory_path() / ("cascade-staging-" + std::to_string(::getpid()) + "-" + info->name());
    fs::remove_all(root_);
    fs::create_directories(root_);
  }
  void TearDown() override { fs::remove_all(root_); }

  static void write(const fs::path& path, const std::string& text) { std::ofstream(path) << text; }
  static std::string read(const fs::path& path) {
    std::ifstream in(path);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  }
  /// Names in root_, to check that nothing (no .tmp-/.old- leftovers) stays behind.
  std::vector<std::string> entries() const {
    std::vector<std::string> names;
    for (const auto& e : fs::directory_iterator(root_)) names.push_back(e.path().filename().string());
    std::sort(names.begin(), names.end());
    return names;
  }

  fs::path root_;
};

TEST_F(StagingDirectoryTest, WritesIntoASiblingAndMovesItIntoPlaceOnCommit) {
  const fs::path target = root_ / "run";
  StagingDirectory dir(target, false);
  EXPECT_EQ(dir.path().parent_path(), root_);
  EXPECT_EQ(dir.path().filename().string(), "run.tmp-" + std::to_string(::getpid()));
  write(dir.path() / "a.csv", "x\n");
  EXPECT_FALSE(fs::exists(target)) << "the target must not appear before commit";

  dir.commit();
  EXPECT_EQ(read(target / "a.csv"), "x\n");
  EXPECT_EQ(entries(), std::vector<std::string>{"run"});
}

TEST_F(StagingDirectoryTest, RemovesTheStagingDirectoryWhenNotCommitted) {
  const fs::path target = root_ / "run";
  {
    StagingDirectory dir(target, false);
    write(dir.path() / "a.csv", "half written");
  }
  EXPECT_TRUE(entries().empty());
}

TEST_F(StagingDirectoryTest, RefusesAnExistingTargetWithoutTouchingIt) {
  const fs::path target = root_ / "run";
  fs::create_directory(target);
  write(target / "sentinel", "keep me");
  EXPECT_THROW(StagingDirectory(target, false), OutputError);
  EXPECT_EQ(read(target / "sentinel"), "keep me");
  EXPECT_EQ(entries(), std::vector<std::string>{"run"});
}

TEST_F(StagingDirectoryTest, RefusesATargetThatAppearedBeforeCommit) {
  const fs::path target = root_ / "run";
  StagingDirectory dir(target, false);
  fs::create_directory(target);
  write(target / "sentinel", "keep me");
  EXPECT_THROW(dir.commit(), OutputError);
  EXPECT_EQ(read(target / "sentinel"), "keep me");
}

TEST_F(StagingDirectoryTest, ReplacesAnExistingTargetWhenAsked) {
  const fs::path target = root_ / "run";
  fs::create_directory(target);
  write(target / "sentinel", "old");
  StagingDirectory dir(target, true);
  write(dir.path() / "a.csv", "new");
  EXPECT_EQ(read(target / "sentinel"), "old") << "the old target stays until commit";

  dir.commit();
  EXPECT_FALSE(fs::exists(target / "sentinel"));
  EXPECT_EQ(read(target / "a.csv"), "new");
  EXPECT_EQ(entries(), std::vector<std::string>{"run"});
}

TEST_F(StagingDirectoryTest, NormalisesATrailingSeparatorAndCreatesParents) {
  const fs::path target = root_ / "deep" / "er" / "run";
  StagingDirectory dir(fs::path(target.string() + "/"), false);
  EXPECT_EQ(dir.target(), target);
  dir.commit();
  EXPECT_TRUE(fs::is_directory(target));
}

TEST_F(StagingDirectoryTest, RejectsUnusableNames) {
  EXPECT_THROW(StagingDirectory(".", true), OutputError);
  EXPECT_THROW(StagingDirectory("", true), OutputError);
}

/// The pid of a process that has ended (a child that exited and was reaped).
pid_t ended_pid() {
  const pid_t child = ::fork();
  if (child == 0) ::_exit(0);
  ::waitpid(child, nullptr, 0);
  return child;
}

TEST_F(StagingDirectoryTest, FindsWhatAKilledWriterLeftAndNothingElse) {
  const std::string dead = std::to_string(ended_pid());
  const fs::path target = root_ / "out";
  for (const std::string& name : std::vector<std::string>{
           "out.tmp-" + dead, "out.old-" + dead, "out.tmp-" + std::to_string(::getpid()),
           "out.tmp-" + std::to_string(::getppid()), "out.tmp-abc", "out.tmp-", "other.tmp-" + dead, "out"})
    fs::create_directories(root_ / name);
  EXPECT_EQ(abandoned_staging(target),
            (std::vector<fs::path>{root_ / ("out.old-" + dead), root_ / ("out.tmp-" + dead)}));
  EXPECT_EQ(abandoned_staging(root_ / "out/"), abandoned_staging(target));  // a trailing separator
  EXPECT_TRUE(abandoned_staging(root_ / "none").empty());
}

// A full disk is /dev/full: every write to it fails with ENOSPC, which the message names instead
// of guessing "disk full or no permission?".
TEST(CannotWrite, NamesTheErrorAFailedWriteGave) {
  if (!fs::exists("/dev/full")) GTEST_SKIP() << "no /dev/full";
  try {
    write_json_file("/dev/full", Json{{"a", 1}});
    ADD_FAILURE() << "writing to /dev/full succeeded";
  } catch (const OutputError& e) {
    EXPECT_EQ(std::string(e.what()), "cannot write '/dev/full': No space left on device");
  }
  errno = EROFS;
  EXPECT_EQ(cannot_write("/tmp/x.csv"), "cannot write '/tmp/x.csv': Read-only file system");
  errno = EINVAL;  // not an error of writing: it may be older than the write that failed
  EXPECT_EQ(cannot_write("/tmp/x.csv"), "cannot write '/tmp/x.csv' (disk full or no permission?)");
  EXPECT_EQ(cannot_write("/no-such-directory/x.csv"),
            "cannot write '/no-such-directory/x.csv': its directory '/no-such-directory' does not exist");
}

}  // namespace
}  // namespace cascade::output
