// Ctrl-C and SIGTERM during a run: the first asks the run to stop (nodes are stopped, the
// history is kept and checked as far as it goes); a second one ends the controller at once,
// after stopping the nodes it knows of (they also die with it: PR_SET_PDEATHSIG).
#pragma once

#include <atomic>
#include <functional>

namespace faultline {

// Installs the handlers; `on_second_signal` runs in the signal handler, so it may only do
// async-signal-safe things (kill(2) by process group).
void install_interrupt_handlers(void (*on_second_signal)());

// True once SIGINT or SIGTERM has arrived.
bool interrupt_requested();

// The signal that arrived (SIGINT, SIGTERM), or 0.
int interrupt_signal();

}  // namespace faultline
