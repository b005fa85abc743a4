// What a program prints (stdout and stderr together) when run with `arguments` to the end, for
// the targets' version probes ("etcd --version"). Empty when it cannot be run.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace faultline {

std::string program_output(const std::filesystem::path& program, const std::vector<std::string>& arguments);

}  // namespace faultline
