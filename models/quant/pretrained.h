// Where the shipped trained models live (models/pretrained/ in the source tree) and their
// naming: <model>_fmnist.bin (weights, float16, see float_model.h) and <model>_fmnist.yaml
// (how they were trained and their recorded float accuracy).
#pragma once

#include <string>

namespace haqsim {

std::string pretrained_dir();
std::string pretrained_weights_path(const std::string& model);
std::string pretrained_card_path(const std::string& model);

}  // namespace haqsim
