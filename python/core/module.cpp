// haqsim._core: the simulators, sweeps and policies of haqsim for Python, without libtorch (the
// CLI front end leaves it out for start-up speed; this module does for the same reason, and
// tests/python checks that importing haqsim does not load it). The search, which needs it, runs
// in haqsim-learn (python/haqsim/search.py).
#include "python/core/bindings.h"

PYBIND11_MODULE(_core, m) {
  m.doc() = "haqsim's C++ core: simulate, sweep, policies (use the haqsim package, not this)";
  haqsim::python::register_error_translation(m);
  haqsim::python::bind_simulate(m);
  haqsim::python::bind_sweep(m);
  haqsim::python::bind_networks(m);
  m.attr("bin_dir") = HAQSIM_BIN_DIR;
}
