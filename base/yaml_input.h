// Validated reading of user-written YAML (and JSON, which is YAML) files.
//
// A YamlInput is a view of one mapping node that remembers the file and the dotted key path it
// came from. Every accessor checks type and range and throws InputError naming file, line, key,
// what was expected and what was found. Keys that were never read are reported by
// reject_unknown_keys(), so a typo ("dm " or "clock_mhs") is an error instead of a silent default.
#pragma once

#include <yaml-cpp/yaml.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "base/input_error.h"

namespace haqsim {

class YamlInput {
 public:
  // Parses `path`; a missing file or a syntax error is an InputError with the line.
  static YamlInput load_file(const std::string& path);
  // Parses text held in memory (used by fuzzers and tests); `name` stands in for the file name.
  static YamlInput load_string(const std::string& text, const std::string& name);

  const std::string& file() const { return file_; }
  const std::string& path() const { return path_; }
  const YAML::Node& node() const { return node_; }
  int line() const;  // 1-based line of this node

  bool has(const std::string& key) const;
  std::vector<std::string> keys() const;

  YamlInput map(const std::string& key) const;  // required nested mapping
  std::optional<YamlInput> optional_map(const std::string& key) const;
  std::vector<YamlInput> map_list(const std::string& key) const;  // sequence of mappings

  int64_t integer(const std::string& key, int64_t min, int64_t max) const;
  int64_t integer_or(const std::string& key, int64_t fallback, int64_t min, int64_t max) const;
  // Number in [min, max] (or (min, max] when min_exclusive).
  double number(const std::string& key, double min, double max, bool min_exclusive = false) const;
  double number_or(const std::string& key, double fallback, double min, double max,
                   bool min_exclusive = false) const;
  std::string string(const std::string& key) const;
  std::string string_or(const std::string& key, const std::string& fallback) const;
  std::string choice(const std::string& key, const std::vector<std::string>& options) const;
  std::string choice_or(const std::string& key, const std::string& fallback,
                        const std::vector<std::string>& options) const;
  bool boolean_or(const std::string& key, bool fallback) const;
  // A sequence of integers in [min, max] (used by sweep grids).
  std::vector<int64_t> integer_list(const std::string& key, int64_t min, int64_t max) const;

  // Throws for the first key of this mapping that no accessor asked for.
  void reject_unknown_keys() const;

  InputLocation location_of(const std::string& key) const;
  [[noreturn]] void fail(const std::string& key, const std::string& expected,
                         const std::string& found) const;

  // Text of a scalar for messages ("a sequence", "a mapping", or the scalar's text).
  static std::string describe(const YAML::Node& node);

 private:
  YamlInput(std::string file, std::string path, YAML::Node node,
            std::shared_ptr<std::set<std::string>> seen);
  YAML::Node get(const std::string& key) const;  // marks key as read; null node when absent
  YAML::Node require(const std::string& key) const;
  std::string child_path(const std::string& key) const;

  std::string file_;
  std::string path_;  // dotted path of this mapping; empty at the root
  YAML::Node node_;
  std::shared_ptr<std::set<std::string>> seen_;  // full dotted paths that were read
};

}  // namespace haqsim
