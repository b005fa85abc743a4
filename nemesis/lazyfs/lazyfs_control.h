// What faultline-lazyfs and the harness that drives it agree on: the control file in the
// mount's root (hidden from listings), the command written to it, and the filesystem type a
// mount shows in /proc/self/mountinfo ("fuse.faultline-lazyfs"), by which sweeps find them.
#pragma once

#include <string_view>

namespace faultline::lazyfs {

inline constexpr std::string_view control_path = "/.faultline-lazyfs";
inline constexpr std::string_view power_loss_command = "power-loss";
inline constexpr std::string_view filesystem_subtype = "faultline-lazyfs";
inline constexpr std::string_view filesystem_type = "fuse.faultline-lazyfs";

// "power-loss", with or without a trailing newline (echo's).
inline bool is_power_loss_command(std::string_view text) {
  if (!text.empty() && text.back() == '\n') text.remove_suffix(1);
  return text == power_loss_command;
}

}  // namespace faultline::lazyfs
