// Runs code with the calling thread inside a network namespace the project made, then returns
// the thread to its own. setns is per thread: a socket stays in the namespace it was made in,
// and a thread started meanwhile lives in it for good (the ZooKeeper client's I/O thread).
#pragma once

#include <functional>
#include <string>

namespace faultline {

// `namespace_fd`: an open descriptor of /run/netns/<name>. False (and `code` not run) when the
// thread cannot enter it. Aborts when the thread cannot return: it would go on living in the
// node's namespace.
bool in_network_namespace(int namespace_fd, const std::function<void()>& code);

// Opens /run/netns/<name> (O_CLOEXEC); -1 with errno set when it cannot.
int open_network_namespace(const std::string& name);

}  // namespace faultline
