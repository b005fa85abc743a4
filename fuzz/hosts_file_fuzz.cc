// Fuzz target: hosts files (`faultline test --hosts FILE`). A bad file is an error naming the
// file and field, never a crash.
#include <cstddef>
#include <cstdint>
#include <string>

#include "hosts/hosts_file.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  (void)faultline::parse_hosts_file(std::string(reinterpret_cast<const char*>(data), size), "fuzz.hosts.json");
  return 0;
}
