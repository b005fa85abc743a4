// The flags of `faultline test`, bound to a TestOptions, for every command that takes them
// (`test`, and `replay`, whose flags override what the recorded run used).
#pragma once

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "adapter/target_kind.h"
#include "test_options.h"

namespace CLI {
class App;
}

namespace faultline {

struct TestFlags {
  std::shared_ptr<TestOptions> options;
  // The options of targets other than the bundled one, as text until finish_test_flags types them.
  std::shared_ptr<std::vector<std::pair<TargetOptionSpec, std::string>>> target_texts;
};

// Adds every test flag (--options-file excepted) to `command`, writing into `options`.
TestFlags bind_test_flags(CLI::App* command, std::shared_ptr<TestOptions> options);

// After parsing: types the target options given, empties "none" lists, and refuses a flag
// given for something the run does not do. Returns what is wrong, for people; empty when nothing.
std::string finish_test_flags(CLI::App* command, const TestFlags& flags);

}  // namespace faultline
