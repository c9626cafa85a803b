// A scratch directory for scenario-loader tests: each test writes its YAML files and gets every
// error back as "file:line:col: path: message" with the file name only.
//
//   class Includes : public testing::ScenarioDirFixture {};
//   TEST_F(Includes, Missing) { EXPECT_THAT(errors_of(write("s.yaml", text)), ElementsAre(...)); }
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>
#include <vector>

#include "scenarios/loader/loader.h"

namespace cascade::testing {

class ScenarioDirFixture : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ = std::filesystem::path(::testing::TempDir()) /
           (std::string("cascade_scenario_") + info->test_suite_name() + "_" + info->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  /// Writes `text` to `name` in the scratch directory and returns its path.
  std::filesystem::path write(const std::string& name, std::string_view text) const {
    std::ofstream(dir_ / name, std::ios::binary) << text;
    return dir_ / name;
  }

  /// Loads `file`, expects a ScenarioError and returns each error as
  /// "file:line:col: path: message" with the file's name only (`<command line>` kept).
  static std::vector<std::string> errors_of(const std::filesystem::path& file,
                                            const scenario::LoadOptions& options = {}) {
    try {
      scenario::load_file(file, options);
    } catch (const ScenarioError& e) {
      std::vector<std::string> out;
      for (Diagnostic d : e.diagnostics()) {
        EXPECT_EQ(d.severity, Severity::error);
        if (d.where.file != "<command line>")
          d.where.file = std::filesystem::path(d.where.file.str()).filename().string();
        out.push_back(d.format());
      }
      return out;
    }
    ADD_FAILURE() << "expected a ScenarioError";
    return {};
  }

  std::filesystem::path dir_;
};

}  // namespace cascade::testing
