// A hosts file (`faultline test --hosts hosts.json`): the machines a cluster runs on, one node
// per host, reached over SSH. The format:
//
//   {
//     "hosts": [
//       {"address": "10.0.0.11",          // where SSH, peers and clients reach the host (required)
//        "port": 22,                      // its SSH port
//        "user": "root",                  // the SSH user: root, or one with passwordless sudo for
//                                         // network faults (iptables)
//        "identity": "/path/to/key",      // ssh -i; default: the user's own keys and agent
//        "known_hosts": "/path/to/file",  // host keys to trust (strict); default: ~/.ssh/known_hosts
//        "node": "n1",                    // the node it runs; default: the first that no host names
//        "directory": "/tmp/faultline",   // where runs keep their files on the host
//        "clock": true},                  // false: the host's real clock must not be changed
//       ...
//     ]
//   }
//
// A top-level "controller_namespace" (written by scripts/test-hosts: hosts that only a network
// namespace of this machine can reach) makes faultline refuse to run anywhere else.
//
// Errors: values naming the file and the field's path: "hosts.json: hosts[1].port: expected an
// integer from 1 to 65535, got 0".
#pragma once

#include <expected>
#include <filesystem>
#include <string>
#include <vector>

namespace faultline {

struct HostEntry {
  std::string address;
  int port = 22;
  std::string user = "root";
  std::filesystem::path identity;     // empty: ssh's defaults
  std::filesystem::path known_hosts;  // empty: ssh's defaults
  std::string node;                   // n1..nN
  std::string directory = "/tmp/faultline";
  bool clock = true;
};

struct HostsFile {
  std::filesystem::path path;
  std::vector<HostEntry> hosts;  // in node order: hosts[i] runs n<i+1>
  // The network namespace the controller must run in to reach these hosts (scripts/test-hosts'
  // hosts exist only there); empty: any.
  std::string controller_namespace;
};

// Empty when this process runs in `hosts`' controller namespace (or it names none); else why
// not, for the user: "run faultline in it: ip netns exec NAME faultline ...".
std::string controller_namespace_problem(const HostsFile& hosts);

// Reads and checks the file. Errors: "PATH: FIELD: what is wrong" (or "PATH: cannot read").
std::expected<HostsFile, std::string> read_hosts_file(const std::filesystem::path& path);
// The same, from text (tests); `path` names it in errors.
std::expected<HostsFile, std::string> parse_hosts_file(const std::string& text, const std::filesystem::path& path);

}  // namespace faultline
