// The sweep files shipped in scenarios/sweeps/ load, expand and give a valid scenario at their
// first and last design points, so that the commands in scenarios/sweeps/README.md keep working.
#include <gtest/gtest.h>

#include <filesystem>

#include "engine/sweep/sweep.h"
#include "scenarios/loader/sweep_models.h"
#include "scenarios/loader/sweep_reader.h"

namespace cascade::scenario {
namespace {

TEST(ShippedSweeps, EveryFileLoadsAndItsEndPointsAreValid) {
  int files = 0;
  for (const auto& entry : std::filesystem::directory_iterator(std::filesystem::path(CASCADE_SOURCE_DIR) / "scenarios" / "sweeps")) {
    if (entry.path().extension() != ".yaml") continue;
    ++files;
    const sweep::SweepSpec spec = load_sweep(entry.path());
    const sweep::SweepPlan plan(spec);
    const SweepModels models(spec);
    ASSERT_GT(plan.point_count(), 0u) << entry.path();
    for (std::uint64_t point : {std::uint64_t{0}, plan.point_count() - 1}) {
      std::uint64_t invalid = 0;
      EXPECT_TRUE(models.check(plan, point, point + 1, 1, invalid).empty()) << entry.path() << " point " << point;
      EXPECT_EQ(invalid, 0u) << entry.path() << " point " << point;
    }
  }
  EXPECT_GE(files, 3);
}

}  // namespace
}  // namespace cascade::scenario
