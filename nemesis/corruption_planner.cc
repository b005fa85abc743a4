#include "corruption_planner.h"

#include <cmath>

namespace faultline {

FileCorruption next_file_corruption(std::mt19937_64& random) {
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  FileCorruption corruption;
  corruption.file = unit(random);
  if (std::uniform_int_distribution<int>(0, 1)(random) == 0) {
    corruption.kind = FileCorruption::Kind::truncate;
    // The fourth root of a uniform draw: a median of 0.84 of the file kept, and always below 1.
    corruption.keep = std::pow(unit(random), 0.25);
    if (corruption.keep >= 1.0) corruption.keep = std::nextafter(1.0, 0.0);
    return corruption;
  }
  corruption.kind = FileCorruption::Kind::bitflip;
  const int flips = std::uniform_int_distribution<int>(1, corruption_bit_flips_max)(random);
  for (int i = 0; i < flips; ++i) {
    const double where = unit(random);
    corruption.flips.emplace_back(where, std::uniform_int_distribution<int>(0, 7)(random));
  }
  return corruption;
}

}  // namespace faultline
