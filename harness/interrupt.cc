#include "interrupt.h"

#include <csignal>
#include <unistd.h>

namespace faultline {
namespace {

std::atomic<int> signal_received{0};
std::atomic<int> signal_count{0};
void (*second_signal_action)() = nullptr;

extern "C" void on_signal(int signal) {
  signal_received.store(signal);
  if (signal_count.fetch_add(1) >= 1) {
    if (second_signal_action != nullptr) second_signal_action();
    _exit(128 + signal);
  }
}

}  // namespace

void install_interrupt_handlers(void (*on_second_signal)()) {
  second_signal_action = on_second_signal;
  struct sigaction action {};
  action.sa_handler = on_signal;
  sigemptyset(&action.sa_mask);
  sigaction(SIGINT, &action, nullptr);
  sigaction(SIGTERM, &action, nullptr);
}

bool interrupt_requested() { return signal_received.load() != 0; }

int interrupt_signal() { return signal_received.load(); }

}  // namespace faultline
