// haqsim-learn: the commands of haqsim that train, fine-tune or search (libtorch). Run through
// the `haqsim` front end (tools/haqsim/main.cpp), which execs it with its own arguments; its
// options, messages and exit codes are haqsim's.
#include <malloc.h>

#include "tools/haqsim/cli_main.h"
#include "tools/haqsim/commands.h"

// Why: libtorch allocates and frees multi-megabyte activation tensors every training step; with
// glibc's defaults each one is an mmap/munmap pair whose pages are faulted in and zeroed again,
// which cost more than half of a training step's time (perf: kernel page-fault handling). Keeping
// freed memory in the heap makes training and fine-tuning 2x faster.
void keep_freed_memory_in_the_heap() {
  mallopt(M_MMAP_THRESHOLD, 32 << 20);  // glibc's maximum on 64-bit
  mallopt(M_TRIM_THRESHOLD, 1 << 30);
  mallopt(M_TOP_PAD, 64 << 20);
}

int main(int argc, char** argv) {
  keep_freed_memory_in_the_heap();
  return haqsim::cli::run_cli(argc, argv, [](CLI::App& app, auto add) {
    using namespace haqsim::cli;
    add(add_train_command(app));
    add(add_finetune_command(app));
    add(add_search_command(app));
    add(add_codesign_command(app));
  });
}
