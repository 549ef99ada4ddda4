#include "tools/haqsim/cli_main.h"

#include <fmt/format.h>

#include <cstdio>
#include <map>
#include <string>

#include "base/input_error.h"
#include "sim/common/cost_model.h"
#include "sim/registry.h"

namespace haqsim::cli {

const char* learning_command_description(const std::string& name) {
  for (const auto& [command, description] : learning_commands()) {
    if (name == command) return description;
  }
  return "";
}

int run_cli(int argc, char** argv,
            const std::function<void(CLI::App&, std::function<void(Command)>)>& register_commands) {
  std::string machines;
  for (const haqsim::Accelerator* a : haqsim::accelerators().all()) {
    machines += "\n  " + a->type() + ": " + a->summary();
  }
  CLI::App app{
      "haqsim: cycle-accurate models of mixed-precision DNN accelerators and HAQ's\n"
      "hardware-aware quantization search. Accelerators (arch config `type:`):" +
          machines,
      "haqsim"};
  app.require_subcommand(1);
  app.set_version_flag("--version", "haqsim 0.1.0");

  std::map<CLI::App*, Command> commands;
  register_commands(
      app, [&](Command command) { commands[app.get_subcommands({}).back()] = std::move(command); });

  // An option given an empty value (`--out ""`, an unset shell variable) is refused by name:
  // none of haqsim's options means anything by it, and `--out ""` would write to "/layers.csv".
  const CLI::Validator non_empty(
      [](std::string& value) {
        return value.empty() ? std::string("expected a value, found an empty string")
                             : std::string();
      },
      "", "NON_EMPTY");
  for (CLI::App* sub : app.get_subcommands({})) {
    for (CLI::Option* option : sub->get_options()) {
      if (option->get_type_size_max() > 0) option->check(non_empty);
    }
  }

  // CLI11 answers a misspelt command with "A subcommand is required"; name it and the commands.
  std::string names;
  bool known = false;
  for (CLI::App* sub : app.get_subcommands({})) {
    names += (names.empty() ? "" : ", ") + sub->get_name();
    known = known || (argc > 1 && sub->check_name(argv[1]));
  }
  if (argc > 1 && argv[1][0] != '-' && !known) {
    fmt::print(stderr, "haqsim: error: unknown command '{}'; the commands are: {}\n", argv[1],
               names);
    return 2;
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    return code == 0 ? 0 : 2;
  }
  try {
    for (auto& [sub, command] : commands) {
      if (sub->parsed() && command) return command();
    }
    return 2;
  } catch (const haqsim::InputError& e) {
    fmt::print(stderr, "haqsim: error: {}\n", e.what());
    return 2;
  } catch (const haqsim::BackendUnavailable& e) {
    fmt::print(stderr, "haqsim: error: {}\n", e.what());
    return 2;
  } catch (const std::exception& e) {
    fmt::print(stderr, "haqsim: internal error: {}\n", e.what());
    return 1;
  }
}

}  // namespace haqsim::cli
