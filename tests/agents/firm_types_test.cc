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

std::vector<std::vector<std::string>> doc_rows() {
  std::ifstream doc(std::string(CASCADE_SOURCE_DIR) + "/docs/agents.md");
  EXPECT_TRUE(doc) << "docs/agents.md not found";
  std::vector<std::vector<std::string>> rows;
  for (std::string line; std::getline(doc, line);) rows.push_back(split_row(line));
  return rows;
}

// Every table whose first column is "type" gives type defaults, one row per firm type.
TEST(FirmTypes, DocsTablesMatchTheDefaults) {
  std::vector<std::string> header;
  std::vector<int> rows_per_table;
  for (const auto& cells : doc_rows()) {
    if (cells.size() > 1 && cells[0] == "type") {
      header = cells;
      rows_per_table.push_back(0);
    }
    if (header.empty() || cells.size() != header.size()) continue;
    const auto type = parse_firm_type(cells[0]);
    if (!type) continue;
    const AgentParams p = agents::defaults_for(*type);
    for (std::size_t c = 1; c < cells.size(); ++c) {
      const AgentParamInfo* info = find_agent_param(header[c]);
      ASSERT_NE(info, nullptr) << "unknown knob in docs/agents.md: " << header[c];
      EXPECT_DOUBLE_EQ(info->get(p), std::stod(cells[c])) << cells[0] << "." << header[c];
    }
    ++rows_per_table.back();
  }
  ASSERT_FALSE(rows_per_table.empty()) << "no table of type defaults in docs/agents.md";
  for (std::size_t t = 0; t < rows_per_table.size(); ++t)
    EXPECT_EQ(rows_per_table[t], static_cast<int>(kFirmTypeCount)) << "table " << t + 1 << ": one row per firm type";
}

// The knob table (first column "knob") lists every knob of the schema once, in its order, with
// the schema's unit.
TEST(FirmTypes, DocsKnobTableListsEveryKnobWithItsUnit) {
  std::vector<std::string> names, units;
  bool in_table = false;
  for (const auto& cells : doc_rows()) {
    if (cells.size() > 1 && cells[0] == "knob") {
      in_table = true;
      continue;
    }
    if (in_table && cells.empty()) break;
    if (!in_table || cells.size() < 2 || cells[0].size() < 3 || cells[0].front() != '`') continue;
    names.push_back(cells[0].substr(1, cells[0].size() - 2));
    units.push_back(cells[1]);
  }
  const auto schema = agent_param_schema();
  ASSERT_EQ(names.size(), schema.size()) << "the knob table of docs/agents.md must list every knob once";
  for (std::size_t k = 0; k < schema.size(); ++k) {
    EXPECT_EQ(names[k], schema[k].name) << "row " << k + 1;
    EXPECT_EQ(units[k], schema[k].unit) << schema[k].name;
  }
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
  EXPECT_EQ(std::vector<FundingSource>(spv.begin(), spv.end()),
            (std::vector<FundingSource>{FundingSource::draw_credit_lines, FundingSource::sell_hardware}));
}

}  // namespace
}  // namespace cascade
