// `haqsim report RUN_DIR`: renders the run's CSV/JSON outputs into RUN_DIR/report.html, a
// self-contained page with the plots embedded. The plotting is tools/plots/report.py
// (python3-matplotlib); this command finds it and the interpreter, and passes its exit code on.
#include <fmt/format.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>

#include "base/atomic_file.h"
#include "base/input_error.h"
#include "tools/haqsim/commands.h"

#ifndef HAQSIM_PLOTS_DIR
#define HAQSIM_PLOTS_DIR "tools/plots"
#endif

namespace haqsim::cli {

namespace {

std::string env_or(const char* name, const std::string& fallback) {
  const char* v = std::getenv(name);
  return v && *v ? v : fallback;
}

int run_report(const std::string& dir, const std::string& out) {
  // Debian's interpreter: python3-matplotlib installs into it, and a python3 earlier on PATH
  // (pyenv, a venv) often lacks matplotlib.
  const std::string python = env_or("HAQSIM_PYTHON", "/usr/bin/python3");
  const std::string script = env_or("HAQSIM_PLOTS_DIR", HAQSIM_PLOTS_DIR) + "/report.py";
  if (!std::filesystem::is_regular_file(script)) {
    throw std::runtime_error(fmt::format(
        "plot scripts not found at '{}' (set HAQSIM_PLOTS_DIR to the repository's tools/plots)",
        script));
  }
  // report.py opens "<out>.tmp.<pid>" without making directories; it is handed a path that works.
  require_usable_output(out.empty() ? dir + "/report.html" : out, OutputKind::kFile, "--out");
  const std::filesystem::path parent = std::filesystem::path(out).parent_path();
  if (!parent.empty()) std::filesystem::create_directories(parent);
  std::vector<std::string> args = {python, script, dir};
  if (!out.empty()) args.insert(args.end(), {"--out", out});
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  std::fflush(nullptr);
  const pid_t pid = fork();
  if (pid < 0) throw std::runtime_error(std::string("fork failed: ") + strerror(errno));
  if (pid == 0) {
    execv(argv[0], argv.data());
    fmt::print(stderr,
               "haqsim: error: cannot run '{}': {} (install python3-matplotlib with "
               "tools/setup.sh, or set HAQSIM_PYTHON)\n",
               python, strerror(errno));
    _exit(127);
  }
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (!WIFEXITED(status)) return 1;
  const int code = WEXITSTATUS(status);
  return code == 0 ? 0 : code == 2 ? 2 : 1;
}

}  // namespace

Command add_report_command(CLI::App& app) {
  auto dir = std::make_shared<std::string>();
  auto out = std::make_shared<std::string>();
  auto* cmd = app.add_subcommand(
      "report",
      "Render a run directory (simulate, sweep or search output) as an HTML page with plots");
  cmd->add_option("RUN_DIR", *dir, "Output directory of haqsim simulate, sweep or search")
      ->required()
      ->check(CLI::ExistingDirectory);
  cmd->add_option("--out", *out, "HTML file to write (default: RUN_DIR/report.html)");
  return [dir, out] { return run_report(*dir, *out); };
}

}  // namespace haqsim::cli
