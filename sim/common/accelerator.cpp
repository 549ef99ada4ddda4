#include "sim/common/accelerator.h"

#include <fmt/format.h>

#include <stdexcept>

#include "base/input_error.h"

namespace haqsim {

const char* to_string(Backend backend) {
  switch (backend) {
    case Backend::kAnalytic:
      return "analytic";
    case Backend::kSystemC:
      return "systemc";
    case Backend::kRtl:
      return "rtl";
  }
  return "?";
}

Backend parse_backend(const std::string& text) {
  if (text == "analytic") return Backend::kAnalytic;
  if (text == "systemc") return Backend::kSystemC;
  if (text == "rtl") return Backend::kRtl;
  throw InputError(InputLocation{"", 0, "--backend", -1}, "one of analytic|systemc|rtl",
                   fmt::format("'{}'", text));
}

AcceleratorRegistry::AcceleratorRegistry(std::vector<const Accelerator*> accelerators)
    : accelerators_(std::move(accelerators)) {
  for (std::size_t i = 0; i < accelerators_.size(); ++i) {
    for (std::size_t j = 0; j < i; ++j) {
      if (accelerators_[i]->type() == accelerators_[j]->type()) {
        throw std::logic_error("two accelerators registered as '" + accelerators_[i]->type() + "'");
      }
    }
  }
}

std::vector<std::string> AcceleratorRegistry::types() const {
  std::vector<std::string> out;
  for (const Accelerator* a : accelerators_) out.push_back(a->type());
  return out;
}

const Accelerator* AcceleratorRegistry::find(const std::string& type) const {
  for (const Accelerator* a : accelerators_) {
    if (a->type() == type) return a;
  }
  return nullptr;
}

const Accelerator& AcceleratorRegistry::at(const std::string& type) const {
  if (const Accelerator* a = find(type)) return *a;
  std::string known;
  for (const std::string& t : types()) known += (known.empty() ? "" : ", ") + t;
  throw std::invalid_argument(fmt::format("no accelerator '{}' is registered ({})", type, known));
}

}  // namespace haqsim
