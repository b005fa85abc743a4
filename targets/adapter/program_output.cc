#include "program_output.h"

#include <stdio.h>

#include <array>

namespace faultline {
namespace {

std::string shell_quoted(const std::string& text) {
  std::string out = "'";
  for (char c : text) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

}  // namespace

std::string program_output(const std::filesystem::path& program, const std::vector<std::string>& arguments) {
  std::string command = shell_quoted(program.string());
  for (const std::string& argument : arguments) command += " " + shell_quoted(argument);
  FILE* pipe = popen((command + " 2>&1 </dev/null").c_str(), "r");
  if (pipe == nullptr) return "";
  std::string output;
  std::array<char, 256> buffer;
  while (fgets(buffer.data(), buffer.size(), pipe) != nullptr) output += buffer.data();
  pclose(pipe);
  return output;
}

}  // namespace faultline
