#include "sim/common/vcd_window_filter.h"

#include <fmt/format.h>

#include <fstream>
#include <map>
#include <sstream>
#include <stdexcept>
#include <vector>

#include "base/atomic_file.h"

namespace haqsim {

namespace {

// A value change line: "b1010 !", "1!", "r0.5 !" -> identifier code.
std::string identifier_of(const std::string& line) {
  if (line.empty()) return "";
  if (line[0] == 'b' || line[0] == 'B' || line[0] == 'r' || line[0] == 'R') {
    const size_t space = line.find(' ');
    return space == std::string::npos ? "" : line.substr(space + 1);
  }
  return line.substr(1);
}

}  // namespace

void write_vcd_window(const std::string& in, const std::string& out, int64_t begin, int64_t end) {
  std::ifstream file(in);
  if (!file) throw std::runtime_error("cannot read VCD file '" + in + "'");
  std::string header, line;
  bool definitions_done = false;
  while (std::getline(file, line)) {
    header += line + "\n";
    if (line.find("$enddefinitions") != std::string::npos) {
      definitions_done = true;
      break;
    }
  }
  if (!definitions_done) throw std::runtime_error("'" + in + "' is not a VCD file");

  std::map<std::string, std::string> current;  // identifier -> last value change line
  std::vector<std::string> order;              // identifiers in first-seen order
  std::string body;
  bool window_open = false;
  auto open_window = [&] {
    body += fmt::format("#{}\n$dumpvars\n", begin);
    for (const auto& id : order) body += current[id] + "\n";
    body += "$end\n";
    window_open = true;
  };
  int64_t time = 0;
  while (std::getline(file, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty()) continue;
    if (line[0] == '#') {
      time = std::stoll(line.substr(1));
      if (end >= 0 && time >= end) break;
      if (time >= begin) {
        if (!window_open) open_window();
        if (time > begin) body += line + "\n";
      }
      continue;
    }
    if (line.rfind("$comment", 0) == 0) {  // SystemC notes "All initial values are dumped ..."
      while (line.find("$end") == std::string::npos && std::getline(file, line)) {
      }
      continue;
    }
    if (line[0] == '$') continue;  // $dumpvars / $end around values: the values inside count
    const std::string id = identifier_of(line);
    if (id.empty()) continue;
    if (!current.count(id)) order.push_back(id);
    current[id] = line;
    if (window_open) body += line + "\n";
  }
  if (!window_open) open_window();  // the window starts after the last change
  write_file_atomically(out, header + body);
}

}  // namespace haqsim
