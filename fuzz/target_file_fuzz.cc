// Fuzz target: target files (`--target command --target-file FILE`). A bad file is an error
// naming the file and field, never a crash.
#include <cstddef>
#include <cstdint>
#include <string>

#include "command/target_file.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  (void)faultline::parse_target_file(std::string(reinterpret_cast<const char*>(data), size), "fuzz.target.json");
  return 0;
}
