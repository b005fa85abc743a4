// Fuzz target: suite files (`faultline suite FILE`): parsing, then planning every run (which
// validates each run's options). A bad file is an error naming the file and field, never a crash.
#include <cstddef>
#include <cstdint>
#include <string>

#include "suite_spec.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  auto spec = faultline::parse_suite(text, "fuzz.json");
  if (spec && spec->seeds.size() * spec->configurations.size() <= 1000) (void)faultline::plan_suite(*spec, "store", "fuzz.json");
  return 0;
}
