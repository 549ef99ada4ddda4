#include "sim/common/systemc_context.h"

#include <systemc>

#if defined(__SANITIZE_ADDRESS__)
#define HAQSIM_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define HAQSIM_ASAN 1
#endif
#endif

#ifdef HAQSIM_ASAN
#include <sanitizer/asan_interface.h>
#include <sanitizer/common_interface_defs.h>

#include <cstddef>
#endif

namespace haqsim {

void reset_systemc_context() {
  // sc_curr_simcontext and sc_default_global_context are the kernel's globals for "the"
  // simulation; swapping them gives a fresh kernel. The first context is never deleted: the
  // library's own static objects (e.g. sc_event::none) registered in it at load time and are
  // destroyed at exit. Contexts made here are deleted when the next one replaces them.
  static sc_core::sc_simcontext* const original = sc_core::sc_get_curr_simcontext();
  sc_core::sc_simcontext* old = sc_core::sc_curr_simcontext;
  sc_core::sc_simcontext* fresh = new sc_core::sc_simcontext();
  sc_core::sc_curr_simcontext = fresh;
  sc_core::sc_default_global_context = fresh;
  if (old != original) delete old;
}

#ifdef HAQSIM_ASAN

// Why: SystemC runs each SC_THREAD on its own stack (QuickThreads) and Debian's libsystemc
// 2.3.4 announces these switches to ASan (__sanitizer_{start,finish}_switch_fiber), but once
// sc_start() is back on the caller's stack ASan still believes the stack is a coroutine's, or
// none at all (measured: bounds [0, 0) after a plain run, a 256 KiB coroutine stack after a
// process threw). ASan then skips unpoisoning the stack when an exception unwinds it ("ASan is
// ignoring requested __asan_handle_no_return"), and the poison left in dead frames turns into
// false stack-buffer-overflow and stack-use-after-scope reports in whatever later reuses that
// stack (seen in libstdc++'s std::filesystem::status, which is not instrumented). So the bounds
// ASan had before sc_start() are put back afterwards, and the dead part of the stack below is
// cleared. Only the stack bookkeeping is touched: heap and global checks are unaffected.
namespace {

struct AsanStack {
  const void* bottom = nullptr;
  std::size_t size = 0;
};

// ASan's current stack bounds: a switch to no stack reports them, a switch back restores them.
AsanStack current_asan_stack() {
  AsanStack s;
  void* fake_stack = nullptr;
  __sanitizer_start_switch_fiber(&fake_stack, nullptr, 0);
  __sanitizer_finish_switch_fiber(fake_stack, &s.bottom, &s.size);
  __sanitizer_start_switch_fiber(&fake_stack, s.bottom, s.size);
  __sanitizer_finish_switch_fiber(fake_stack, nullptr, nullptr);
  return s;
}

// Everything below this function's frame is dead stack.
__attribute__((noinline)) void unpoison_stack_below_here(const void* bottom) {
  const char* frame = static_cast<const char*>(__builtin_frame_address(0));
  const char* low = static_cast<const char*>(bottom);
  if (low < frame) __asan_unpoison_memory_region(low, std::size_t(frame - low));
}

__attribute__((noinline)) void restore_asan_stack(const AsanStack& s) {
  void* fake_stack = nullptr;
  __sanitizer_start_switch_fiber(&fake_stack, s.bottom, s.size);
  __sanitizer_finish_switch_fiber(fake_stack, nullptr, nullptr);
  unpoison_stack_below_here(s.bottom);
}

}  // namespace

void run_systemc_simulation() {
  const AsanStack stack = current_asan_stack();
  try {
    sc_core::sc_start();
  } catch (...) {
    restore_asan_stack(stack);
    throw;  // instrumented: ASan clears the frames above before unwinding them
  }
  restore_asan_stack(stack);
}

#else

void run_systemc_simulation() {
  sc_core::sc_start();
}

#endif

}  // namespace haqsim
