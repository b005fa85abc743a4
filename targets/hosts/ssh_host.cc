#include "ssh_host.h"

#include "netns/system_command.h"

namespace faultline {

std::string shell_quote(const std::string& text) {
  std::string quoted = "'";
  for (char c : text) quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return quoted + "'";
}

SshHost::SshHost(HostEntry entry, std::filesystem::path control_directory)
    : entry_(std::move(entry)), control_directory_(std::move(control_directory)) {}

std::string SshHost::name() const {
  return entry_.user + "@" + entry_.address + ":" + std::to_string(entry_.port) + " (" + entry_.node + ")";
}

std::vector<std::string> SshHost::ssh_arguments() const {
  std::vector<std::string> arguments = {
      "ssh", "-o", "BatchMode=yes", "-o", "ConnectTimeout=5", "-o", "ServerAliveInterval=2", "-o",
      "ServerAliveCountMax=3", "-o", "ControlMaster=auto", "-o",
      "ControlPath=" + (control_directory_ / (entry_.node + ".sock")).string(), "-o", "ControlPersist=120", "-o",
      "LogLevel=ERROR", "-p", std::to_string(entry_.port), "-l", entry_.user};
  if (!entry_.identity.empty()) {
    arguments.insert(arguments.end(), {"-i", entry_.identity.string(), "-o", "IdentitiesOnly=yes"});
  }
  if (!entry_.known_hosts.empty())
    arguments.insert(arguments.end(), {"-o", "UserKnownHostsFile=" + entry_.known_hosts.string(), "-o",
                                       "StrictHostKeyChecking=yes"});
  return arguments;
}

RemoteResult SshHost::run(const std::string& command, const std::string& input) const {
  std::vector<std::string> arguments = ssh_arguments();
  arguments.push_back(entry_.address);
  arguments.push_back("--");
  arguments.push_back(command);
  const netns::CommandResult result = netns::run_command(arguments, input);
  return {result.exit_code, result.output};
}

std::string SshHost::as_root(const std::string& command) const {
  return root_by_sudo_ ? "sudo -n sh -c " + shell_quote(command) : command;
}

namespace {

// The ssh command line as one sh word list, for pipelines run by the local sh.
std::string quoted_words(const std::vector<std::string>& words) {
  std::string line;
  for (const std::string& word : words) line += (line.empty() ? "" : " ") + shell_quote(word);
  return line;
}

}  // namespace

RemoteResult SshHost::upload(const std::filesystem::path& local, const std::string& remote_path) const {
  std::vector<std::string> arguments = ssh_arguments();
  arguments.push_back(entry_.address);
  arguments.push_back("--");
  const std::string remote = "cat > " + shell_quote(remote_path) + " && chmod 755 " + shell_quote(remote_path);
  const std::string pipeline = quoted_words(arguments) + " " + shell_quote(remote) + " < " + shell_quote(local.string());
  const netns::CommandResult result = netns::run_command({"sh", "-c", pipeline});
  return {result.exit_code, result.output};
}

RemoteResult SshHost::download_directory(const std::string& remote_directory, const std::filesystem::path& local) const {
  std::error_code error;
  std::filesystem::create_directories(local, error);
  if (error) return {1, "cannot create " + local.string() + ": " + error.message()};
  std::vector<std::string> arguments = ssh_arguments();
  arguments.push_back(entry_.address);
  arguments.push_back("--");
  const std::string remote = "tar -C " + shell_quote(remote_directory) + " -cf - .";
  // pipefail: a failing ssh or remote tar is the result, not just the local tar's.
  const std::string pipeline = "set -o pipefail; " + quoted_words(arguments) + " " + shell_quote(remote) +
                               " | tar -C " + shell_quote(local.string()) + " -xf -";
  const netns::CommandResult result = netns::run_command({"bash", "-c", pipeline});
  return {result.exit_code, result.output};
}

void SshHost::close() const {
  std::vector<std::string> arguments = ssh_arguments();
  arguments.insert(arguments.end(), {"-O", "exit", entry_.address});
  netns::run_command(arguments);
}

}  // namespace faultline
