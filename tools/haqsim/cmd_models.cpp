// `haqsim models`: the zoo, with layer counts and MACs at the chosen instance.
#include <fmt/format.h>

#include "models/zoo.h"
#include "tools/haqsim/commands.h"

namespace haqsim::cli {

Command add_models_command(CLI::App& app) {
  auto* cmd = app.add_subcommand("models", "List the model zoo with layer counts and MACs");
  auto spec = std::make_shared<NetworkSpec>();
  cmd->add_option("--resolution", spec->resolution, "Input resolution (square)")
      ->default_val(224)
      ->check(CLI::Range(1, 8192));
  cmd->add_option("--classes", spec->classes, "Output classes")
      ->default_val(1000)
      ->check(CLI::Range(1, 1000000));
  cmd->add_option("--width", spec->width, "Width multiplier")
      ->default_val(1.0)
      ->check(CLI::Range(0.01, 16.0));
  return [spec] {
    fmt::print("{:<14} {:>7} {:>12} {:>9} {:>10}  {}\n", "model", "layers", "quantizable", "MMACs",
               "Mparams", "description");
    for (const ZooEntry& entry : model_zoo()) {
      Network net = entry.build(*spec);
      fmt::print("{:<14} {:>7} {:>12} {:>9.1f} {:>10.2f}  {}\n", entry.name, net.layers.size(),
                 net.quantizable_count(), net.total_macs() / 1e6, net.total_weights() / 1e6,
                 entry.description);
    }
    fmt::print("\n(at {}x{}, {} classes, width {}, batch 1)\n", spec->resolution, spec->resolution,
               spec->classes, spec->width);
    return 0;
  };
}

}  // namespace haqsim::cli
