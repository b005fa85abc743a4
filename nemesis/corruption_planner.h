// The corrupt nemesis's draw: how to damage a stopped node's data files (Jepsen's bitflip and
// truncate), as a plan of fractions (targets/adapter/file_corruption.h) — the planner cannot
// see the disk. Pure and seeded (STYLE principles 7, 8). Half the plans flip 1 to
// `bit_flips_max` bits at places spread over one file; half cut one file short, keeping a
// share drawn towards the whole file (most cuts take a little off the end, where a torn write
// would be, some take most of it).
#pragma once

#include <random>

#include "adapter/file_corruption.h"

namespace faultline {

inline constexpr int corruption_bit_flips_max = 3;

FileCorruption next_file_corruption(std::mt19937_64& random);

}  // namespace faultline
