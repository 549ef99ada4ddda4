#include "models/policy.h"

#include <fmt/format.h>

#include <map>

#include "base/input_error.h"
#include "base/yaml_input.h"

namespace haqsim {

namespace {

Policy parse_root(const YamlInput& root, const Network& network) {
  if (root.has("model")) {
    std::string model = root.string("model");
    if (model != network.name) {
      root.fail("model", fmt::format("a policy for '{}'", network.name),
                fmt::format("'{}'", model));
    }
  }
  const int count = network.quantizable_count();
  std::map<std::string, int> index_of_name;
  for (const Layer* layer : network.quantizable_layers()) {
    index_of_name[layer->name] = layer->quant_index;
  }

  std::vector<YamlInput> entries = root.map_list("layers");
  if (static_cast<int>(entries.size()) != count) {
    root.fail("layers",
              fmt::format("{} entries (one per quantizable layer of {})", count, network.name),
              fmt::format("{} entries", entries.size()));
  }
  Policy policy;
  policy.layers.resize(count);
  std::vector<int> defined_at(count, 0);
  for (const YamlInput& entry : entries) {
    int index = -1;
    if (entry.has("layer")) {
      index = static_cast<int>(entry.integer("layer", 0, count - 1));
      if (entry.has("name")) {
        std::string name = entry.string("name");
        if (name != network.quantizable(index).name) {
          entry.fail(
              "name",
              fmt::format("'{}' (the name of layer {})", network.quantizable(index).name, index),
              fmt::format("'{}'", name));
        }
      }
    } else if (entry.has("name")) {
      std::string name = entry.string("name");
      auto it = index_of_name.find(name);
      if (it == index_of_name.end()) {
        entry.fail("name", fmt::format("the name of a quantizable layer of {}", network.name),
                   fmt::format("unknown layer '{}'", name));
      }
      index = it->second;
    } else {
      entry.fail("layer", "a 'layer' index or a 'name'", "neither");
    }
    if (defined_at[index] != 0) {
      entry.fail(entry.has("layer") ? "layer" : "name",
                 fmt::format("each layer once (layer {} is already set at line {})", index,
                             defined_at[index]),
                 "a second entry");
    }
    defined_at[index] = entry.line();
    policy.layers[index].wbits = static_cast<int>(entry.integer("wbits", kMinBits, kMaxBits));
    policy.layers[index].abits = static_cast<int>(entry.integer("abits", kMinBits, kMaxBits));
    entry.reject_unknown_keys();
  }
  root.reject_unknown_keys();
  policy.source = root.file();
  return policy;
}

}  // namespace

Policy Policy::uniform(int layer_count, int wbits, int abits) {
  for (auto [flag, bits] : {std::pair{"--wbits", wbits}, std::pair{"--abits", abits}}) {
    if (bits < kMinBits || bits > kMaxBits) {
      throw InputError(InputLocation{"", 0, flag, -1},
                       fmt::format("bits in [{}, {}]", kMinBits, kMaxBits), std::to_string(bits));
    }
  }
  Policy p;
  p.layers.assign(layer_count, LayerBits{wbits, abits});
  p.source = fmt::format("uniform w{}a{}", wbits, abits);
  return p;
}

Policy Policy::load(const std::string& path, const Network& network) {
  return parse_root(YamlInput::load_file(path), network);
}

Policy Policy::parse(const std::string& text, const std::string& name, const Network& network) {
  return parse_root(YamlInput::load_string(text, name), network);
}

std::string Policy::to_yaml(const Network& network) const {
  std::string out = fmt::format(
      "# haqsim policy: weight bits and input-activation bits per layer\n"
      "model: {}\nlayers:\n",
      network.name);
  for (const Layer* layer : network.quantizable_layers()) {
    const LayerBits& bits = layers.at(layer->quant_index);
    out +=
        fmt::format("  - {{layer: {}, name: {}, wbits: {}, abits: {}}}  # {}\n", layer->quant_index,
                    layer->name, bits.wbits, bits.abits, to_string(layer->kind()));
  }
  return out;
}

}  // namespace haqsim
