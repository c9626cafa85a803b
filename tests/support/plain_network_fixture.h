// A scratch directory for plain-network reader tests: each test writes its CSV files and gets
// every error back as "file:line:col: column: message" with the file name only.
//
//   class Reader : public testing::PlainNetworkFixture {};
//   TEST_F(Reader, WrongHeader) { EXPECT_THAT(errors(nodes, "from,to,amount\n"), ElementsAre(...)); }
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "engine/network/plain_network.h"

namespace cascade::testing {

class PlainNetworkFixture : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ = std::filesystem::path(::testing::TempDir()) /
           (std::string("cascade_plain_network_") + info->test_suite_name() + "_" + info->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  void write(const std::string& name, const std::string& text) const {
    std::ofstream(dir_ / name, std::ios::binary) << text;
  }

  /// Writes the files (shock.csv only when given), reads them into net_, and returns every error.
  std::vector<std::string> errors(const std::string& nodes, const std::string& edges, const std::string& shocks = "",
                                  const InputLimits& limits = {}) {
    write("nodes.csv", nodes);
    write("edges.csv", edges);
    if (!shocks.empty()) write("shock.csv", shocks);
    Diagnostics diags;
    net_ = read_indexed_plain_network(dir_, diags, limits);
    std::vector<std::string> out;
    for (Diagnostic d : diags.errors()) {
      d.where.file = std::filesystem::path(d.where.file.str()).filename().string();
      out.push_back(d.format());
    }
    return out;
  }

  std::filesystem::path dir_;
  IndexedPlainNetwork net_;
};

}  // namespace cascade::testing
