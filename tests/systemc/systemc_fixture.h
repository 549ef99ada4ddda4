// Each test gets its own SystemC kernel, so tests can elaborate and run designs independently
// and in any order within one process.
#pragma once

#include <gtest/gtest.h>

#include "sim/common/systemc_context.h"

namespace haqsim::testing {

class SystemCTest : public ::testing::Test {
 protected:
  void SetUp() override { reset_systemc_context(); }
};

}  // namespace haqsim::testing
