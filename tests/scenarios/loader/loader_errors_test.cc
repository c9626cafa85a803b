// The loader on bad input: every problem is a ScenarioError diagnostic with file, line,
// column, YAML path and an exact message; nothing asserts, crashes or defaults silently.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "scenarios/loader/loader.h"
#include "tests/support/scenario_dir_fixture.h"

namespace cascade::scenario {
namespace {

namespace fs = std::filesystem;
using ::testing::ElementsAre;

/// Five lines that make a valid scenario; tests append from line 6.
constexpr std::string_view kValid = R"(format: cascade-scenario/1
scenario: {name: t}
firms:
  - {id: openai, type: ai_lab, cash: 10}
  - {id: oracle, type: hyperscaler, cash: 20}
)";

class LoaderErrors : public testing::ScenarioDirFixture {
 protected:
  /// Writes `text` as s.yaml and returns its errors.
  std::vector<std::string> errors(std::string_view text, const LoadOptions& options = {}) const {
    return errors_of(write("s.yaml", text), options);
  }
  /// The errors of the valid scenario followed by `more`.
  std::vector<std::string> errors_after_valid(std::string_view more, const LoadOptions& options = {}) const {
    return errors(std::string(kValid) + std::string(more), options);
  }
};

// --- files and document structure

TEST_F(LoaderErrors, ValidPrefixLoads) { EXPECT_NO_THROW(load_file(write("s.yaml", kValid))); }

TEST_F(LoaderErrors, MissingFile) {
  EXPECT_THAT(errors_of(dir_ / "nothere.yaml"), ElementsAre("nothere.yaml: cannot read scenario file: no such file"));
}

TEST_F(LoaderErrors, EmptyFile) {
  EXPECT_THAT(errors(""), ElementsAre("s.yaml: empty file"));
  EXPECT_THAT(errors("# only a comment\n"), ElementsAre("s.yaml: empty file"));
}

TEST_F(LoaderErrors, YamlSyntaxError) {
  EXPECT_THAT(errors("format: cascade-scenario/1\nfirms: [a, b\nscenario: {name: t}\n"),
              ElementsAre("s.yaml:3:9: YAML syntax error: end of sequence flow not found"));
}

TEST_F(LoaderErrors, TopLevelIsNotAMapping) {
  EXPECT_THAT(errors("- a\n- b\n"), ElementsAre("s.yaml:1:1: expected a mapping of sections at the top level, got a list"));
}

TEST_F(LoaderErrors, SeveralDocuments) {
  EXPECT_THAT(errors(std::string(kValid) + "---\nformat: cascade-scenario/1\n"),
              ElementsAre("s.yaml:7:1: a scenario file holds one YAML document, found 2"));
}

TEST_F(LoaderErrors, MissingFormat) {
  EXPECT_THAT(errors(kValid.substr(kValid.find('\n') + 1)),
              ElementsAre("s.yaml:1:1: missing required key 'format' (the first line of a scenario is `format: "
                          "cascade-scenario/1`)"));
}

TEST_F(LoaderErrors, WrongFormat) {
  std::string text(kValid);
  text.replace(text.find("/1"), 2, "/2");
  EXPECT_THAT(errors(text),
              ElementsAre("s.yaml:1:9: format: unsupported format 'cascade-scenario/2' (expected 'cascade-scenario/1')"));
}

TEST_F(LoaderErrors, MissingScenarioAndName) {
  EXPECT_THAT(errors("format: cascade-scenario/1\nfirms: [{id: a, type: bank}]\n"),
              ElementsAre("s.yaml: missing required key 'scenario' (it needs at least a 'name')"));
  EXPECT_THAT(errors("format: cascade-scenario/1\nscenario: {description: x}\nfirms: [{id: a, type: bank}]\n"),
              ElementsAre("s.yaml:2:11: scenario: missing required key 'name'"));
}

TEST_F(LoaderErrors, NoFirms) {
  EXPECT_THAT(errors("format: cascade-scenario/1\nscenario: {name: t}\n"),
              ElementsAre("s.yaml: a scenario needs at least one firm (in 'firms' or 'networks')"));
}

TEST_F(LoaderErrors, UnknownKeysEverywhere) {
  EXPECT_THAT(errors_after_valid("firm: []\nsimulation: {horizon: 12}\nchannels: {fundng: true}\n"),
              ElementsAre("s.yaml:6:1: unknown key 'firm' (did you mean 'firms'?)",
                          "s.yaml:7:14: simulation: unknown key 'horizon' (did you mean 'horizon_ticks'?)",
                          "s.yaml:8:12: channels: unknown key 'fundng' (did you mean 'funding'?)"));
}

TEST_F(LoaderErrors, UnknownKeyWithoutCloseMatchListsTheKeys) {
  EXPECT_THAT(errors_after_valid("simulation: {warp: 2}\n"),
              ElementsAre("s.yaml:6:14: simulation: unknown key 'warp' (expected one of: horizon_ticks, "
                          "ticks_per_year, seed)"));
}

TEST_F(LoaderErrors, DuplicateKey) {
  EXPECT_THAT(errors_after_valid("simulation:\n  seed: 1\n  seed: 2\n"),
              ElementsAre("s.yaml:8:3: simulation.seed: duplicate key 'seed' (first at line 7)"));
}

TEST_F(LoaderErrors, ControlCharactersInTextValuesAreRefused) {
  // A quoted string's escapes ("\e", "\x07") decode to control characters: an escape sequence in
  // a scenario's name reached the terminal verbatim from `cascade run`, `report` and `loops`.
  EXPECT_THAT(errors("format: cascade-scenario/1\nscenario: {name: \"red\\e[31m\"}\n"
                     "firms:\n  - {id: a, type: ai_lab, cash: 1, name: \"bell\\a\", note: \"two\\nlines\"}\n"),
              ElementsAre("s.yaml:2:18: scenario.name: control character \\x1b in a text value (text may hold tab "
                          "and line breaks, no other control character)",
                          "s.yaml:4:42: firms[0].name: control character \\x07 in a text value (text may hold tab "
                          "and line breaks, no other control character)"));
}

TEST_F(LoaderErrors, BidirectionalOverridesInTextValuesAreRefused) {
  // U+202E (right-to-left override), written as itself, and U+2066 (left-to-right isolate), as a
  // YAML escape, reorder what follows them wherever the name is shown (a report's table, a
  // terminal). A name in a right-to-left script (Hebrew "shalom") has none and is accepted.
  EXPECT_THAT(errors("format: cascade-scenario/1\nscenario: {name: \"gpu\xE2\x80\xAE"
                     "evil\"}\n"
                     "firms:\n  - {id: a, type: ai_lab, cash: 1, name: \"x\\u2066y\"}\n"
                     "  - {id: b, type: ai_lab, cash: 1, name: \"\xD7\xA9\xD7\x9C\xD7\x95\xD7\x9D\"}\n"),
              ElementsAre("s.yaml:2:18: scenario.name: control character \\xe2\\x80\\xae in a text value (text may "
                          "hold tab and line breaks, no other control character)",
                          "s.yaml:4:42: firms[0].name: control character \\xe2\\x81\\xa6 in a text value (text may "
                          "hold tab and line breaks, no other control character)"));
}

TEST_F(LoaderErrors, SectionOfTheWrongKind) {
  EXPECT_THAT(errors_after_valid("exposures: {a: 1}\nparameters: [1]\n"),
              ElementsAre("s.yaml:6:12: exposures: expected a list, got a mapping",
                          "s.yaml:7:13: parameters: expected a mapping, got a list"));
}

// --- includes

TEST_F(LoaderErrors, IncludeOfAMissingFileNamesTheIncludingFile) {
  const std::string missing = (dir_ / "base.yaml").string();
  EXPECT_THAT(errors_after_valid("include: [base.yaml]\n"),
              ElementsAre("s.yaml:6:11: include[0]: cannot read included file 'base.yaml' (" + missing + "): no such file"));
}

TEST_F(LoaderErrors, IncludeOfItselfIsACycle) {
  const std::string self = (dir_ / "s.yaml").string();
  EXPECT_THAT(errors_after_valid("include: [s.yaml]\n"),
              ElementsAre("s.yaml:6:11: include[0]: include cycle: " + self + " -> " + self));
}

TEST_F(LoaderErrors, ErrorsInIncludedFilesNameThatFile) {
  write("base.yaml", "firms:\n  - {id: nvidia, type: chipmakr}\n");
  EXPECT_THAT(errors_after_valid("include: [base.yaml]\n"),
              ElementsAre("base.yaml:2:24: firms[0].type: unknown firm type 'chipmakr' (did you mean 'chipmaker'?)"));
}

TEST_F(LoaderErrors, IncludedFileFormatAndScenarioAreChecked) {
  write("base.yaml", "format: cascade-scenario/0\nscenario: {title: x}\n");
  EXPECT_THAT(errors_after_valid("include: [base.yaml]\n"),
              ElementsAre("base.yaml:1:9: format: unsupported format 'cascade-scenario/0' (expected 'cascade-scenario/1')",
                          "base.yaml:2:12: scenario: unknown key 'title' (expected one of: name, description, version, as_of)",
                          "base.yaml:2:11: scenario: missing required key 'name'"));
}

// --- simulation, parameters, channels

TEST_F(LoaderErrors, BadSimulationNumbers) {
  EXPECT_THAT(errors_after_valid("simulation: {horizon_ticks: 0, ticks_per_year: 1.5, seed: -1}\n"),
              ElementsAre("s.yaml:6:29: simulation.horizon_ticks: must be between 1 and 1000000000, got 0",
                          "s.yaml:6:48: simulation.ticks_per_year: must be a whole number, got 1.5",
                          "s.yaml:6:59: simulation.seed: expected a whole number from 0 to 18446744073709551615, got '-1'"));
  EXPECT_THAT(errors_after_valid("simulation: {horizon_ticks: twelve, ticks_per_year: 0}\n"),
              ElementsAre("s.yaml:6:29: simulation.horizon_ticks: expected a number, got 'twelve'",
                          "s.yaml:6:53: simulation.ticks_per_year: must be between 1 and 366, got 0"));
}

TEST_F(LoaderErrors, BadParameters) {
  EXPECT_THAT(errors_after_valid("parameters:\n  liquidation_other_fraction: 1.5\n  solvency_default: yes\n"
                                 "  enforced_statuses: [outstanding, settled, signed]\n"),
              ElementsAre("s.yaml:7:31: parameters.liquidation_other_fraction: must be between 0 and 1, got 1.5",
                          "s.yaml:8:21: parameters.solvency_default: expected true or false, got 'yes'",
                          "s.yaml:9:36: parameters.enforced_statuses[1]: 'settled' exposures were performed before "
                          "tick 0 and never create cash flows",
                          "s.yaml:9:45: parameters.enforced_statuses[2]: unknown exposure status 'signed' (expected one "
                          "of: outstanding, contract, loi, proposed, doubtful, settled)"));
}

TEST_F(LoaderErrors, BadChannelSwitch) {
  EXPECT_THAT(errors_after_valid("channels: {funding: 0}\n"),
              ElementsAre("s.yaml:6:21: channels.funding: expected true or false, got '0'"));
}

// --- agent parameters

TEST_F(LoaderErrors, BadAgentParameters) {
  EXPECT_THAT(errors_after_valid("agent_defaults:\n  ai_labs: {}\n  bank: {max_leverage: 0.5, capex_cut_fraction: 2}\n"),
              ElementsAre("s.yaml:7:3: agent_defaults: unknown firm type 'ai_labs' (did you mean 'ai_lab'?)",
                          "s.yaml:8:10: agent_defaults.bank: unknown agent parameter 'max_leverage' (did you mean "
                          "'max_leverage_fraction'?)",
                          "s.yaml:8:49: agent_defaults.bank.capex_cut_fraction: must be between 0 and 1, got 2"));
}

TEST_F(LoaderErrors, BadFirmParams) {
  EXPECT_THAT(errors("format: cascade-scenario/1\nscenario: {name: t}\nfirms:\n"
                     "  - {id: a, type: bank, params: {revenue_growth_per_yer: 0.1, liquidity_buffer_months: -1}}\n"),
              ElementsAre("s.yaml:4:34: firms[0].params: unknown agent parameter 'revenue_growth_per_yer' (did you "
                          "mean 'revenue_growth_per_year'?)",
                          "s.yaml:4:88: firms[0].params.liquidity_buffer_months: must be between 0 and 120, got -1"));
}

// --- firms

TEST_F(LoaderErrors, DuplicateFirmId) {
  EXPECT_THAT(errors_after_valid("  - {id: openai, type: ai_lab}\n"),
              ElementsAre("s.yaml:6:10: firms[2].id: duplicate firm id 'openai' (first at " + (dir_ / "s.yaml").string() +
                          ":4:10)"));
}

TEST_F(LoaderErrors, DuplicateFirmIdThroughAnAlias) {
  // The alias on line 6 repeats the entry anchored on line 4, id and location alike: the message
  // cannot say "first at" its own position.
  EXPECT_THAT(errors("format: cascade-scenario/1\nscenario: {name: t}\nfirms:\n"
                     "  - &lab {id: openai, type: ai_lab, cash: 10}\n  - {id: oracle, type: hyperscaler}\n  - *lab\n"),
              ElementsAre("s.yaml:4:15: firms[2].id: duplicate firm id 'openai' (this entry is a YAML alias of the one "
                          "written here)"));
}

TEST_F(LoaderErrors, FirmIdStyle) {
  EXPECT_THAT(errors_after_valid("  - {id: OpenAI2, type: ai_lab}\n"),
              ElementsAre("s.yaml:6:10: firms[2].id: firm ids are lower_snake_case (a-z, 0-9 and '_', starting with a "
                          "letter), got 'OpenAI2'"));
}

TEST_F(LoaderErrors, UnknownFirmType) {
  EXPECT_THAT(errors_after_valid("  - {id: x, type: hyperscalar}\n  - {id: y, type: shop}\n  - {id: z}\n"),
              ElementsAre("s.yaml:6:19: firms[2].type: unknown firm type 'hyperscalar' (did you mean 'hyperscaler'?)",
                          "s.yaml:7:19: firms[3].type: unknown firm type 'shop' (expected one of: chipmaker, "
                          "memory_maker, hyperscaler, neocloud, ai_lab, spv, bank, private_credit, bond_investor, "
                          "conglomerate, miner)",
                          "s.yaml:8:5: firms[4]: missing required key 'type'"));
}

TEST_F(LoaderErrors, NegativeAndNonFiniteMoney) {
  EXPECT_THAT(errors_after_valid("  - {id: x, type: bank, cash: -5, debt: .inf, revenue: .nan, capex: 1e400}\n"),
              ElementsAre("s.yaml:6:31: firms[2].cash: must be >= 0, got -5",
                          "s.yaml:6:41: firms[2].debt: must be a finite number, got .inf",
                          "s.yaml:6:56: firms[2].revenue: must be a finite number, got .nan",
                          "s.yaml:6:69: firms[2].capex: a number beyond the range of a double (about 1e-308 to "
                          "1e308 in size), got 1e400"));
  // Below the smallest double is out of range too (it is not read as 0); a malformed number is
  // still "expected a number".
  EXPECT_THAT(errors_after_valid("  - {id: x, type: bank, cash: 1e-400, debt: 1e4e4}\n"),
              ElementsAre("s.yaml:6:31: firms[2].cash: a number beyond the range of a double (about 1e-308 to "
                          "1e308 in size), got 1e-400",
                          "s.yaml:6:45: firms[2].debt: expected a number, got '1e4e4'"));
}

TEST_F(LoaderErrors, RangesWithAnOpenEnd) {
  EXPECT_THAT(errors_after_valid("  - {id: x, type: bank, hardware_life_years: 0}\n"),
              ElementsAre("s.yaml:6:46: firms[2].hardware_life_years: must be > 0 and <= 100, got 0"));
}

TEST_F(LoaderErrors, WrongTypes) {
  EXPECT_THAT(errors_after_valid("  - {id: x, type: bank, cash: \"60\", hardware: [1], name: {a: 1}, opex: }\n"),
              ElementsAre("s.yaml:6:58: firms[2].name: expected a text value, got a mapping",
                          "s.yaml:6:31: firms[2].cash: expected a number, got the quoted string '60'",
                          "s.yaml:6:47: firms[2].hardware: expected a number, got a list",
                          "s.yaml:6:66: firms[2].opex: expected a number, got nothing"));
}

TEST_F(LoaderErrors, FigureMappings) {
  EXPECT_THAT(errors_after_valid("  - id: x\n    type: bank\n    cash: {value: 5, sorce: a}\n    debt: {note: n}\n"),
              ElementsAre("s.yaml:8:22: firms[2].cash: unknown key 'sorce' (did you mean 'source'?)",
                          "s.yaml:9:11: firms[2].debt: missing required key 'value'"));
}

TEST_F(LoaderErrors, FirmFacts) {
  EXPECT_THAT(errors_after_valid("  - {id: x, type: bank, facts: {aum: [1, 2], share: {value: x}}}\n"),
              ElementsAre("s.yaml:6:38: firms[2].facts.aum: expected a number, got a list",
                          "s.yaml:6:61: firms[2].facts.share.value: expected a number, got 'x'"));
}

// --- exposures

TEST_F(LoaderErrors, UnknownFirmInExposure) {
  EXPECT_THAT(errors_after_valid("exposures:\n  - {id: E1, kind: loan, from: oracle, to: opnai, status: outstanding, amount: 1}\n"),
              ElementsAre("s.yaml:7:44: exposures[0].to: unknown firm 'opnai' (did you mean 'openai'?)"));
}

TEST_F(LoaderErrors, ExposureFromItself) {
  EXPECT_THAT(errors_after_valid("exposures:\n  - {id: E1, kind: loan, from: oracle, to: oracle, status: outstanding, amount: 1}\n"),
              ElementsAre("s.yaml:7:44: exposures[0].to: 'from' and 'to' are the same firm 'oracle'"));
}

TEST_F(LoaderErrors, UnknownKindStatusSeniority) {
  EXPECT_THAT(errors_after_valid("exposures:\n  - {id: E1, kind: lone, from: oracle, to: openai, status: signed, "
                                 "amount: 1, seniority: junior}\n"),
              ElementsAre("s.yaml:7:20: exposures[0].kind: unknown exposure kind 'lone' (expected one of: loan, bond, "
                          "collateralised_loan, credit_line, lease, purchase_commitment, revenue_share, equity_stake, "
                          "warrant, guarantee, vendor_financing)",
                          "s.yaml:7:60: exposures[0].status: unknown exposure status 'signed' (expected one of: "
                          "outstanding, contract, loi, proposed, doubtful, settled)",
                          "s.yaml:7:90: exposures[0].seniority: unknown seniority 'junior' (did you mean 'senior'?)"));
}

TEST_F(LoaderErrors, MissingRequiredExposureFields) {
  EXPECT_THAT(errors_after_valid("exposures:\n  - {id: E1, kind: loan}\n"),
              ElementsAre("s.yaml:7:5: exposures[0]: missing required key 'from'",
                          "s.yaml:7:5: exposures[0]: missing required key 'to'",
                          "s.yaml:7:5: exposures[0]: missing required key 'status'",
                          "s.yaml:7:5: exposures[0]: missing required key 'amount'"));
}

TEST_F(LoaderErrors, AmountMustBePositive) {
  EXPECT_THAT(errors_after_valid("exposures:\n  - {id: E1, kind: loan, from: oracle, to: openai, status: outstanding, amount: 0}\n"),
              ElementsAre("s.yaml:7:81: exposures[0].amount: must be > 0, got 0"));
}

TEST_F(LoaderErrors, KindSpecificFieldsOnTheWrongKind) {
  EXPECT_THAT(errors_after_valid("exposures:\n"
                                 "  - {id: E1, kind: lease, from: oracle, to: openai, status: contract, amount: 10, "
                                 "rate_pct: 5, beneficiary: oracle, share_pct: 3}\n"),
              ElementsAre("s.yaml:7:83: exposures[0].rate_pct: 'rate_pct' applies only to loan, bond, "
                          "collateralised_loan, credit_line and vendor_financing, not to lease",
                          "s.yaml:7:96: exposures[0].beneficiary: 'beneficiary' applies only to guarantee, not to lease",
                          "s.yaml:7:117: exposures[0].share_pct: 'share_pct' applies only to equity_stake and warrant, "
                          "not to lease"));
}

TEST_F(LoaderErrors, GuaranteeNeedsABeneficiary) {
  EXPECT_THAT(errors_after_valid("  - {id: bank, type: bank}\nexposures:\n"
                                 "  - {id: G1, kind: guarantee, from: oracle, to: openai, status: contract, amount: 5}\n"
                                 "  - {id: G2, kind: guarantee, from: oracle, to: openai, status: contract, amount: 5, beneficiary: oracle}\n"
                                 "  - {id: G3, kind: guarantee, from: oracle, to: openai, status: contract, amount: 5, beneficiary: bnk}\n"),
              ElementsAre("s.yaml:8:5: exposures[0]: missing required key 'beneficiary'",
                          "s.yaml:9:99: exposures[1].beneficiary: the beneficiary cannot be the guarantor ('from') itself",
                          "s.yaml:10:99: exposures[2].beneficiary: unknown firm 'bnk' (did you mean 'bank'?)"));
}

TEST_F(LoaderErrors, CollateralRules) {
  EXPECT_THAT(errors_after_valid("exposures:\n"
                                 "  - {id: C1, kind: collateralised_loan, from: oracle, to: openai, status: outstanding, amount: 5}\n"
                                 "  - {id: C2, kind: loan, from: oracle, to: openai, status: outstanding, amount: 5, ltv_max: 0.8}\n"),
              ElementsAre("s.yaml:7:5: exposures[0]: missing required key 'collateral'",
                          "s.yaml:8:93: exposures[1].ltv_max: 'ltv_max' is a covenant on collateral: give 'collateral' too"));
}

TEST_F(LoaderErrors, VendorFinancingForm) {
  EXPECT_THAT(errors_after_valid("exposures:\n"
                                 "  - {id: V1, kind: vendor_financing, from: oracle, to: openai, status: loi, amount: 5}\n"
                                 "  - {id: V2, kind: vendor_financing, form: equity, from: oracle, to: openai, status: loi, "
                                 "amount: 5, rate_pct: 4}\n"
                                 "  - {id: V3, kind: vendor_financing, form: loan, from: oracle, to: openai, status: loi, amount: 5}\n"),
              ElementsAre("s.yaml:7:5: exposures[0]: missing required key 'form'",
                          "s.yaml:8:112: exposures[1].rate_pct: 'rate_pct' applies to vendor_financing only when its "
                          "form is debt",
                          "s.yaml:9:44: exposures[2].form: unknown financing form 'loan' (expected one of: equity, debt)"));
}

TEST_F(LoaderErrors, DuplicateExposureIdAndBadStartTick) {
  EXPECT_THAT(errors_after_valid("exposures:\n"
                                 "  - {id: E1, kind: loan, from: oracle, to: openai, status: outstanding, amount: 1}\n"
                                 "  - {id: E1, kind: loan, from: oracle, to: openai, status: outstanding, amount: 1, start_tick: 0}\n"),
              ElementsAre("s.yaml:8:96: exposures[1].start_tick: must be between 1 and 1000000000, got 0",
                          "s.yaml:8:10: exposures[1].id: duplicate exposure id 'E1' (first at " +
                              (dir_ / "s.yaml").string() + ":7:10)"));
}

TEST_F(LoaderErrors, OverlapsAndLoopTags) {
  EXPECT_THAT(errors_after_valid("exposures:\n"
                                 "  - {id: E1, kind: loan, from: oracle, to: openai, status: outstanding, amount: 1, "
                                 "overlaps: [E1, E9, E9], loop: L7}\n"
                                 "loops:\n  - {id: L1, edges: [E1]}\n"),
              ElementsAre("s.yaml:7:103: exposures[0].overlaps[2]: 'E9' is listed twice",
                          "s.yaml:7:95: exposures[0].overlaps[0]: an exposure cannot overlap itself",
                          "s.yaml:7:99: exposures[0].overlaps[1]: unknown exposure 'E9' (did you mean 'E1'?)",
                          "s.yaml:7:114: exposures[0].loop: unknown loop 'L7' (did you mean 'L1'?)"));
}

TEST_F(LoaderErrors, BadBasis) {
  EXPECT_THAT(errors_after_valid("exposures:\n"
                                 "  - {id: S1, kind: equity_stake, from: oracle, to: openai, status: outstanding, amount: 1, basis: market}\n"),
              ElementsAre("s.yaml:7:99: exposures[0].basis: unknown basis 'market' (expected one of: cost, value)"));
}

// --- shocks

TEST_F(LoaderErrors, ShockTickOutsideTheHorizon) {
  EXPECT_THAT(errors_after_valid("simulation: {horizon_ticks: 12}\nshocks:\n"
                                 "  - {id: s1, kind: capex_multiplier, targets: all, tick: 13, value: 0}\n"
                                 "  - {id: s2, kind: capex_multiplier, targets: all, tick: 0, value: 0}\n"),
              ElementsAre("s.yaml:8:58: shocks[0].tick: must be within the horizon (1 to simulation.horizon_ticks = 12), got 13",
                          "s.yaml:9:58: shocks[1].tick: must be between 1 and 1000000000, got 0"));
}

TEST_F(LoaderErrors, ShockTargets) {
  EXPECT_THAT(errors_after_valid("shocks:\n"
                                 "  - {id: s1, kind: force_default, targets: [opnai], tick: 1}\n"
                                 "  - {id: s2, kind: force_default, targets: {type: miner}, tick: 1}\n"
                                 "  - {id: s3, kind: force_default, targets: everyone, tick: 1}\n"
                                 "  - {id: s4, kind: force_default, targets: [], tick: 1}\n"),
              ElementsAre("s.yaml:7:45: shocks[0].targets[0]: unknown firm 'opnai' (did you mean 'openai'?)",
                          "s.yaml:8:44: shocks[1].targets: no firm has type 'miner'",
                          "s.yaml:9:44: shocks[2].targets: expected a list of firm ids, {type: <firm type>} or all, got "
                          "'everyone'",
                          "s.yaml:10:44: shocks[3].targets: must not be empty"));
}

TEST_F(LoaderErrors, ShockKindAndValue) {
  EXPECT_THAT(errors_after_valid("shocks:\n"
                                 "  - {id: s1, kind: revenue_multiplyer, targets: all, tick: 1, value: 0.5}\n"
                                 "  - {id: s2, kind: payment_fraction, targets: all, tick: 1, value: 1.5}\n"
                                 "  - {id: s3, kind: force_default, targets: all, tick: 1, value: 1}\n"
                                 "  - {id: s4, kind: cash_change, targets: all, tick: 1, duration_ticks: 3, value: -1}\n"
                                 "  - {id: s5, kind: opex_multiplier, targets: all, tick: 1}\n"
                                 "  - {id: s5, kind: opex_multiplier, targets: all, tick: 1, value: -1}\n"),
              ElementsAre("s.yaml:7:20: shocks[0].kind: unknown shock kind 'revenue_multiplyer' (did you mean "
                          "'revenue_multiplier'?)",
                          "s.yaml:8:68: shocks[1].value: must be between 0 and 1, got 1.5",
                          "s.yaml:9:58: shocks[2].value: 'value' does not apply to force_default",
                          "s.yaml:10:56: shocks[3].duration_ticks: 'duration_ticks' does not apply to the one-off "
                          "kind 'cash_change'",
                          "s.yaml:11:5: shocks[4]: missing required key 'value'",
                          "s.yaml:12:67: shocks[5].value: must be >= 0, got -1",
                          "s.yaml:12:10: shocks[5].id: duplicate shock id 's5' (first at " + (dir_ / "s.yaml").string() +
                              ":11:10)"));
}

TEST_F(LoaderErrors, RatePathsRampsAndDepreciationLives) {
  EXPECT_THAT(errors_after_valid("shocks:\n"
                                 "  - {id: s1, kind: rate_change, tick: 1, value: -25}\n"
                                 "  - {id: s2, kind: rate_change, targets: all, tick: 1, value: 1}\n"
                                 "  - {id: s3, kind: cash_change, targets: all, tick: 1, ramp_ticks: 3, value: -1}\n"
                                 "  - {id: s4, kind: depreciation_life, targets: all, tick: 1, value: 0.05}\n"
                                 "  - {id: s5, kind: rate_change, tick: 2, ramp_ticks: 6, value: 1.5}\n"),
              ElementsAre("s.yaml:7:49: shocks[0].value: must be between -20 and 50, got -25",
                          "s.yaml:8:33: shocks[1].targets: 'targets' does not apply to the market-wide kind 'rate_change'",
                          "s.yaml:9:56: shocks[2].ramp_ticks: 'ramp_ticks' does not apply to the one-off kind "
                          "'cash_change'",
                          "s.yaml:10:69: shocks[3].value: must be between 0.1 and 100, got 0.05"));
}

// --- loops, projects, facts

TEST_F(LoaderErrors, LoopsAndProjectsReferenceKnownIds) {
  EXPECT_THAT(errors_after_valid("loops:\n  - {id: L1, edges: [E1]}\n"
                                 "projects:\n  - {id: p1, owners: [oracle, openia], cost: -3}\n  - {id: p2, owners: []}\n"),
              ElementsAre("s.yaml:7:22: loops[0].edges[0]: unknown exposure 'E1'",
                          "s.yaml:9:31: projects[0].owners[1]: unknown firm 'openia' (did you mean 'openai'?)",
                          "s.yaml:9:46: projects[0].cost: must be >= 0, got -3",
                          "s.yaml:10:22: projects[1].owners: must not be empty"));
}

TEST_F(LoaderErrors, RecordedFacts) {
  EXPECT_THAT(errors_after_valid("facts:\n  macro:\n    a: [1, 2, 3]\n    b: [5, 1]\n    c: {value: 1, sorce: x}\n"
                                 "  flat: 3\n"),
              ElementsAre("s.yaml:8:8: facts.macro.a: a range is written [low, high]: expected 2 numbers, got 3",
                          "s.yaml:9:8: facts.macro.b: a range is written [low, high], got [5, 1]",
                          "s.yaml:10:19: facts.macro.c: unknown key 'sorce' (did you mean 'source'?)",
                          "s.yaml:11:9: facts.flat: expected a mapping of named figures, got '3'"));
}

// --- networks

TEST_F(LoaderErrors, NetworkDirectoryMissing) {
  EXPECT_THAT(errors_after_valid("networks:\n  - {dir: eba}\n"),
              ElementsAre("s.yaml:7:11: networks[0].dir: network directory 'eba' not found (looked for '" +
                          (dir_ / "eba").string() + "')"));
}

TEST_F(LoaderErrors, NetworkCsvErrorsAndIdClashes) {
  fs::create_directories(dir_ / "net");
  write("net/nodes.csv", "id,external_assets,external_liabilities\nopenai,1,1\nb,1,x\n");
  write("net/edges.csv", "debtor,creditor,amount\n");
  EXPECT_THAT(errors_after_valid("networks:\n  - {dir: net, firm_type: banc}\n  - {dir: net}\n"),
              ElementsAre("s.yaml:7:27: networks[0].firm_type: unknown firm type 'banc' (did you mean 'bank'?)",
                          "nodes.csv:3:5: external_liabilities: expected a number, got 'x'"));
  write("net/nodes.csv", "id,external_assets,external_liabilities\nopenai,1,1\n");
  EXPECT_THAT(errors_after_valid("networks:\n  - {dir: net}\n"),
              ElementsAre("nodes.csv:2:1: id: duplicate firm id 'openai' (first at " + (dir_ / "s.yaml").string() +
                          ":4:10)"));
}

// --- --set overrides

TEST_F(LoaderErrors, BadOverrideSyntax) {
  const auto message_of = [](std::string_view text) {
    try {
      parse_override(text);
    } catch (const ScenarioError& e) {
      return e.diagnostics().at(0).format();
    }
    return std::string("no error");
  };
  EXPECT_EQ(message_of("simulation.seed"), "<command line>: --set: expected path=value, got 'simulation.seed'");
  EXPECT_EQ(message_of("=3"), "<command line>: --set: empty path");
  EXPECT_EQ(message_of("firms..cash=3"), "<command line>: --set: empty name in path 'firms..cash'");
}

TEST_F(LoaderErrors, OverridesThatNameNothing) {
  LoadOptions options;
  for (const char* text : {"firms.opnai.cash=1", "simulaton.seed=2", "firms.openai.csh=3", "simulation.seed.x=4",
                           "firms.openai=5", "exposures.E1.amount=6", "format=7"})
    options.overrides.push_back(parse_override(text));
  EXPECT_THAT(errors_after_valid("simulation: {seed: 1}\n", options),
              ElementsAre("<command line>: --set firms.opnai.cash: unknown firm 'opnai' (did you mean 'openai'?)",
                          "<command line>: --set simulaton.seed: unknown section 'simulaton' (did you mean 'simulation'?)",
                          "<command line>: --set simulation.seed.x: 'simulation.seed' is a single value, not a mapping",
                          "<command line>: --set firms.openai: 'firms.openai' is a mapping, not a single value: write "
                          "the whole mapping in YAML flow style, e.g. --set firms.openai={key: value, ...}",
                          "<command line>: --set exposures.E1.amount: the scenario has no 'exposures'",
                          "<command line>: --set format: unknown section 'format' (expected one of: scenario, "
                          "simulation, parameters, channels, agent_defaults, firms, exposures, shocks, networks, loops, "
                          "projects, facts)",
                          "<command line>: --set firms.openai.csh: unknown key 'csh' (did you mean 'cash'?)"));
}

TEST_F(LoaderErrors, AKeyTwiceInAnOverridesMappingIsAnError) {
  // The first value was kept and the second never checked: horizon 12, not 24 (as in a file, a
  // key twice in one mapping is an error).
  LoadOptions options;
  options.overrides = {parse_override("simulation={horizon_ticks: 12, horizon_ticks: 24}")};
  EXPECT_THAT(errors_after_valid("", options),
              ElementsAre("<command line>: --set simulation: cannot read '{horizon_ticks: 12, horizon_ticks: 24}' as "
                          "a YAML flow mapping: duplicate key 'horizon_ticks' (first at line 1)"));
}

TEST_F(LoaderErrors, OverrideValuesAreValidated) {
  LoadOptions options;
  options.overrides = {parse_override("firms.openai.cash=-5"), parse_override("agent_defaults.ai_lab.capex_cut_fraction=2")};
  EXPECT_THAT(errors_after_valid("", options),
              ElementsAre("<command line>: --set agent_defaults.ai_lab.capex_cut_fraction: must be between 0 and 1, got 2",
                          "<command line>: --set firms.openai.cash: must be >= 0, got -5"));
}

TEST_F(LoaderErrors, FlowListOverridesAreLocatedAndAScalarForAListGetsAHint) {
  LoadOptions options;
  for (const char* text : {"parameters.enforced_statuses=loi", "shocks.s1.targets=[openai, oracel]",
                           "shocks.s2.targets=[openai", "channels.funding=[true]"})
    options.overrides.push_back(parse_override(text));
  EXPECT_THAT(
      errors_after_valid("parameters: {enforced_statuses: [outstanding, contract]}\n"
                         "shocks:\n"
                         "  - {id: s1, kind: force_default, targets: [openai], tick: 1}\n"
                         "  - {id: s2, kind: force_default, targets: [oracle], tick: 1}\n",
                         options),
      ElementsAre("<command line>: --set parameters.enforced_statuses: 'parameters.enforced_statuses' is a "
                  "list, not a single value: write the whole list in YAML flow style, e.g. --set "
                  "parameters.enforced_statuses=[outstanding,contract]",
                  "<command line>: --set shocks.s2.targets: cannot read '[openai' as a YAML flow list: YAML "
                  "syntax error: end of sequence flow not found",
                  "<command line>: --set channels.funding: expected true or false, got a list",
                  "<command line>: --set shocks.s1.targets[1]: unknown firm 'oracel' (did you mean 'oracle'?)"));
}

TEST_F(LoaderErrors, AScalarWhereTheFormatWantsAListSaysHowToWriteOne) {
  LoadOptions options;
  options.overrides = {parse_override("parameters.enforced_statuses=loi")};  // not in the file: created
  EXPECT_THAT(errors_after_valid("", options),
              ElementsAre("<command line>: --set parameters.enforced_statuses: expected a list, got 'loi' (write a "
                          "list as --set path=[a,b])"));
}

TEST_F(LoaderErrors, AnUnreadableValueForANewPathIsOneError) {
  // The path is not in the file: walking it added an empty mapping before the value was read, and
  // the unreadable value left it there, reported a second time as "expected a list, got a mapping".
  LoadOptions options;
  options.overrides = {parse_override("parameters.enforced_statuses=[outstanding")};
  EXPECT_THAT(errors_after_valid("", options),
              ElementsAre("<command line>: --set parameters.enforced_statuses: cannot read '[outstanding' as a YAML "
                          "flow list: YAML syntax error: end of sequence flow not found"));
}

// --- everything at once

TEST_F(LoaderErrors, EveryErrorOfAFileIsReportedAtOnce) {
  EXPECT_THAT(errors("format: cascade-scenario/1\n"
                     "scenario: {name: t}\n"
                     "simulation: {horizon_ticks: -3}\n"
                     "firms:\n"
                     "  - {id: openai, type: ai_lab, cash: -1}\n"
                     "  - {id: openai, type: ai_lab}\n"
                     "exposures:\n"
                     "  - {id: E1, kind: loan, from: openai, to: nvidia, status: outstanding, amount: 1}\n"
                     "shocks:\n"
                     "  - {id: s1, kind: crash, targets: all, tick: 1, value: 1}\n"
                     "typo: 1\n"),
              ElementsAre("s.yaml:11:1: unknown key 'typo' (expected one of: format, scenario, include, simulation, "
                          "parameters, channels, agent_defaults, firms, exposures, shocks, networks, loops, projects, facts)",
                          "s.yaml:3:29: simulation.horizon_ticks: must be between 1 and 1000000000, got -3",
                          "s.yaml:5:38: firms[0].cash: must be >= 0, got -1",
                          "s.yaml:6:10: firms[1].id: duplicate firm id 'openai' (first at " + (dir_ / "s.yaml").string() +
                              ":5:10)",
                          "s.yaml:8:44: exposures[0].to: unknown firm 'nvidia' (expected one of: openai)",
                          "s.yaml:10:20: shocks[0].kind: unknown shock kind 'crash' (expected one of: "
                          "revenue_multiplier, opex_multiplier, capex_multiplier, payment_fraction, cash_change, "
                          "hardware_writedown, force_default, gpu_price_multiplier, sentiment_multiplier, market_stress, "
                          "ai_sentiment_multiplier, ai_demand_multiplier, construction_delay, renewal_multiplier, rate_change, depreciation_life)"));
}

TEST_F(LoaderErrors, MarketWideShocksTakeNoTargets) {
  EXPECT_THAT(errors(std::string(kValid) +
                     "shocks:\n"
                     "  - {id: s1, kind: gpu_price_multiplier, targets: all, tick: 1, value: 0.5}\n"),
              ElementsAre("s.yaml:7:42: shocks[0].targets: 'targets' does not apply to the market-wide kind "
                          "'gpu_price_multiplier'"));
}

TEST_F(LoaderErrors, ChannelParametersAreChecked) {
  EXPECT_THAT(errors(std::string(kValid) +
                     "parameters: {debtrank_mode: quadratic, gpu_market_depth_usd_bn: 0}\n"
                     "channels: {fire_sales: false}\n"),
              ElementsAre("s.yaml:6:29: parameters.debtrank_mode: unknown DebtRank mode 'quadratic' (expected one "
                          "of: expected_loss, linear, single_hit)",
                          "s.yaml:6:65: parameters.gpu_market_depth_usd_bn: must be between 1e-06 and 1000000000, got 0",
                          "s.yaml:7:12: channels: unknown key 'fire_sales' (did you mean 'fire_sale'?)"));
}

}  // namespace
}  // namespace cascade::scenario
