#include "sim/common/systemc_context.h"

#include <systemc>

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

}  // namespace haqsim
