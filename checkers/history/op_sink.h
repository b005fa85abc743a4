// How readers hand over operations as they stream them: one call per op, with its line.
#pragma once

#include <cstdint>
#include <functional>

#include "input_error.h"
#include "op.h"

namespace faultline {

using OpSink = std::function<Expected<void>(Op op, std::int64_t line)>;

}  // namespace faultline
