// BitFusion's registry entry (sim/registry.cpp): parses `type: bitfusion` configs and makes its
// models.
#pragma once

#include "sim/common/accelerator.h"

namespace haqsim::bitfusion {

const Accelerator& accelerator();

}  // namespace haqsim::bitfusion
