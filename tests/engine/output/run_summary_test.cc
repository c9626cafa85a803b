// summary.json's off-balance-sheet leverage (docs/model.md, "Off-balance-sheet leverage") on
// records written by hand: every expected ratio is worked out beside it.
#include "engine/output/run_summary.h"

#include <gtest/gtest.h>

#include "tests/support/model_builder.h"

namespace cascade {
namespace {

using testing::ModelBuilder;

FirmTickRecord record(FirmIdx firm, double cash, double construction, double liabilities, bool defaulted = false) {
  FirmTickRecord r;
  r.firm = firm;
  r.cash_usd_bn = cash;
  r.construction_usd_bn = construction;
  r.liabilities_usd_bn = liabilities;
  r.defaulted = defaulted;
  return r;
}

/// A sponsor (firm 0) that leases from an SPV (firm 1), with its tick-0 records written.
struct SponsorAndSpv {
  static constexpr FirmIdx sponsor = 0, spv = 1;
  Model model;
  SimResult result;
  SponsorAndSpv() {
    ModelBuilder b;
    b.firm("sponsor", FirmType::hyperscaler, {.cash = 100});
    b.firm("spv", FirmType::spv, {.cash = 10});
    b.exposure(ExposureKind::lease, spv, sponsor, 5, {.term_years = 5});
    model = b.build();
    result.initial_firms = {record(sponsor, 100, 0, 50), record(spv, 10, 0, 5)};
  }
};

TEST(OffBalanceSheet, ConstructionInProgressIsAnAsset) {
  // The end ratios left construction in progress out of assets: a sponsor building with
  // borrowed money looked more levered the more it built (Oracle 0.83 instead of 0.61).
  SponsorAndSpv s;
  s.result.final_firms = {record(s.sponsor, 40, 60, 75), record(s.spv, 10, 0, 13)};
  const output::Json out = output::off_balance_sheet_json(s.model, s.result);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0]["sponsor"], "sponsor");
  EXPECT_DOUBLE_EQ(out[0]["liabilities_to_assets_start"].get<double>(), 0.5);               // 50 / 100
  EXPECT_DOUBLE_EQ(out[0]["liabilities_to_assets_start_consolidated"].get<double>(), 0.5);  // 55 / 110
  EXPECT_DOUBLE_EQ(out[0]["liabilities_to_assets_end"].get<double>(), 0.75);                // 75 / (40 + 60)
  EXPECT_DOUBLE_EQ(out[0]["liabilities_to_assets_end_consolidated"].get<double>(), 0.8);    // 88 / 110
}

TEST(OffBalanceSheet, ASponsorThatDefaultedHasNoEndRatio) {
  // A defaulted sponsor's end ratio was null alone and 0 with its SPVs consolidated.
  SponsorAndSpv s;
  s.result.final_firms = {record(s.sponsor, 0, 0, 0, true), record(s.spv, 10, 0, 9)};
  const output::Json out = output::off_balance_sheet_json(s.model, s.result);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_TRUE(out[0]["liabilities_to_assets_end"].is_null());
  EXPECT_TRUE(out[0]["liabilities_to_assets_end_consolidated"].is_null());
}

}  // namespace
}  // namespace cascade
