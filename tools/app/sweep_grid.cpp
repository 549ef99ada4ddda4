#include "tools/app/sweep_grid.h"

#include <fmt/format.h>

#include <charconv>
#include <filesystem>

#include "base/atomic_file.h"
#include "base/yaml_input.h"
#include "sim/registry.h"
#include "tools/app/config_patch.h"

namespace haqsim {

namespace {

std::string join(const std::vector<std::string>& parts, const std::string& sep) {
  std::string out;
  for (size_t i = 0; i < parts.size(); ++i) out += (i ? sep : "") + parts[i];
  return out;
}

// The keys of a mapping node, for "one of ..." messages.
std::string key_list(const YAML::Node& map) {
  std::vector<std::string> keys;
  for (const auto& kv : map) keys.push_back(kv.first.as<std::string>());
  return join(keys, ", ");
}

// Collects the leaves (value lists) of the `grid` tree in file order.
void collect(const YamlInput& in, const YAML::Node& node, const std::string& prefix,
             std::vector<SweepParameter>& out) {
  for (const auto& kv : node) {
    const std::string name = kv.first.as<std::string>();
    const std::string key = prefix.empty() ? name : prefix + "." + name;
    const YAML::Node& value = kv.second;
    const int line = kv.first.Mark().line + 1;
    auto fail = [&](const std::string& expected, const std::string& found) {
      throw InputError({in.file(), line, "grid." + key}, expected, found);
    };
    if (value.IsMap()) {
      collect(in, value, key, out);
      continue;
    }
    if (!value.IsSequence()) {
      fail("a list of values (e.g. [4, 8, 16]) or a nested mapping", YamlInput::describe(value));
    }
    if (value.size() == 0) fail("a non-empty list of values", "an empty list");
    SweepParameter p;
    p.key = key;
    for (const auto& v : value) {
      if (!v.IsScalar()) fail("a list of scalar values", YamlInput::describe(v));
      p.values.push_back(v.Scalar());
      p.lines.push_back(v.Mark().line + 1);
    }
    for (const auto& q : out) {
      if (q.key == p.key) fail("each parameter once", "a second list for '" + key + "'");
    }
    out.push_back(std::move(p));
  }
}

}  // namespace

SweepGrid SweepGrid::load(const std::string& path) {
  SweepGrid g;
  g.file_ = path;
  g.grid_text_ = read_whole_file(path);
  const YamlInput root = YamlInput::load_string(g.grid_text_, path);
  const std::string base = root.string("base");
  root.string_or("description", "");
  if (!root.has("grid")) root.reject_unknown_keys();  // a misspelt "grid" is named as such
  const YamlInput grid = root.map("grid");
  root.reject_unknown_keys();

  const std::filesystem::path base_path = std::filesystem::path(path).parent_path() / base;
  if (!std::filesystem::is_regular_file(base_path)) {
    root.fail("base", "an arch config file (relative to the grid file)",
              fmt::format("'{}', which does not exist", base_path.string()));
  }
  g.base_file_ = base_path.lexically_normal().string();
  g.base_text_ = read_whole_file(g.base_file_);
  load_arch_config(g.base_file_);  // the base itself must be valid

  collect(grid, grid.node(), "", g.parameters_);
  if (g.parameters_.empty()) {
    root.fail("grid", "at least one parameter with a list of values", "none");
  }

  // Every key must name a scalar of the base config, and every value must be one the config
  // accepts there; checked one value at a time so the error points at the grid line.
  const YAML::Node base_tree = YAML::Load(g.base_text_);
  for (const SweepParameter& p : g.parameters_) {
    YAML::Node node = YAML::Clone(base_tree);
    std::string walked;
    for (const std::string& part : split_config_key(p.key)) {
      if (!node.IsMap() || !static_cast<const YAML::Node&>(node)[part]) {
        throw InputError(
            {g.file_, p.lines.front(), "grid." + p.key},
            fmt::format("a key of the base config {}{}", g.base_file_,
                        node.IsMap()
                            ? fmt::format(" (under '{}': {})",
                                          walked.empty() ? "the top level" : walked, key_list(node))
                            : ""),
            fmt::format("'{}', which the base config does not have", part));
      }
      node.reset(node[part]);
      walked += (walked.empty() ? "" : ".") + part;
    }
    if (!node.IsScalar()) {
      throw InputError({g.file_, p.lines.front(), "grid." + p.key},
                       "a key holding a single value in the base config",
                       "a " + YamlInput::describe(node));
    }
  }
  for (const SweepParameter& p : g.parameters_) {
    std::vector<std::string> values;
    for (const SweepParameter& q : g.parameters_) values.push_back(q.values.front());
    const size_t which = size_t(&p - g.parameters_.data());
    for (size_t v = 0; v < p.values.size(); ++v) {
      values[which] = p.values[v];
      try {
        g.config_with(values);
      } catch (const InputError& e) {
        const std::string expected = e.expected().empty() ? e.what() : e.expected();
        throw InputError({g.file_, p.lines[v], "grid." + p.key},
                         fmt::format("a value the config accepts for '{}' ({}: {})", e.where().key,
                                     g.base_file_, expected),
                         e.found().empty() ? p.values[v] : e.found());
      }
    }
  }
  return g;
}

int64_t SweepGrid::size() const {
  int64_t n = 1;
  for (const auto& p : parameters_) n *= int64_t(p.values.size());
  return n;
}

std::vector<std::string> SweepGrid::values_at(int64_t index) const {
  std::vector<std::string> values(parameters_.size());
  for (size_t i = parameters_.size(); i-- > 0;) {
    const int64_t n = int64_t(parameters_[i].values.size());
    values[i] = parameters_[i].values[size_t(index % n)];
    index /= n;
  }
  return values;
}

ArchConfig SweepGrid::config_at(int64_t index) const {
  try {
    return config_with(values_at(index));
  } catch (const InputError& e) {
    // Each value alone was accepted; only a combination can fail here.
    std::vector<std::string> assignments;
    const auto values = values_at(index);
    for (size_t i = 0; i < values.size(); ++i) {
      assignments.push_back(parameters_[i].key + "=" + values[i]);
    }
    throw InputError({file_, 0, ""}, fmt::format("point {} ({}) is not a valid config: {}", index,
                                                 join(assignments, " "), e.what()));
  }
}

ArchConfig SweepGrid::config_with(const std::vector<std::string>& values) const {
  std::vector<std::string> keys;
  for (const SweepParameter& p : parameters_) keys.push_back(p.key);
  return config_with_values(base_text_, base_file_, keys, values);
}

Shard Shard::parse(const std::string& text) {
  Shard s;
  const size_t slash = text.find('/');
  auto to_int = [](const std::string& t, int& v) {
    auto [end, ec] = std::from_chars(t.data(), t.data() + t.size(), v);
    return ec == std::errc() && end == t.data() + t.size();
  };
  if (slash == std::string::npos || !to_int(text.substr(0, slash), s.index) ||
      !to_int(text.substr(slash + 1), s.count) || s.count < 1 || s.index < 0 ||
      s.index >= s.count) {
    throw InputError({"", 0, "--shard"}, "I/N with 0 <= I < N (e.g. 0/3, 1/3, 2/3)",
                     "'" + text + "'");
  }
  return s;
}

std::string Shard::to_string() const {
  return fmt::format("{}/{}", index, count);
}

nlohmann::json grid_identity(const SweepGrid& grid) {
  auto hash_of = [](const std::string& text) {
    return fmt::format("{:016x}", std::hash<std::string>{}(text));
  };
  using nlohmann::json;
  json parameters = json::array();
  for (const auto& p : grid.parameters())
    parameters.push_back({{"key", p.key}, {"values", p.values}});
  json resources = json::array();
  for (const ResourceUse& r : grid.config_at(0).resources()) {
    resources.push_back({{"column", r.name},
                         {"fraction_column", r.fraction_name},
                         {"unit", r.unit},
                         {"budget", r.budget}});
  }
  return {{"grid", grid.file()},      {"grid_hash", hash_of(grid.grid_text())},
          {"base", grid.base_file()}, {"base_hash", hash_of(grid.base_text())},
          {"parameters", parameters}, {"accelerator", grid.config_at(0).type},
          {"resources", resources}};
}

}  // namespace haqsim
