// --resolution, --classes, --width and --batch: the network instance a command runs, shared by
// every command that builds a zoo network for the hardware (simulate, sweep, verify, calibrate).
#pragma once

#include <CLI/CLI.hpp>

#include <string>

#include "models/network.h"
#include "models/onnx/onnx_import.h"

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
  // For an ONNX model: the options the command line gave (they bind symbolic dims and must
  // agree with fixed ones); --width is refused (an imported model's widths are its weights').
  OnnxInstance onnx_instance(int config_batch) const;

 private:
  CLI::Option* resolution_option_ = nullptr;
  CLI::Option* classes_option_ = nullptr;
  CLI::Option* width_option_ = nullptr;
};

// The layer graph of a user's ONNX model at the instance the options ask for; `info` receives
// the file's opset and producer.
Network onnx_network(const std::string& path, const NetworkInstanceOptions& options,
                     int config_batch, OnnxModelInfo* info = nullptr);

}  // namespace haqsim::cli
