// The shock kinds' classes as docs/scenario-format.md states them: the loader refuses targets,
// durations and ramps by them, and the report describes each shock by them (it listed three of
// the six market-wide kinds and four of the six one-off ones).
#include "engine/model/model.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <regex>
#include <set>
#include <string>

namespace cascade {
namespace {

std::string scenario_format_doc() {
  std::ifstream in(std::filesystem::path(CASCADE_SOURCE_DIR) / "docs/scenario-format.md", std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

/// The kinds named as `kind` in `text`.
std::set<std::string> kinds_in(const std::string& text) {
  std::set<std::string> out;
  const std::regex code("`([a-z_]+)`");
  for (std::sregex_iterator it(text.begin(), text.end(), code), end; it != end; ++it)
    if (parse_shock_kind((*it)[1].str())) out.insert((*it)[1].str());
  return out;
}

TEST(ShockKinds, OneOffAndMarketWideKindsAreTheDocumentedOnes) {
  const std::string doc = scenario_format_doc();
  // "`cash_change`, ..., `gpu_price_multiplier` and `depreciation_life` are one-off:"
  const std::size_t one_off_end = doc.find(" are\none-off:");
  ASSERT_NE(one_off_end, std::string::npos);
  const std::size_t one_off_start = doc.rfind(". ", one_off_end);
  const std::set<std::string> documented_one_off = kinds_in(doc.substr(one_off_start, one_off_end - one_off_start));
  // Table rows whose effect starts "market-wide".
  std::set<std::string> documented_market_wide;
  const std::regex row(R"(\| `([a-z_]+)` \| [^|]* \| market-wide)");
  for (std::sregex_iterator it(doc.begin(), doc.end(), row), end; it != end; ++it)
    documented_market_wide.insert((*it)[1].str());
  ASSERT_EQ(documented_one_off.size(), 6u);
  ASSERT_EQ(documented_market_wide.size(), 6u);  // "The six market-wide kinds take no `targets`."

  for (std::size_t k = 0; k < kShockKindCount; ++k) {
    const auto kind = static_cast<ShockKind>(k);
    const std::string name(to_string(kind));
    EXPECT_EQ(is_one_off(kind), documented_one_off.contains(name)) << name;
    EXPECT_EQ(is_market_wide(kind), documented_market_wide.contains(name)) << name;
  }
}

}  // namespace
}  // namespace cascade
