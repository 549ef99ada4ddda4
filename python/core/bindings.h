// The parts of haqsim's Python module `haqsim._core`, each registered by its own function
// (module.cpp calls them in order). The module is the C++ half of python/haqsim: the pure-Python
// package turns what these return (the CLI's own CSV and JSON texts) into DataFrames and dicts.
#pragma once

#include <pybind11/pybind11.h>

namespace haqsim::python {

// haqsim::InputError, BackendUnavailable and a worker's input error become the Python classes
// of haqsim.errors, with the CLI's message.
void register_error_translation(pybind11::module_& m);
// simulate(): one network at one policy on one accelerator instance.
void bind_simulate(pybind11::module_& m);
// sweep() and merge(): a grid of configs, shards and their merge.
void bind_sweep(pybind11::module_& m);
// Policies (load, YAML, validation), the zoo and a network's quantizable layers.
void bind_networks(pybind11::module_& m);

}  // namespace haqsim::python
