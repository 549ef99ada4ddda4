// BISMO's registry entry (sim/registry.cpp): parses `type: bismo` configs and makes its models.
#pragma once

#include "sim/common/accelerator.h"

namespace haqsim::bismo {

const Accelerator& accelerator();

}  // namespace haqsim::bismo
