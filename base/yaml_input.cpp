#include "base/yaml_input.h"

#include <fmt/format.h>

#include <cctype>
#include <cmath>
#include <fstream>
#include <limits>
#include <sstream>

namespace haqsim {

namespace {

YAML::Node parse_or_throw(const std::string& text, const std::string& name) {
  try {
    return YAML::Load(text);
  } catch (const YAML::ParserException& e) {
    InputLocation where{name, e.mark.line >= 0 ? e.mark.line + 1 : 0, "", -1};
    throw InputError(where, "valid YAML", fmt::format("a syntax error ({})", e.msg));
  }
}

// An integer as YAML 1.2's core schema reads it: decimal digits with an optional sign (leading
// zeros are still decimal: "010" is ten, not C's octal eight), 0x hex or 0o octal. Anything else,
// or a value outside int64, is not an integer.
bool parse_yaml_integer(const std::string& text, long long& value) {
  std::string digits = text;
  int base = 10;
  if (text.size() > 2 && text[0] == '0' && (text[1] == 'x' || text[1] == 'o')) {
    base = text[1] == 'x' ? 16 : 8;
    digits = text.substr(2);
  }
  if (digits.empty()) return false;
  const size_t first_digit = base == 10 && (digits[0] == '-' || digits[0] == '+') ? 1 : 0;
  if (first_digit == digits.size()) return false;
  for (size_t k = first_digit; k < digits.size(); ++k) {
    const char c = digits[k];
    const bool ok = base == 16 ? std::isxdigit(static_cast<unsigned char>(c)) != 0
                               : c >= '0' && c < char('0' + base);
    if (!ok) return false;
  }
  try {
    std::size_t used = 0;
    value = std::stoll(digits, &used, base);
    return used == digits.size();
  } catch (const std::exception&) {
    return false;  // out of range
  }
}

}  // namespace

YamlInput::YamlInput(std::string file, std::string path, YAML::Node node,
                     std::shared_ptr<std::set<std::string>> seen)
    : file_(std::move(file)),
      path_(std::move(path)),
      node_(std::move(node)),
      seen_(std::move(seen)) {}

YamlInput YamlInput::load_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(InputLocation{path, 0, "", -1}, "cannot open file (does it exist?)");
  std::stringstream buffer;
  buffer << in.rdbuf();
  return load_string(buffer.str(), path);
}

YamlInput YamlInput::load_string(const std::string& text, const std::string& name) {
  YAML::Node root = parse_or_throw(text, name);
  if (!root.IsMap()) {
    throw InputError(
        InputLocation{name, root.IsDefined() && !root.IsNull() ? root.Mark().line + 1 : 1, "", -1},
        "a YAML mapping at the top level", describe(root));
  }
  return YamlInput(name, "", root, std::make_shared<std::set<std::string>>());
}

int YamlInput::line() const {
  return node_.Mark().line >= 0 ? node_.Mark().line + 1 : 0;
}

std::string YamlInput::child_path(const std::string& key) const {
  return path_.empty() ? key : path_ + "." + key;
}

bool YamlInput::has(const std::string& key) const {
  return node_[key].IsDefined();
}

std::vector<std::string> YamlInput::keys() const {
  std::vector<std::string> out;
  for (const auto& kv : node_) out.push_back(kv.first.Scalar());
  return out;
}

YAML::Node YamlInput::get(const std::string& key) const {
  seen_->insert(child_path(key));
  const YAML::Node& const_node = node_;
  return const_node[key];
}

YAML::Node YamlInput::require(const std::string& key) const {
  YAML::Node value = get(key);
  if (!value.IsDefined()) {
    throw InputError(InputLocation{file_, line(), child_path(key), -1},
                     fmt::format("required key '{}'", key), "it missing");
  }
  return value;
}

InputLocation YamlInput::location_of(const std::string& key) const {
  const YAML::Node& const_node = node_;
  YAML::Node value = const_node[key];
  int at = value.IsDefined() && value.Mark().line >= 0 ? value.Mark().line + 1 : line();
  return InputLocation{file_, at, child_path(key), -1};
}

void YamlInput::fail(const std::string& key, const std::string& expected,
                     const std::string& found) const {
  throw InputError(location_of(key), expected, found);
}

std::string YamlInput::describe(const YAML::Node& node) {
  if (!node.IsDefined() || node.IsNull()) return "nothing (null)";
  if (node.IsSequence()) return "a sequence";
  if (node.IsMap()) return "a mapping";
  return fmt::format("'{}'", node.Scalar());
}

YamlInput YamlInput::map(const std::string& key) const {
  YAML::Node value = require(key);
  if (!value.IsMap()) fail(key, "a mapping", describe(value));
  return YamlInput(file_, child_path(key), value, seen_);
}

std::optional<YamlInput> YamlInput::optional_map(const std::string& key) const {
  if (!has(key)) return std::nullopt;
  return map(key);
}

std::vector<YamlInput> YamlInput::map_list(const std::string& key) const {
  YAML::Node value = require(key);
  if (!value.IsSequence()) fail(key, "a sequence of mappings", describe(value));
  std::vector<YamlInput> out;
  for (std::size_t i = 0; i < value.size(); ++i) {
    YAML::Node item = value[i];
    std::string item_path = fmt::format("{}[{}]", child_path(key), i);
    if (!item.IsMap()) {
      throw InputError(InputLocation{file_, item.Mark().line + 1, item_path, -1}, "a mapping",
                       describe(item));
    }
    out.push_back(YamlInput(file_, item_path, item, seen_));
  }
  return out;
}

int64_t YamlInput::integer(const std::string& key, int64_t min, int64_t max) const {
  YAML::Node value = require(key);
  std::string expected = fmt::format("an integer in [{}, {}]", min, max);
  if (!value.IsScalar()) fail(key, expected, describe(value));
  const std::string& text = value.Scalar();
  long long parsed = 0;
  if (!parse_yaml_integer(text, parsed)) fail(key, expected, describe(value));
  if (parsed < min || parsed > max) fail(key, expected, describe(value));
  return parsed;
}

int64_t YamlInput::integer_or(const std::string& key, int64_t fallback, int64_t min,
                              int64_t max) const {
  if (!has(key)) {
    get(key);
    return fallback;
  }
  return integer(key, min, max);
}

double YamlInput::number(const std::string& key, double min, double max, bool min_exclusive) const {
  YAML::Node value = require(key);
  std::string expected = fmt::format("a number in {}{}, {}]", min_exclusive ? "(" : "[", min, max);
  if (!value.IsScalar()) fail(key, expected, describe(value));
  const std::string& text = value.Scalar();
  std::size_t used = 0;
  double parsed = 0;
  try {
    parsed = std::stod(text, &used);
  } catch (const std::exception&) {
    fail(key, expected, describe(value));
  }
  if (used != text.size() || !std::isfinite(parsed)) fail(key, expected, describe(value));
  if (parsed < min || parsed > max || (min_exclusive && parsed == min)) {
    fail(key, expected, describe(value));
  }
  return parsed;
}

double YamlInput::number_or(const std::string& key, double fallback, double min, double max,
                            bool min_exclusive) const {
  if (!has(key)) {
    get(key);
    return fallback;
  }
  return number(key, min, max, min_exclusive);
}

std::string YamlInput::string(const std::string& key) const {
  YAML::Node value = require(key);
  if (!value.IsScalar()) fail(key, "a string", describe(value));
  return value.Scalar();
}

std::string YamlInput::string_or(const std::string& key, const std::string& fallback) const {
  if (!has(key)) {
    get(key);
    return fallback;
  }
  return string(key);
}

std::string YamlInput::choice(const std::string& key,
                              const std::vector<std::string>& options) const {
  std::string value = string(key);
  for (const auto& option : options) {
    if (value == option) return value;
  }
  std::string joined;
  for (const auto& option : options) joined += (joined.empty() ? "" : "|") + option;
  fail(key, fmt::format("one of {}", joined), fmt::format("'{}'", value));
}

std::string YamlInput::choice_or(const std::string& key, const std::string& fallback,
                                 const std::vector<std::string>& options) const {
  if (!has(key)) {
    get(key);
    return fallback;
  }
  return choice(key, options);
}

bool YamlInput::boolean_or(const std::string& key, bool fallback) const {
  if (!has(key)) {
    get(key);
    return fallback;
  }
  YAML::Node value = get(key);
  if (value.IsScalar()) {
    const std::string& text = value.Scalar();
    if (text == "true") return true;
    if (text == "false") return false;
  }
  fail(key, "true or false", describe(value));
}

std::vector<int64_t> YamlInput::integer_list(const std::string& key, int64_t min,
                                             int64_t max) const {
  YAML::Node value = require(key);
  std::string expected = fmt::format("a non-empty sequence of integers in [{}, {}]", min, max);
  if (!value.IsSequence() || value.size() == 0) fail(key, expected, describe(value));
  std::vector<int64_t> out;
  for (std::size_t i = 0; i < value.size(); ++i) {
    YAML::Node item = value[i];
    std::string found = describe(item);
    long long parsed = 0;
    const bool ok = item.IsScalar() && parse_yaml_integer(item.Scalar(), parsed) && parsed >= min &&
                    parsed <= max;
    if (!ok) {
      throw InputError(
          InputLocation{file_, item.Mark().line + 1, fmt::format("{}[{}]", child_path(key), i), -1},
          fmt::format("an integer in [{}, {}]", min, max), found);
    }
    out.push_back(parsed);
  }
  return out;
}

void YamlInput::reject_unknown_keys() const {
  for (const auto& kv : node_) {
    std::string key = kv.first.Scalar();
    if (seen_->count(child_path(key)) == 0) {
      throw InputError(InputLocation{file_, kv.first.Mark().line + 1, child_path(key), -1},
                       "a known key", fmt::format("unknown key '{}'", key));
    }
  }
}

}  // namespace haqsim
