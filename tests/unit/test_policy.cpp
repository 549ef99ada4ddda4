// Policies: by index or by name, YAML or JSON, and every mistake names the entry.
#include <gtest/gtest.h>

#include "base/input_error.h"
#include "models/policy.h"
#include "models/zoo.h"

namespace haqsim {
namespace {

std::string uniform_text(const Network& net, int w, int a) {
  return Policy::uniform(net.quantizable_count(), w, a).to_yaml(net);
}

TEST(Policy, RoundTripsThroughYaml) {
  Network net = build_mobilenet_v1({});
  Policy p = Policy::uniform(28, 8, 8);
  p.layers[3] = {2, 5};
  p.layers[27] = {1, 7};
  Policy back = Policy::parse(p.to_yaml(net), "p.yaml", net);
  EXPECT_EQ(back, p);
}

TEST(Policy, AcceptsNamesAndJson) {
  Network net = build_mobilenet_v1({});
  std::string json = "{\"model\": \"mobilenet_v1\", \"layers\": [";
  for (const Layer* l : net.quantizable_layers()) {
    json += (l->quant_index ? "," : "") + std::string("{\"name\": \"") + l->name +
            "\", \"wbits\": " + std::to_string(1 + l->quant_index % 8) + ", \"abits\": 4}";
  }
  json += "]}";
  Policy p = Policy::parse(json, "p.json", net);
  EXPECT_EQ(p.layers[9].wbits, 2);
  EXPECT_EQ(p.layers[9].abits, 4);
}

void expect_error(const std::string& text, const std::vector<std::string>& fragments) {
  Network net = build_mobilenet_v1({});
  try {
    Policy::parse(text, "bad.yaml", net);
    FAIL() << "accepted";
  } catch (const InputError& e) {
    for (const auto& f : fragments) {
      EXPECT_NE(std::string(e.what()).find(f), std::string::npos)
          << "message '" << e.what() << "' lacks '" << f << "'";
    }
  }
}

TEST(Policy, NineBitLayerIsRefused) {
  Network net = build_mobilenet_v1({});
  std::string text = uniform_text(net, 8, 8);
  text.replace(text.find("layer: 5, name: conv4_dw, wbits: 8"), 34,
               "layer: 5, name: conv4_dw, wbits: 9");
  expect_error(text, {"bad.yaml:", "layers[5].wbits", "[1, 8]", "'9'"});
}

TEST(Policy, ZeroBitsRefused) {
  Network net = build_mobilenet_v1({});
  std::string text = uniform_text(net, 8, 8);
  text.replace(text.find("abits: 8"), 8, "abits: 0");
  expect_error(text, {"layers[0].abits", "'0'"});
}

TEST(Policy, WrongLayerCount) {
  expect_error("layers:\n  - {layer: 0, wbits: 8, abits: 8}\n",
               {"layers", "28 entries", "1 entries"});
}

TEST(Policy, UnknownLayerName) {
  Network net = build_mobilenet_v1({});
  std::string text = uniform_text(net, 8, 8);
  text.replace(text.find("layer: 7, name: conv5_dw,"), 25, "name: conv5_dwx,");
  expect_error(text, {"layers[7].name", "unknown layer 'conv5_dwx'"});
}

TEST(Policy, DuplicateLayer) {
  Network net = build_mobilenet_v1({});
  std::string text = uniform_text(net, 8, 8);
  text.replace(text.find("layer: 7, name: conv5_dw,"), 25, "layer: 6,");
  expect_error(text, {"layers[7].layer", "already set"});
}

TEST(Policy, WrongModel) {
  Network net = build_mobilenet_v2({});
  std::string text = Policy::uniform(53, 8, 8).to_yaml(net);
  expect_error(text, {"model", "mobilenet_v1", "mobilenet_v2"});
}

TEST(Policy, UnknownKeyInEntry) {
  Network net = build_mobilenet_v1({});
  std::string text = uniform_text(net, 8, 8);
  text.replace(text.find("wbits: 8, abits: 8}"), 19, "wbits: 8, abits: 8, obits: 3}");
  expect_error(text, {"layers[0].obits", "unknown key"});
}

TEST(Policy, UniformRangeChecked) {
  EXPECT_THROW(Policy::uniform(28, 9, 8), InputError);
  EXPECT_THROW(Policy::uniform(28, 8, 0), InputError);
}

}  // namespace
}  // namespace haqsim
