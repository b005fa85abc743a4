// The one thread that forks every node process.
//
// Nodes are started with prctl(PR_SET_PDEATHSIG, SIGKILL) so that they die with the
// controller. Linux sends that signal when the *thread* that forked the child exits, not the
// process: a node restarted from a nemesis thread would be killed the moment that thread
// ends. So every fork happens here, on a thread that lives until the program exits.
#pragma once

#include <functional>

namespace faultline {

// Runs `task` on the launcher thread and waits for it; an exception it throws is rethrown here.
void run_on_launcher_thread(const std::function<void()>& task);

}  // namespace faultline
