// --resolution, --classes, --width and --batch: the network instance a command runs, shared by
// every command that builds a zoo network for the hardware (simulate, sweep, verify, calibrate).
#pragma once

#include <CLI/CLI.hpp>

#include <string>

#include "models/network.h"

namespace haqsim::cli {

struct NetworkInstanceOptions {
  int resolution = 224;
  int classes = 1000;
  double width = 1.0;
  int batch = 0;  // 0: the arch config's

  // `batch_default` says where the batch comes from when --batch is not given.
  void add_to(CLI::App& cmd, const std::string& batch_default = "the arch config's");
  // The spec with --batch, or `config_batch` when it was not given.
  NetworkSpec spec(int config_batch) const;
};

}  // namespace haqsim::cli
