#include "engine/output/staging_directory.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

namespace cascade::output {
namespace {
namespace fs = std::filesystem;

/// A fresh empty directory per test, removed afterwards.
class StagingDirectoryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    root_ = fs::temp_directory_path() /
            ("cascade-staging-" + std::to_string(::getpid()) + "-" + info->name());
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

}  // namespace
}  // namespace cascade::output
