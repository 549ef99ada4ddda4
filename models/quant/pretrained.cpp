#include "models/quant/pretrained.h"

#include <cstdlib>

namespace haqsim {

// HAQSIM_PRETRAINED_DIR overrides the compiled-in source-tree path (an installed copy).
std::string pretrained_dir() {
  if (const char* env = std::getenv("HAQSIM_PRETRAINED_DIR")) return env;
  return HAQSIM_PRETRAINED_DIR;
}

std::string pretrained_weights_path(const std::string& model) {
  return pretrained_dir() + "/" + model + "_fmnist.bin";
}

std::string pretrained_card_path(const std::string& model) {
  return pretrained_dir() + "/" + model + "_fmnist.yaml";
}

}  // namespace haqsim
