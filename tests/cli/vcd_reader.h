// A small VCD reader for tests: variables from the header, then time stamps and value changes.
// Enough to check that a file is well-formed VCD and which times it covers.
#pragma once

#include <cstdint>
#include <fstream>
#include <map>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace haqsim::testing {

struct VcdVariable {
  std::string type, id, name;
  int width = 0;
};

struct VcdChange {
  int64_t time;
  std::string id, value;
};

struct Vcd {
  std::string timescale;
  std::map<std::string, VcdVariable> variables;  // by identifier code
  std::vector<int64_t> times;                    // every #time, in file order
  std::vector<VcdChange> changes;

  bool has_variable(const std::string& name) const {
    for (const auto& [id, v] : variables) {
      if (v.name == name) return true;
    }
    return false;
  }
};

// Throws std::runtime_error naming the line of anything that is not VCD.
inline Vcd read_vcd(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error("cannot open " + path);
  Vcd vcd;
  std::vector<std::string> tokens;
  std::vector<int> token_lines;
  std::string line;
  for (int n = 1; std::getline(in, line); ++n) {
    std::istringstream words(line);
    for (std::string w; words >> w;) {
      tokens.push_back(w);
      token_lines.push_back(n);
    }
  }
  auto fail = [&](size_t i, const std::string& what) {
    throw std::runtime_error(
        path + ":" + std::to_string(i < token_lines.size() ? token_lines[i] : 0) + ": " + what);
  };
  bool definitions = true;
  int64_t time = -1;
  for (size_t i = 0; i < tokens.size(); ++i) {
    const std::string& t = tokens[i];
    if (t[0] == '$') {
      const size_t start = i;
      std::vector<std::string> body;
      if (t == "$end") continue;  // closes $dumpvars and friends
      if (!definitions &&
          (t == "$dumpvars" || t == "$dumpall" || t == "$dumpon" || t == "$dumpoff"))
        continue;
      for (++i; i < tokens.size() && tokens[i] != "$end"; ++i) body.push_back(tokens[i]);
      if (i == tokens.size()) fail(start, t + " without $end");
      if (t == "$timescale") {
        for (const auto& b : body) vcd.timescale += b;
      } else if (t == "$var") {
        if (body.size() < 4) fail(start, "$var needs type, width, id and name");
        VcdVariable v{body[0], body[2], body[3], std::stoi(body[1])};
        vcd.variables[v.id] = v;
      } else if (t == "$enddefinitions") {
        definitions = false;
      }
      continue;
    }
    if (definitions) fail(i, "value or time before $enddefinitions: '" + t + "'");
    if (t[0] == '#') {
      const int64_t next = std::stoll(t.substr(1));
      if (next < time) fail(i, "time going backwards");
      time = next;
      vcd.times.push_back(time);
      continue;
    }
    if (time < 0) fail(i, "value change before the first time stamp");
    std::string value, id;
    if (t[0] == 'b' || t[0] == 'B' || t[0] == 'r' || t[0] == 'R') {
      if (i + 1 >= tokens.size()) fail(i, "vector value without identifier");
      value = t.substr(1);
      id = tokens[++i];
    } else {
      value = t.substr(0, 1);
      id = t.substr(1);
    }
    if (!vcd.variables.count(id)) fail(i, "change of an undeclared identifier '" + id + "'");
    vcd.changes.push_back({time, id, value});
  }
  if (definitions) throw std::runtime_error(path + ": no $enddefinitions");
  return vcd;
}

}  // namespace haqsim::testing
