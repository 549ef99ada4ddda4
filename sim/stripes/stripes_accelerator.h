// Stripes' registry entry (sim/registry.cpp): parses `type: stripes` configs and makes its
// models.
#pragma once

#include "sim/common/accelerator.h"

namespace haqsim::stripes {

const Accelerator& accelerator();

}  // namespace haqsim::stripes
