// Firm-type behaviour: the decision rules, and docs/agents.md kept in step with the defaults.
#include "agents/firm_types.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

namespace cascade {
namespace {

std::vector<std::string> split_row(const std::string& line) {
  std::vector<std::string> cells;
  std::stringstream ss(line);
  std::string cell;
  std::getline(ss, cell, '|');  // before the first bar
  while (std::getline(ss, cell, '|')) {
    const auto b = cell.find_first_not_of(' '), e = cell.find_last_not_of(' ');
    cells.push_back(b == std::string::npos ? "" : cell.substr(b, e - b + 1));
  }
  if (!cells.empty() && cells.back().empty()) cells.pop_back();
  return cells;
}

TEST(FirmTypes, DocsTableMatchesTheDefaults) {
  std::ifstream doc(std::string(CASCADE_SOURCE_DIR) + "/docs/agents.md");
  ASSERT_TRUE(doc) << "docs/agents.md not found";
  std::vector<std::string> header;
  int rows = 0;
  for (std::string line; std::getline(doc, line);) {
    const auto cells = split_row(line);
    if (cells.size() > 1 && cells[0] == "type") header = cells;
    if (header.empty() || cells.size() != header.size()) continue;
    const auto type = parse_firm_type(cells[0]);
    if (!type) continue;
    const AgentParams p = agents::defaults_for(*type);
    for (std::size_t c = 1; c < cells.size(); ++c) {
      const AgentParamInfo* info = find_agent_param(header[c]);
      ASSERT_NE(info, nullptr) << "unknown knob in docs/agents.md: " << header[c];
      EXPECT_DOUBLE_EQ(info->get(p), std::stod(cells[c])) << cells[0] << "." << header[c];
    }
    ++rows;
  }
  EXPECT_EQ(rows, static_cast<int>(kFirmTypeCount)) << "one row per firm type";
}

TEST(FirmTypes, DefaultsAreWithinTheirDeclaredRanges) {
  for (FirmType t : all_firm_types()) {
    const AgentParams p = agents::defaults_for(t);
    for (const AgentParamInfo& info : agent_param_schema()) {
      EXPECT_GE(info.get(p), info.min_value) << to_string(t) << "." << info.name;
      EXPECT_LE(info.get(p), info.max_value) << to_string(t) << "." << info.name;
    }
  }
}

struct Views {
  FirmSpec spec;
  FirmView view(double cash, double outgoings, double equity = 10, double assets = 100, double debt = 20) {
    FirmView v;
    v.spec = &spec;
    v.cash_usd_bn = cash;
    v.outgoings_usd_bn_per_tick = outgoings;
    v.equity_usd_bn = equity;
    v.initial_equity_usd_bn = 10;
    v.assets_usd_bn = assets;
    v.debt_usd_bn = debt;
    return v;
  }
};

TEST(FirmTypes, CapexIsCutOnlyBelowTheBuffer) {
  Views v;
  v.spec.type = FirmType::hyperscaler;
  v.spec.params = agents::defaults_for(FirmType::hyperscaler);  // buffer 3 months, cut 0.5
  const FirmBehaviour& b = agents::standard_behaviours().of(FirmType::hyperscaler);
  // Monthly ticks, outgoings 10 per tick: the buffer is 30.
  EXPECT_DOUBLE_EQ(b.capex_multiplier(v.view(30.0, 10.0)), 1.0);
  EXPECT_DOUBLE_EQ(b.capex_multiplier(v.view(29.9, 10.0)), 0.5);
  EXPECT_TRUE(b.honours_nonbinding(v.view(30.0, 10.0)));
  EXPECT_FALSE(b.honours_nonbinding(v.view(29.9, 10.0)));
}

TEST(FirmTypes, LenderRefusesAfterLossesOrToWeakBorrowers) {
  Views lender, borrower;
  lender.spec.params = agents::defaults_for(FirmType::bank);         // loss limit 10% of equity
  borrower.spec.params = agents::defaults_for(FirmType::neocloud);   // max leverage 0.8
  const FirmBehaviour& b = agents::standard_behaviours().of(FirmType::bank);
  FirmView l = lender.view(100, 1);
  EXPECT_TRUE(b.willing_to_roll(l, borrower.view(1, 1, 10, 100, 80), 5));   // leverage 0.8: at the limit
  EXPECT_FALSE(b.willing_to_roll(l, borrower.view(1, 1, 10, 100, 81), 5));  // above it
  EXPECT_FALSE(b.willing_to_roll(l, borrower.view(1, 1, 0, 100, 20), 5));   // insolvent borrower
  l.credit_losses_usd_bn = 1.01;  // > 10% of initial equity 10
  EXPECT_FALSE(b.willing_to_roll(l, borrower.view(1, 1, 10, 100, 20), 5));
}

TEST(FirmTypes, FundingOrderPerType) {
  const Behaviours& all = agents::standard_behaviours();
  ASSERT_TRUE(all.complete());
  Views v;
  const auto lab = all.of(FirmType::ai_lab).funding_order(v.view(1, 1));
  ASSERT_FALSE(lab.empty());
  EXPECT_EQ(lab[1], FundingSource::raise_equity);  // labs raise equity before anything but lines
  const auto spv = all.of(FirmType::spv).funding_order(v.view(1, 1));
  EXPECT_EQ(spv, (std::vector<FundingSource>{FundingSource::draw_credit_lines, FundingSource::sell_hardware}));
}

}  // namespace
}  // namespace cascade
