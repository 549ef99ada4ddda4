// SystemC permits one elaboration per simulation context, but the search and the sweeps run
// thousands of layer simulations in one process. Each simulation therefore gets a fresh
// sc_simcontext (as DRAMSys's test fixture does): modules are built, run and destroyed inside it,
// and the next simulation starts from a clean kernel.
#pragma once

namespace haqsim {

// Replaces the current SystemC simulation context with a new, empty one. Call before
// constructing the modules of a new simulation; all modules of the previous one must be gone.
void reset_systemc_context();

// Runs the current context's simulation until no events are left (sc_start()), and passes on
// what it throws. Every simulation runs through here rather than calling sc_start() directly:
// under AddressSanitizer (HAQSIM_SANITIZE) this also repairs what Debian's SystemC 2.3.4 leaves
// behind (see systemc_context.cpp); otherwise it is sc_start() alone.
void run_systemc_simulation();

}  // namespace haqsim
