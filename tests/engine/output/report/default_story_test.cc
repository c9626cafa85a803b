#include "engine/output/report/default_story.h"

#include <gtest/gtest.h>

#include "tests/engine/output/report/report_fixture.h"

namespace cascade::report {
namespace {

class DefaultStoryTest : public cascade::testing::RunDirFixture {};

TEST_F(DefaultStoryTest, CauseAndWhatWasPassedOnByHand) {
  const RunData run = read_run_directory(write_tiny_run());
  const std::vector<DefaultStory> stories = explain_defaults(run.defaults, run.credit_losses);
  ASSERT_EQ(stories.size(), 4u);

  // a (tick 5) held no claim on a defaulted firm: no counterparty, the detail explains it.
  // Its creditors: b lost 3 on E1; c lost 1 + 0.5 = 1.5 on E2 and E3. Passed on: 4.5.
  const DefaultStory& a = stories[0];
  EXPECT_EQ(a.event.firm, "a");
  EXPECT_FALSE(a.cause.has_value());
  ASSERT_EQ(a.passed_on.size(), 2u);
  EXPECT_EQ(a.passed_on[0].holder, "b");
  EXPECT_EQ(a.passed_on[0].loss_usd_bn, 3.0);
  EXPECT_EQ(a.passed_on[0].exposures, std::vector<std::string>{"E1"});
  EXPECT_EQ(a.passed_on[1].holder, "c");
  EXPECT_EQ(a.passed_on[1].holder_type, "bank");
  EXPECT_EQ(a.passed_on[1].loss_usd_bn, 1.5);
  EXPECT_EQ(a.passed_on[1].exposures, (std::vector<std::string>{"E2", "E3"}));
  EXPECT_EQ(a.passed_on_usd_bn, 4.5);

  // b (tick 7) lost 3 on a at tick 5: a is its cause. Its creditors: d 2 (E5), c 1.2 (E4).
  const DefaultStory& b = stories[1];
  ASSERT_TRUE(b.cause.has_value());
  EXPECT_EQ(b.cause->obligor, "a");
  EXPECT_EQ(b.cause->loss_usd_bn, 3.0);
  EXPECT_EQ(b.cause->first_tick, 5);
  ASSERT_EQ(b.passed_on.size(), 2u);
  EXPECT_EQ(b.passed_on[0].holder, "d");
  EXPECT_EQ(b.passed_on[1].holder, "c");
  EXPECT_DOUBLE_EQ(b.passed_on_usd_bn, 3.2);

  // c (tick 9) lost 1.5 on a (tick 5) and 1.2 on b (tick 7): a is the larger. Its 5 on x comes
  // at tick 10, after its own default, and does not count. Nobody lost money on c.
  const DefaultStory& c = stories[2];
  ASSERT_TRUE(c.cause.has_value());
  EXPECT_EQ(c.cause->obligor, "a");
  EXPECT_EQ(c.cause->loss_usd_bn, 1.5);
  EXPECT_EQ(c.cause->exposures, (std::vector<std::string>{"E2", "E3"}));
  EXPECT_TRUE(c.passed_on.empty());
  EXPECT_EQ(c.passed_on_usd_bn, 0.0);

  // x (tick 10, forced): c lost 5 on it.
  const DefaultStory& x = stories[3];
  EXPECT_FALSE(x.cause.has_value());
  ASSERT_EQ(x.passed_on.size(), 1u);
  EXPECT_EQ(x.passed_on[0].holder, "c");
  EXPECT_EQ(x.passed_on_usd_bn, 5.0);
}

TEST(DefaultStory, TiesGoToTheEarlierDefaultThenTheId) {
  const std::vector<DefaultRecord> defaults{{"e", "bank", 9, "solvency", "default_resolution", 1.0, ""}};
  // e lost 1.0 on each of p (tick 3), q (tick 2) and r (tick 2): q and r defaulted first; q < r.
  const std::vector<CreditLossRecord> losses{{3, "e", "bank", "p", "E1", "loan", 1, 0, 1.0},
                                             {2, "e", "bank", "r", "E2", "loan", 1, 0, 1.0},
                                             {2, "e", "bank", "q", "E3", "loan", 1, 0, 1.0}};
  const std::vector<DefaultStory> stories = explain_defaults(defaults, losses);
  ASSERT_TRUE(stories[0].cause.has_value());
  EXPECT_EQ(stories[0].cause->obligor, "q");
  // A loss of zero (recovered in full) is no cause.
  const std::vector<CreditLossRecord> recovered{{2, "e", "bank", "q", "E3", "loan", 1, 1, 0.0}};
  EXPECT_FALSE(explain_defaults(defaults, recovered)[0].cause.has_value());
}

TEST_F(DefaultStoryTest, OnARealRunEveryCreditLossIsPassedOnOnce) {
  const RunData run = read_run_directory(run_small("small"));
  ASSERT_FALSE(run.defaults.empty());  // small.yaml pushes its lab and its neocloud into default
  double passed_on = 0.0;
  for (const DefaultStory& s : explain_defaults(run.defaults, run.credit_losses)) {
    passed_on += s.passed_on_usd_bn;
    if (!s.cause) continue;
    // The cause is the largest of the firm's losses on one obligor up to its default tick.
    double cause_loss = 0.0;
    for (const CreditLossRecord& l : run.credit_losses)
      if (l.holder == s.event.firm && l.obligor == s.cause->obligor && l.tick <= s.event.tick)
        cause_loss += l.loss_usd_bn;
    EXPECT_DOUBLE_EQ(s.cause->loss_usd_bn, cause_loss);
    EXPECT_LE(s.cause->first_tick, s.event.tick);
  }
  // Every credit loss is on a defaulted obligor, so the defaults pass on the whole total.
  EXPECT_NEAR(passed_on, run.summary.total_credit_loss_usd_bn, 1e-9 * (1 + passed_on));
}

}  // namespace
}  // namespace cascade::report
