// Re-pledged collateral warnings, on small scenarios loaded through the loader (so the
// warnings are seen where `cascade validate` prints them: Model::warnings, with file and line).
#include "engine/analysis/collateral.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "engine/model/model.h"
#include "scenarios/loader/loader.h"

namespace cascade::analysis {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::SizeIs;

/// Writes a scenario with the given firms, exposures and projects to a temporary file and loads it.
class CollateralTest : public ::testing::Test {
 protected:
  void TearDown() override { fs::remove(file_); }

  Model load(const std::string& firms, const std::string& exposures, const std::string& projects = "") {
    std::ofstream out(file_);
    out << "format: cascade-scenario/1\nscenario: {name: collateral}\nfirms:\n"
        << firms << "exposures:\n"
        << exposures << (projects.empty() ? "" : "projects:\n" + projects);
    out.close();
    return scenario::load_file(file_);
  }

  /// Only the collateral warnings (derivation may add others).
  static std::vector<Diagnostic> pledge_warnings(const Model& m) { return collateral_warnings(m); }

  fs::path file_ = fs::temp_directory_path() / ("cascade-collateral-" + std::to_string(::getpid()) + ".yaml");
};

const char* const kLenders =
    "  - {id: other_private_credit, type: private_credit, cash: 50, other_assets: 100, revenue: 10}\n"
    "  - {id: apollo, type: private_credit, cash: 50, other_assets: 100, revenue: 10}\n"
    "  - {id: bank, type: bank, cash: 50, other_assets: 100, revenue: 10}\n";

TEST_F(CollateralTest, HardwarePledgedToTwoLendersBeyondWhatIsOwned) {
  const Model m = load(std::string(kLenders) +
                           "  - {id: coreweave, type: neocloud, cash: 5, hardware: 30, debt: 30, revenue: 10}\n",
                       "  - {id: E1, kind: collateralised_loan, from: other_private_credit, to: coreweave, status: "
                       "outstanding, amount: 9, term_years: 4, collateral: 18}\n"
                       "  - {id: E2, kind: collateralised_loan, from: apollo, to: coreweave, status: outstanding, "
                       "amount: 12, term_years: 4, collateral: 21}\n"
                       "  - {id: E3, kind: loan, from: bank, to: coreweave, status: outstanding, amount: 5, "
                       "term_years: 3}\n");
  ASSERT_THAT(m.warnings, SizeIs(1));
  const Diagnostic& d = m.warnings[0];
  EXPECT_EQ(d.severity, Severity::warning);
  EXPECT_EQ(d.path, "firms[3]");
  EXPECT_GT(d.where.line, 0) << "located at the firm";
  EXPECT_THAT(d.message, HasSubstr("coreweave: hardware of 30 is pledged for 39 in total (1.3 times over)"));
  EXPECT_THAT(d.message, HasSubstr("other_private_credit 18 (E1), apollo 21 (E2)"));
  EXPECT_THAT(d.format(), HasSubstr("warning: firms[3]: coreweave:"));
}

TEST_F(CollateralTest, PledgesWithinTheHardwareAreFine) {
  const Model m = load(std::string(kLenders) +
                           "  - {id: neo, type: neocloud, cash: 5, hardware: 40, debt: 30, revenue: 10}\n",
                       "  - {id: E1, kind: collateralised_loan, from: other_private_credit, to: neo, status: "
                       "outstanding, amount: 9, term_years: 4, collateral: 18}\n"
                       "  - {id: E2, kind: collateralised_loan, from: apollo, to: neo, status: outstanding, "
                       "amount: 12, term_years: 4, collateral: 21}\n");
  EXPECT_THAT(pledge_warnings(m), IsEmpty());
  EXPECT_THAT(m.warnings, IsEmpty());
}

TEST_F(CollateralTest, SettledLoansReleaseTheirCollateralAndLettersOfIntentAreNamed) {
  const std::string firms =
      std::string(kLenders) + "  - {id: neo, type: neocloud, cash: 5, hardware: 20, debt: 30, revenue: 10}\n";
  // Settled: performed, collateral released -> 15 pledged of 20: fine.
  EXPECT_THAT(pledge_warnings(load(firms,
                                   "  - {id: E1, kind: collateralised_loan, from: apollo, to: neo, status: settled, "
                                   "amount: 9, term_years: 4, collateral: 18}\n"
                                   "  - {id: E2, kind: collateralised_loan, from: bank, to: neo, status: outstanding, "
                                   "amount: 9, term_years: 4, collateral: 15}\n")),
              IsEmpty());
  // A letter of intent still counts, and says so.
  const std::vector<Diagnostic> w = pledge_warnings(load(firms,
                                                         "  - {id: E1, kind: collateralised_loan, from: apollo, to: "
                                                         "neo, status: loi, amount: 9, term_years: 4, collateral: 18}\n"
                                                         "  - {id: E2, kind: collateralised_loan, from: bank, to: neo, "
                                                         "status: outstanding, amount: 9, term_years: 4, "
                                                         "collateral: 15}\n"));
  ASSERT_THAT(w, SizeIs(1));
  EXPECT_THAT(w[0].message, HasSubstr("apollo 18 (E1, loi), bank 15 (E2)"));
}

TEST_F(CollateralTest, OnePledgeAboveTheHardwareIsNotARepledge) {
  const Model m = load(std::string(kLenders) + "  - {id: lab, type: ai_lab, cash: 20, debt: 8, revenue: 13}\n",
                       "  - {id: E1, kind: collateralised_loan, from: bank, to: lab, status: outstanding, amount: 8, "
                       "term_years: 3, collateral: 9}\n");
  EXPECT_THAT(pledge_warnings(m), IsEmpty());
}

TEST_F(CollateralTest, LesseePledgingItsLessorsHardware) {
  // The SPV owns 20 of GPUs, pledged to apollo, and leases them to the lab. The lab's hardware
  // of 12 includes 10 of right-of-use assets (lease liabilities 10): it owns 2 outright but
  // pledges 5 to the bank.
  const Model m = load(std::string(kLenders) +
                           "  - {id: spv, type: spv, cash: 1, hardware: 20, debt: 15, revenue: 5}\n"
                           "  - {id: lab, type: ai_lab, cash: 20, hardware: 12, debt: 5, lease_liabilities: 10, "
                           "revenue: 13, opex: 10}\n",
                       "  - {id: E1, kind: collateralised_loan, from: apollo, to: spv, status: outstanding, "
                       "amount: 15, term_years: 5, collateral: 20}\n"
                       "  - {id: E2, kind: lease, from: spv, to: lab, status: outstanding, amount: 25, annual: 5}\n"
                       "  - {id: E3, kind: collateralised_loan, from: bank, to: lab, status: outstanding, "
                       "amount: 5, term_years: 3, collateral: 5}\n");
  const std::vector<Diagnostic> w = pledge_warnings(m);
  ASSERT_THAT(w, SizeIs(1));
  EXPECT_EQ(w[0].path, "firms[4]");
  EXPECT_THAT(w[0].message, HasSubstr("lab: pledges 5 of hardware to bank 5 (E3) but owns only 2 outright "
                                      "(hardware 12 less lease liabilities 10)"));
  EXPECT_THAT(w[0].message, HasSubstr("leased from spv (E2; its hardware is itself pledged to apollo 20 (E1))"));
  EXPECT_THAT(w[0].message, HasSubstr("counted by more than one owner"));
}

TEST_F(CollateralTest, LesseeWithinWhatItOwnsOutrightIsFine) {
  const Model m = load(std::string(kLenders) +
                           "  - {id: spv, type: spv, cash: 1, hardware: 20, debt: 0, revenue: 5}\n"
                           "  - {id: lab, type: ai_lab, cash: 20, hardware: 12, debt: 5, lease_liabilities: 10, "
                           "revenue: 13, opex: 10}\n",
                       "  - {id: E2, kind: lease, from: spv, to: lab, status: outstanding, amount: 25, annual: 5}\n"
                       "  - {id: E3, kind: collateralised_loan, from: bank, to: lab, status: outstanding, "
                       "amount: 2, term_years: 3, collateral: 2}\n");
  EXPECT_THAT(pledge_warnings(m), IsEmpty());
}

TEST_F(CollateralTest, ProjectsListingAnSpvOrALessorAndItsLesseeUnderSeveralOwners) {
  const std::string firms = std::string(kLenders) +
                            "  - {id: spv, type: spv, cash: 1, hardware: 20, debt: 0, revenue: 5}\n"
                            "  - {id: meta, type: hyperscaler, cash: 20, hardware: 12, debt: 0, revenue: 50, "
                            "opex: 10}\n";
  const std::string lease =
      "  - {id: E1, kind: lease, from: spv, to: meta, status: contract, amount: 25, annual: 5}\n";
  // SPV with a fund (no lease between them): the SPV rule.
  std::vector<Diagnostic> w = pledge_warnings(load(firms, lease, "  - {id: p1, owners: [apollo, spv]}\n"));
  ASSERT_THAT(w, SizeIs(1));
  EXPECT_EQ(w[0].path, "projects[0]");
  EXPECT_THAT(w[0].message, HasSubstr("p1: the hardware of SPV spv is listed under 2 owners (apollo, spv)"));
  // Lessor and lessee: the lease rule only (not also the SPV rule).
  w = pledge_warnings(load(firms, lease, "  - {id: p2, owners: [meta, spv]}\n"));
  ASSERT_THAT(w, SizeIs(1));
  EXPECT_THAT(w[0].message, HasSubstr("p2: lessor spv and its lessee meta (lease E1) are both listed as owners"));
  // One owner, or owners that are neither SPVs nor in a lease: nothing.
  EXPECT_THAT(pledge_warnings(load(firms, lease, "  - {id: p3, owners: [spv]}\n  - {id: p4, owners: [meta, bank]}\n")),
              IsEmpty());
}

TEST(CollateralWarnings, AiBaselineHasNone) {
  const Model m = scenario::load_file(fs::path(CASCADE_SOURCE_DIR) / "scenarios/ai-2026/baseline.yaml");
  EXPECT_THAT(collateral_warnings(m), IsEmpty());
}

}  // namespace
}  // namespace cascade::analysis
