#include "tools/app/config_patch.h"

#include "sim/registry.h"

namespace haqsim {

std::vector<std::string> split_config_key(const std::string& key) {
  std::vector<std::string> parts;
  size_t start = 0;
  for (size_t dot; (dot = key.find('.', start)) != std::string::npos; start = dot + 1) {
    parts.push_back(key.substr(start, dot - start));
  }
  parts.push_back(key.substr(start));
  return parts;
}

YAML::Node config_key_node(const YAML::Node& tree, const std::string& key) {
  // Walk a fresh handle so that a missing part yields a null node instead of creating it.
  YAML::Node walk = tree;
  for (const std::string& part : split_config_key(key)) {
    if (!walk.IsMap() || !static_cast<const YAML::Node&>(walk)[part]) return YAML::Node();
    walk.reset(static_cast<const YAML::Node&>(walk)[part]);
  }
  return walk;
}

ArchConfig config_with_values(const std::string& base_text, const std::string& base_file,
                              const std::vector<std::string>& keys,
                              const std::vector<std::string>& values) {
  YAML::Node tree = YAML::Load(base_text);
  for (size_t i = 0; i < keys.size(); ++i) {
    const auto parts = split_config_key(keys[i]);
    YAML::Node parent = tree;
    for (size_t k = 0; k + 1 < parts.size(); ++k) parent.reset(parent[parts[k]]);
    parent[parts.back()] = values[i];
  }
  YAML::Emitter out;
  out << tree;
  const std::string text = out.c_str();
  return parse_arch_config(YamlInput::load_string(text, base_file), text);
}

}  // namespace haqsim
