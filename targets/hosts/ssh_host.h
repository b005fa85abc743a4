// One host of a --hosts run, reached with the OpenSSH client (ssh), through one multiplexed
// connection (ControlMaster): the first command opens it, later ones reuse it, close() ends it.
// Why the OpenSSH client and not libssh: a user's ~/.ssh/config, agent, ProxyJump and
// known_hosts work as they already do for them, and nothing of SSH is re-implemented here.
//
// Every command runs under `sh -c` on the host as the hosts file's user; as_root() prefixes
// `sudo -n` for a user that is not root. ssh never asks anything (BatchMode): a host that needs
// a password or an unknown host key fails at once with ssh's own message.
//
// Thread-safe: each call runs its own ssh process.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "hosts_file.h"

namespace faultline {

struct RemoteResult {
  int exit_code = -1;  // the command's; 255: ssh itself failed (unreachable, refused, host key)
  std::string output;  // stdout and stderr together
  bool ok() const { return exit_code == 0; }
  // What it printed, without trailing blanks, for messages; "no output" when nothing.
  std::string said() const {
    std::string text = output;
    while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
    return text.empty() ? "no output" : text;
  }
};

// `text` as one word for sh: '...' with embedded quotes escaped.
std::string shell_quote(const std::string& text);

class SshHost {
 public:
  // `control_directory`: where the connection's socket lives (short: sockets have a 108-byte limit).
  SshHost(HostEntry entry, std::filesystem::path control_directory);

  const HostEntry& entry() const { return entry_; }
  // "root@10.0.0.11:22 (n1)", for messages.
  std::string name() const;

  // Runs `command` under sh on the host; `input` on its standard input.
  RemoteResult run(const std::string& command, const std::string& input = "") const;
  // `command` as root: unchanged for root, else through `sudo -n` (set_root_by_sudo).
  std::string as_root(const std::string& command) const;
  void set_root_by_sudo(bool by_sudo) { root_by_sudo_ = by_sudo; }

  // Copies the local file to `remote_path` (its directory must exist) and makes it executable.
  RemoteResult upload(const std::filesystem::path& local, const std::string& remote_path) const;
  // Copies the remote directory's contents into `local` (created), as a tar stream.
  RemoteResult download_directory(const std::string& remote_directory, const std::filesystem::path& local) const;
  // Ends the shared connection (ssh -O exit). Idempotent.
  void close() const;

  // ssh's arguments up to the destination: options, port, identity, control socket.
  std::vector<std::string> ssh_arguments() const;

 private:
  HostEntry entry_;
  std::filesystem::path control_directory_;
  bool root_by_sudo_ = false;
};

}  // namespace faultline
