#include "in_network_namespace.h"

#include <fcntl.h>
#include <sched.h>
#include <unistd.h>

#include <cstdlib>

namespace faultline {

bool in_network_namespace(int namespace_fd, const std::function<void()>& code) {
  const int own = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
  if (own < 0) return false;
  const bool entered = setns(namespace_fd, CLONE_NEWNET) == 0;
  if (entered) {
    code();
    if (setns(own, CLONE_NEWNET) != 0) std::abort();  // this thread would now live in the node's namespace
  }
  close(own);
  return entered;
}

int open_network_namespace(const std::string& name) {
  return open(("/run/netns/" + name).c_str(), O_RDONLY | O_CLOEXEC);
}

}  // namespace faultline
