// Replays the fuzzers' seed corpus and every input that once crashed a harness (the files in
// tests/fuzz/regressions/<harness>/) through the harnesses' entry points, in the ordinary build:
// each must be accepted or refused with an InputError, and nothing else.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <functional>
#include <sstream>

#include "tests/fuzz/fuzz_targets.h"

namespace haqsim::fuzz {
namespace {

namespace fs = std::filesystem;

using Target = std::function<void(const uint8_t*, size_t)>;

int replay(const std::string& harness, const Target& target) {
  int replayed = 0;
  for (const char* kind : {"corpus", "regressions"}) {
    const fs::path dir = fs::path("tests/fuzz") / kind / harness;
    if (!fs::is_directory(dir)) continue;
    for (const auto& entry : fs::directory_iterator(dir)) {
      std::ifstream in(entry.path(), std::ios::binary);
      std::stringstream s;
      s << in.rdbuf();
      const std::string bytes = s.str();
      EXPECT_NO_THROW(target(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size()))
          << entry.path();
      ++replayed;
    }
  }
  return replayed;
}

TEST(FuzzRegressions, ArchConfig) {
  EXPECT_GT(replay("arch_config", arch_config), 0);
}
TEST(FuzzRegressions, Policy) {
  EXPECT_GT(replay("policy", policy), 0);
}
TEST(FuzzRegressions, Idx) {
  EXPECT_GT(replay("idx", idx), 0);
}
TEST(FuzzRegressions, OnnxModel) {
  EXPECT_GT(replay("onnx_model", onnx_model), 0);
}

}  // namespace
}  // namespace haqsim::fuzz
