// GoogleTest entry point for test binaries that use SystemC: libsystemc provides main() and
// calls sc_main(), which runs the tests. Tests that elaborate modules derive from
// SystemCTest (systemc_fixture.h) so each gets a fresh simulation context.
#include <gtest/gtest.h>
#include <systemc>

int sc_main(int argc, char** argv) {
  testing::InitGoogleTest(&argc, argv);
  return RUN_ALL_TESTS();
}
