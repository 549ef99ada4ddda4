// libsystemc provides main() and expects the program to define sc_main(). Programs that have
// their own main() (the haqsim CLI, GoogleTest's main, benchmarks) and start simulations with
// sc_start() link this definition only to satisfy the linker; it is never called.
extern "C" int sc_main(int, char**) {
  return 1;
}  // declared extern "C" by SystemC
