// Progress lines: counts, rate and ETA, including a run resumed from a checkpoint.
#include <gtest/gtest.h>

#include "base/progress.h"

namespace haqsim {
namespace {

TEST(Progress, FormatsDurations) {
  EXPECT_EQ(format_duration(9.4), "0:09");
  EXPECT_EQ(format_duration(247), "4:07");
  EXPECT_EQ(format_duration(3903), "1:05:03");
  EXPECT_EQ(format_duration(-1), "?");
}

TEST(Progress, RestoredWorkCountsTowardDoneButNotTowardTheRate) {
  Progress progress("search", 500, /*enabled=*/false);
  progress.restore(200);
  EXPECT_EQ(progress.done(), 200);
  // Nothing done in this run yet: the rate, and so the ETA, is unknown rather than 200 items in
  // a few microseconds.
  EXPECT_LT(progress.eta_seconds(), 0);
  EXPECT_NE(progress.line("").find("200/500 (40%)"), std::string::npos);
  EXPECT_EQ(progress.line("").find(" each"), std::string::npos);
  progress.advance();
  EXPECT_EQ(progress.done(), 201);
  // One item in this run's elapsed time, 299 to go: the ETA is 299 x this run's time per item.
  const double elapsed = progress.elapsed_seconds();
  EXPECT_GE(progress.eta_seconds(), 299 * elapsed * 0.999);
}

TEST(Progress, EtaIsUnknownWithoutATotal) {
  Progress progress("fill", 0, /*enabled=*/false);
  progress.advance(3);
  EXPECT_LT(progress.eta_seconds(), 0);
  EXPECT_EQ(progress.line("").find("ETA"), std::string::npos);
}

}  // namespace
}  // namespace haqsim
