// The loader on good input: every field of a small scenario reaches the Model; includes,
// plain networks and --set overrides combine as docs/scenario-format.md says.
#include "scenarios/loader/loader.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>

#include "agents/firm_types.h"
#include "scenarios/loader/sha256.h"

namespace cascade::scenario {
namespace {

namespace fs = std::filesystem;
using ::testing::ElementsAre;
using ::testing::IsEmpty;

const fs::path kData = fs::path(CASCADE_SOURCE_DIR) / "tests/scenarios/loader/data";

std::string bytes_of(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

/// Loads, or fails the test with every error.
Model load(const fs::path& file, const LoadOptions& options = {}) {
  try {
    return load_file(file, options);
  } catch (const ScenarioError& e) {
    ADD_FAILURE() << e.what();
    throw;
  }
}

const FirmSpec& firm(const Model& m, std::string_view id) { return m.firms.at(*m.find_firm(id)); }
const ExposureSpec& exposure(const Model& m, std::string_view id) {
  for (const ExposureSpec& e : m.exposures)
    if (e.id == id) return e;
  throw std::out_of_range(std::string(id));
}

TEST(Loader, SmallScenarioFillsTheModel) {
  const Model m = load(kData / "small.yaml");

  EXPECT_EQ(m.info.name, "small");
  EXPECT_EQ(m.info.description, "three firms, one loop");
  EXPECT_EQ(m.info.version, "0.1");
  EXPECT_EQ(m.info.as_of, "2026-06-30");
  EXPECT_THAT(m.info.files, ElementsAre((kData / "small.yaml").string()));
  EXPECT_EQ(m.info.content_hash, sha256_hex(bytes_of(kData / "small.yaml")));
  EXPECT_THAT(m.warnings, IsEmpty());

  EXPECT_EQ(m.params.horizon_ticks, 24);
  EXPECT_EQ(m.params.ticks_per_year, 12);
  EXPECT_EQ(m.params.seed, 42u);
  EXPECT_EQ(m.params.liquidation_hardware_fraction, 0.4);
  EXPECT_EQ(m.params.liquidation_other_fraction, 0.3);  // default
  EXPECT_THAT(m.params.enforced_statuses,
              ElementsAre(ExposureStatus::outstanding, ExposureStatus::contract, ExposureStatus::loi));
  EXPECT_FALSE(m.channels.funding);
  EXPECT_TRUE(m.channels.payment_clearing);
}

TEST(Loader, FirmsKeepFiguresSourcesAndEffectiveParams) {
  const Model m = load(kData / "small.yaml");
  ASSERT_EQ(m.firms.size(), 3u);

  const FirmSpec& chip = firm(m, "chipco");
  EXPECT_EQ(chip.name, "ChipCo");
  EXPECT_EQ(chip.type, FirmType::chipmaker);
  EXPECT_EQ(chip.cash_usd_bn, 60.0);
  EXPECT_EQ(chip.hardware_usd_bn, 10.0);
  EXPECT_EQ(chip.other_assets_usd_bn, 100.0);
  EXPECT_EQ(chip.debt_usd_bn, 8.5);
  EXPECT_EQ(chip.lease_liabilities_usd_bn, 2.5);
  EXPECT_EQ(chip.equity_usd_bn, 150.0);
  EXPECT_TRUE(chip.listed);
  EXPECT_EQ(chip.market_cap_usd_bn, 4500.0);
  EXPECT_EQ(chip.revenue_usd_bn_per_year, 210.0);
  EXPECT_EQ(chip.opex_usd_bn_per_year, 85.0);
  EXPECT_EQ(chip.capex_usd_bn_per_year, 6.0);
  EXPECT_EQ(chip.hardware_useful_life_years, 6.0);  // default
  ASSERT_EQ(chip.sources.count("cash"), 1u);
  EXPECT_EQ(chip.sources.at("cash").source, "assumption");
  EXPECT_EQ(chip.sources.at("cash").note, "cash and securities");
  EXPECT_EQ(chip.sources.count("hardware"), 0u);  // written plainly
  ASSERT_EQ(chip.facts.count("net_income"), 1u);
  EXPECT_EQ(chip.facts.at("net_income").value, 102.0);
  EXPECT_EQ(chip.facts.at("net_income").source.source, "001_d1f86089409eb712.txt");
  EXPECT_EQ(chip.where.line, 16);

  const FirmSpec& lab = firm(m, "lab");
  EXPECT_EQ(lab.name, "lab");  // defaults to the id
  EXPECT_FALSE(lab.listed);
  EXPECT_EQ(lab.equity_usd_bn, std::nullopt);
  EXPECT_EQ(lab.hardware_useful_life_years, 4.0);
  // Precedence: type default <- agent_defaults <- the firm's own params.
  const AgentParams lab_defaults = agents::defaults_for(FirmType::ai_lab);
  EXPECT_EQ(lab.params.revenue_growth_per_year, 0.8);
  EXPECT_EQ(lab.params.equity_raise_usd_bn_per_year, 40.0);
  EXPECT_EQ(lab.params.liquidity_buffer_months, lab_defaults.liquidity_buffer_months);

  const AgentParams bank_defaults = agents::defaults_for(FirmType::bank);
  EXPECT_EQ(firm(m, "bank").params.max_leverage_fraction, bank_defaults.max_leverage_fraction);
}

TEST(Loader, ExposuresKeepEveryField) {
  const Model m = load(kData / "small.yaml");
  ASSERT_EQ(m.exposures.size(), 5u);
  const FirmIdx chipco = *m.find_firm("chipco"), lab = *m.find_firm("lab"), bank = *m.find_firm("bank");

  const ExposureSpec& e01 = exposure(m, "E01");
  EXPECT_EQ(e01.kind, ExposureKind::vendor_financing);
  EXPECT_EQ(e01.form, FinancingForm::equity);
  EXPECT_EQ(e01.from, chipco);
  EXPECT_EQ(e01.to, lab);
  EXPECT_EQ(e01.status, ExposureStatus::loi);
  EXPECT_EQ(e01.amount_usd_bn, 100.0);
  EXPECT_EQ(e01.annual_given_usd_bn, 10.0);
  EXPECT_EQ(e01.term_years, 5.0);
  EXPECT_EQ(e01.loop, "L1");
  EXPECT_EQ(e01.sources.at("amount").note, "'up to 100bn'");

  const ExposureSpec& e02 = exposure(m, "E02");
  EXPECT_EQ(e02.seniority, Seniority::senior);
  EXPECT_EQ(e02.take_or_pay_fraction, 0.8);
  EXPECT_EQ(e02.purpose_given, std::nullopt);
  EXPECT_EQ(e02.purpose, PurchasePurpose::capex);  // derived: the supplier is a chipmaker
  EXPECT_EQ(e02.annual_usd_bn, 10.0);              // derived: 50 over 5 years
  EXPECT_EQ(e02.start_tick, 1);

  const ExposureSpec& e03 = exposure(m, "E03");
  EXPECT_EQ(e03.seniority, Seniority::secured);  // default for collateralised loans
  EXPECT_EQ(e03.rate_given_pct, 9.5);
  EXPECT_EQ(e03.rate_pct, 9.5);
  EXPECT_EQ(e03.amortisation, Amortisation::linear);
  EXPECT_EQ(e03.collateral_usd_bn, 9.0);
  EXPECT_EQ(e03.ltv_max_fraction, 0.8);
  ASSERT_EQ(e03.facts.count("spread_pct"), 1u);
  EXPECT_EQ(e03.facts.at("spread_pct").value, 5.5);
  EXPECT_EQ(e03.facts.at("spread_pct").source.source, "assumption");

  const ExposureSpec& e04 = exposure(m, "E04");
  EXPECT_EQ(e04.seniority, Seniority::equity);
  EXPECT_DOUBLE_EQ(e04.share_fraction, 0.02);
  EXPECT_EQ(e04.facts.at("value_estimate").value, 12.0);
  EXPECT_EQ(e04.note, "basis: cost; early round");

  const ExposureSpec& e05 = exposure(m, "E05");
  EXPECT_EQ(e05.kind, ExposureKind::guarantee);
  EXPECT_EQ(e05.beneficiary, bank);
  EXPECT_EQ(e05.start_tick, 3);
  EXPECT_THAT(e05.overlaps, ElementsAre(2u));
  EXPECT_EQ(e05.effective_amount_usd_bn, 2.0);  // derived: 10 minus the 8 E03 carries
}

TEST(Loader, ShocksLoopsProjectsAndFacts) {
  const Model m = load(kData / "small.yaml");
  const FirmIdx chipco = *m.find_firm("chipco"), lab = *m.find_firm("lab");

  ASSERT_EQ(m.shocks.size(), 2u);
  EXPECT_EQ(m.shocks[0].id, "capex-halt");
  EXPECT_EQ(m.shocks[0].kind, ShockKind::capex_multiplier);
  EXPECT_THAT(m.shocks[0].targets, ElementsAre(chipco));  // {type: chipmaker}
  EXPECT_EQ(m.shocks[0].tick, 13);
  EXPECT_EQ(m.shocks[0].duration_ticks, 6);
  EXPECT_EQ(m.shocks[0].value, 0.0);
  EXPECT_EQ(m.shocks[0].description, "chipmakers halt capex for half a year");
  EXPECT_EQ(m.shocks[1].kind, ShockKind::force_default);
  EXPECT_THAT(m.shocks[1].targets, ElementsAre(lab));

  ASSERT_EQ(m.loops.size(), 1u);
  EXPECT_EQ(m.loops[0].name, "chipco funds lab, lab buys chips");
  EXPECT_THAT(m.loops[0].edges, ElementsAre(0u, 1u));
  EXPECT_EQ(m.loops[0].source.source, "assumption");
  EXPECT_EQ(m.loops[0].source.note, "the L1 of the articles");

  ASSERT_EQ(m.projects.size(), 1u);
  EXPECT_THAT(m.projects[0].owners, ElementsAre(lab, chipco));
  EXPECT_EQ(m.projects[0].figures.at("capacity_gw").value, 1.2);
  EXPECT_EQ(m.projects[0].figures.at("capacity_gw").source.source, "assumption");
  EXPECT_EQ(m.projects[0].figures.at("cost").value, 50.0);
  EXPECT_EQ(m.projects[0].note, "first campus");

  ASSERT_EQ(m.facts.size(), 2u);
  EXPECT_EQ(m.facts[0].group, "macro");
  EXPECT_EQ(m.facts[0].name, "ust_10y_pct");
  EXPECT_THAT(m.facts[0].values, ElementsAre(4.5));
  EXPECT_EQ(m.facts[0].source.note, "10y Treasury");
  EXPECT_THAT(m.facts[1].values, ElementsAre(18.0, 24.0));
}

TEST(Loader, IncludesMergeListsAndMappings) {
  // variant.yaml includes small.yaml twice (through two spellings): it is loaded once.
  const Model m = load(kData / "variant.yaml");
  const fs::path small = kData / "small.yaml";
  EXPECT_EQ(m.info.name, "variant");  // the main file's
  EXPECT_EQ(m.info.description, "");
  EXPECT_THAT(m.info.files, ElementsAre((kData / "variant.yaml").string(), small.string()));
  EXPECT_EQ(m.info.content_hash, sha256_hex(bytes_of(kData / "variant.yaml") + bytes_of(small)));

  EXPECT_EQ(m.params.horizon_ticks, 36);  // the including file wins
  EXPECT_EQ(m.params.seed, 42u);          // the rest of the mapping stays
  EXPECT_EQ(m.firms.size(), 3u);
  ASSERT_EQ(m.shocks.size(), 3u);  // concatenated, included first
  EXPECT_EQ(m.shocks[2].id, "bank-loss");
  EXPECT_EQ(m.shocks[2].value, -25.0);
  // agent_defaults merge two levels deep: ai_lab keeps equity_raise from small.yaml.
  EXPECT_EQ(firm(m, "lab").params.equity_raise_usd_bn_per_year, 40.0);
  EXPECT_EQ(firm(m, "lab").params.revenue_growth_per_year, 0.8);  // the firm's own still wins
  ASSERT_EQ(m.facts.size(), 2u);
  EXPECT_THAT(m.facts[0].values, ElementsAre(5.0));
  EXPECT_EQ(m.facts[0].source.source, "");  // replaced as a whole
  EXPECT_THAT(m.facts[1].values, ElementsAre(18.0, 24.0));
}

TEST(Loader, IncludeCycleNamesTheChain) {
  const std::string a = (kData / "cycle_a.yaml").string(), b = (kData / "cycle_b.yaml").string();
  try {
    load_file(a);
    FAIL() << "expected a ScenarioError";
  } catch (const ScenarioError& e) {
    ASSERT_EQ(e.diagnostics().size(), 1u);
    EXPECT_EQ(e.diagnostics()[0].format(), b + ":1:11: include[0]: include cycle: " + a + " -> " + b + " -> " + a);
  }
}

TEST(Loader, PlainNetworkBecomesFirmsLoansAndShocks) {
  const Model m = load(kData / "with_network.yaml");
  ASSERT_EQ(m.firms.size(), 4u);
  EXPECT_EQ(m.firms[0].id, "lender");
  const FirmSpec& a = firm(m, "n_A");
  EXPECT_EQ(a.type, FirmType::bank);
  EXPECT_EQ(a.cash_usd_bn, 10.0);
  EXPECT_EQ(a.debt_usd_bn, 7.0);  // 5 external + 2 owed to B
  EXPECT_EQ(a.other_assets_usd_bn, 0.0);
  EXPECT_EQ(a.equity_usd_bn, 3.0);
  const FirmSpec& b = firm(m, "n_B");
  EXPECT_EQ(b.debt_usd_bn, 7.0);          // 6 + 1
  EXPECT_EQ(b.other_assets_usd_bn, 2.0);  // its claim on A
  EXPECT_EQ(b.equity_usd_bn, std::nullopt);
  EXPECT_EQ(firm(m, "n_C, Inc.").other_assets_usd_bn, 1.0);

  ASSERT_EQ(m.exposures.size(), 3u);
  EXPECT_EQ(m.exposures[0].id, "X1");  // the YAML exposures come first
  const ExposureSpec& edge = m.exposures[1];
  EXPECT_EQ(edge.id, "n_edge1");
  EXPECT_EQ(edge.kind, ExposureKind::loan);
  EXPECT_EQ(edge.status, ExposureStatus::outstanding);
  EXPECT_EQ(edge.from, *m.find_firm("n_B"));  // creditor
  EXPECT_EQ(edge.to, *m.find_firm("n_A"));    // debtor
  EXPECT_EQ(edge.amount_usd_bn, 2.0);
  EXPECT_EQ(edge.term_years, 0.0);
  EXPECT_EQ(edge.rate_pct, 0.0);
  EXPECT_EQ(edge.where.line, 2);

  ASSERT_EQ(m.shocks.size(), 1u);
  EXPECT_EQ(m.shocks[0].id, "n_shock1");
  EXPECT_EQ(m.shocks[0].kind, ShockKind::cash_change);
  EXPECT_EQ(m.shocks[0].tick, 1);
  EXPECT_THAT(m.shocks[0].targets, ElementsAre(*m.find_firm("n_A")));
  EXPECT_EQ(m.shocks[0].value, -5.0);  // half of 10

  const fs::path net = kData / "net";
  EXPECT_THAT(m.info.files, ElementsAre((kData / "with_network.yaml").string(), (net / "nodes.csv").string(),
                                        (net / "edges.csv").string(), (net / "shock.csv").string()));
  EXPECT_EQ(m.info.content_hash, sha256_hex(bytes_of(kData / "with_network.yaml") + bytes_of(net / "nodes.csv") +
                                            bytes_of(net / "edges.csv") + bytes_of(net / "shock.csv")));
}

TEST(Loader, OverridesReplaceScalarsAfterMerging) {
  LoadOptions options;
  for (const char* text : {"simulation.horizon_ticks=30", "firms.lab.cash=99", "firms.chipco.cash=1",
                           "firms.lab.params.revenue_growth_per_year=0.5",
                           "agent_defaults.bank.max_leverage_fraction=0.5", "exposures.E03.amount=7",
                           "channels.funding=true", "shocks.capex-halt.value=0.5", "scenario.name=renamed"})
    options.overrides.push_back(parse_override(text));
  const Model m = load(kData / "variant.yaml", options);

  EXPECT_EQ(m.info.name, "renamed");
  EXPECT_EQ(m.params.horizon_ticks, 30);
  EXPECT_EQ(firm(m, "lab").cash_usd_bn, 99.0);
  EXPECT_EQ(firm(m, "lab").sources.at("cash").source, "--set");
  EXPECT_EQ(firm(m, "chipco").cash_usd_bn, 1.0);  // a {value, source, note} figure is replaced whole
  EXPECT_EQ(firm(m, "chipco").sources.at("cash").source, "--set");
  EXPECT_EQ(firm(m, "lab").params.revenue_growth_per_year, 0.5);
  EXPECT_EQ(firm(m, "bank").params.max_leverage_fraction, 0.5);
  EXPECT_EQ(exposure(m, "E03").amount_usd_bn, 7.0);
  EXPECT_TRUE(m.channels.funding);
  EXPECT_EQ(m.shocks[0].value, 0.5);
}

TEST(Loader, OverridesSetListsAndMappingsWrittenInFlowStyle) {
  LoadOptions options;
  for (const char* text : {"parameters.enforced_statuses=[outstanding]", "shocks.lab-default.targets=[lab, bank]",
                           "shocks.capex-halt.targets={type: bank}", "firms.lab.params={revenue_growth_per_year: 0.1}"})
    options.overrides.push_back(parse_override(text));
  const Model m = load(kData / "small.yaml", options);
  EXPECT_EQ(m.params.enforced_statuses, std::vector<ExposureStatus>{ExposureStatus::outstanding});
  const FirmIdx lab = *m.find_firm("lab"), bank = *m.find_firm("bank");
  EXPECT_EQ(m.shocks[1].targets, (std::vector<FirmIdx>{lab, bank}));
  EXPECT_EQ(m.shocks[0].targets, std::vector<FirmIdx>{bank});     // the only bank
  EXPECT_EQ(firm(m, "lab").params.revenue_growth_per_year, 0.1);  // the mapping replaced as a whole
}

TEST(Loader, ParseOverride) {
  const Override o = parse_override("firms.openai.note=a=b");
  EXPECT_EQ(o.path, "firms.openai.note");
  EXPECT_EQ(o.value, "a=b");  // split at the first '='
  EXPECT_EQ(parse_override("channels.funding=").value, "");
}

}  // namespace
}  // namespace cascade::scenario
