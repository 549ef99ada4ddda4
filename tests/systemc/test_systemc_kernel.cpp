// The SystemC kernel is wired in and can be re-elaborated many times in one process, which the
// accelerator models rely on (one fresh context per layer simulation).
#include <systemc>

#include "tests/systemc/systemc_fixture.h"

namespace haqsim {
namespace {

// Counts rising clock edges in a clocked thread.
SC_MODULE(EdgeCounter) {
  sc_core::sc_in<bool> clk;
  int edges = 0;
  void count() {
    while (true) {
      wait();
      ++edges;
    }
  }
  SC_CTOR(EdgeCounter) {
    SC_THREAD(count);
    sensitive << clk.pos();
    dont_initialize();
  }
};

using SystemCKernel = testing::SystemCTest;

TEST_F(SystemCKernel, ClockedThreadSeesEveryEdge) {
  sc_core::sc_clock clk("clk", 5, sc_core::SC_NS);
  EdgeCounter counter("counter");
  counter.clk(clk);
  sc_core::sc_start(100, sc_core::SC_NS);
  // Rising edges at 5, 10, ..., 95 ns; the clock's initial edge at t = 0 is its initial value,
  // not an event a dont_initialize()d thread can see.
  EXPECT_EQ(counter.edges, 19);
}

TEST_F(SystemCKernel, ManyElaborationsInOneProcess) {
  for (int run = 0; run < 50; ++run) {
    reset_systemc_context();
    sc_core::sc_clock clk("clk", 10, sc_core::SC_NS);
    EdgeCounter counter("counter");
    counter.clk(clk);
    sc_core::sc_start(10 * (run + 2), sc_core::SC_NS);
    ASSERT_EQ(counter.edges, run + 1) << "run " << run;  // a fresh kernel starts at t = 0
  }
}

}  // namespace
}  // namespace haqsim
