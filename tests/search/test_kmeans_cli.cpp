// --weight-quantizer kmeans end to end: `haqsim eval` reports the codebooks' exact storage, a
// size-constrained search measures k-means policies against Deep Compression's uniform k-bit
// baselines (weights only), and a latency or energy budget with k-means weights is refused.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "tests/cli/cli_runner.h"
#include "tests/test_temp_dir.h"

namespace haqsim {
namespace {

namespace fs = std::filesystem;
using testing::run_haqsim;

class KMeansCli : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = haqsim_test_temp_dir() /
           ("haqsim_kmeans_cli_" +
            std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  nlohmann::json json(const std::string& file) const {
    return nlohmann::json::parse(std::ifstream(dir_ / file));
  }
  std::string cache() const { return " --cache-dir " + (dir_ / "cache").string(); }
  fs::path dir_;
};

TEST_F(KMeansCli, EvalCountsIndicesAndCodebooks) {
  const std::string common =
      "eval --model mobilenet_v1 --wbits 4 --abits 8 --images 64 --calibration-images 64" + cache();
  auto r = run_haqsim(common + " --weight-quantizer kmeans --out " + (dir_ / "kmeans").string());
  ASSERT_EQ(r.exit_code, 0) << r.output;
  r = run_haqsim(common + " --out " + (dir_ / "linear").string());
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const auto kmeans = json("kmeans/eval.json"), linear = json("linear/eval.json");
  EXPECT_EQ(kmeans["quantizer"]["weights"], "kmeans");
  EXPECT_EQ(kmeans["quantizer"]["kmeans_init"], "kmeans++");
  EXPECT_EQ(linear["quantizer"]["weights"], "linear");
  // Both store 4 bits per weight; k-means adds per layer 16 entries of 16 bits and an 8-bit
  // exponent.
  const size_t layers = kmeans["policy"]["layers"].size();
  EXPECT_EQ(layers, 28u);
  EXPECT_NEAR(double(kmeans["weight_size_mb"]) - double(linear["weight_size_mb"]),
              double(layers) * (16 * 16 + 8) / 8 / 1e6, 1e-12);
  EXPECT_GT(double(kmeans["top1"]), 0.5);  // 4-bit codebooks keep most of the accuracy

  r = run_haqsim(common + " --weight-quantizer huffman");
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_NE(r.output.find("--weight-quantizer"), std::string::npos) << r.output;
}

TEST_F(KMeansCli, SizeSearchComparesWithDeepCompressionBaselines) {
  const std::string common =
      "search --model mobilenet_v1 --backend analytic --arch arch-configs/bismo-edge.yaml "
      "--eval-images 40 --test-images 60 --rerank-images 0 --calibration-images 64 --warmup 2 "
      "--hidden 32 "
      "--batch-size 8 --episodes 3 --random-episodes 1 --min-bits 2 --max-bits 4 "
      "--method ddpg,uniform --weight-quantizer kmeans" +
      cache();
  auto r = run_haqsim(common + " --constraint size --target 0.6 --out " + (dir_ / "size").string());
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const auto s = json("size/search.json");
  EXPECT_EQ(s["weight_quantizer"], "kmeans");
  EXPECT_LE(double(s["ddpg"]["size_mb"]), double(s["budget"]) * (1 + 1e-9));
  // Uniform k-bit under a size budget: k-bit codebooks, activations at --max-bits (Deep
  // Compression's k-bit), first and last layers pinned at 8 bits.
  std::ifstream csv(dir_ / "size" / "comparison.csv");
  int uniform_rows = 0;
  for (std::string line; std::getline(csv, line);) {
    if (line.rfind("uniform-3,", 0) != 0) continue;
    ++uniform_rows;
    EXPECT_NE(line.find(",8/8 3/4 3/4 "), std::string::npos) << line;
  }
  EXPECT_EQ(uniform_rows, 1);

  r = run_haqsim(common + " --constraint latency --target 0.6 --out " +
                 (dir_ / "latency").string());
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_NE(r.output.find("key '--weight-quantizer'"), std::string::npos) << r.output;
  EXPECT_FALSE(fs::exists(dir_ / "latency" / "episodes.csv"));
}

}  // namespace
}  // namespace haqsim
