#include "lazyfs_mount.h"

#include <fcntl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <fstream>
#include <sstream>
#include <thread>

#include "adapter_limits.h"
#include "lazyfs_control.h"

namespace faultline {

namespace {

using Clock = std::chrono::steady_clock;

// mountinfo escapes space, tab, newline and backslash as \ooo.
std::string unescape_mountinfo(const std::string& field) {
  std::string out;
  for (std::size_t i = 0; i < field.size(); ++i) {
    if (field[i] == '\\' && i + 3 < field.size()) {
      const std::string octal = field.substr(i + 1, 3);
      if (octal.size() == 3 && octal.find_first_not_of("01234567") == std::string::npos) {
        out.push_back(static_cast<char>(std::stoi(octal, nullptr, 8)));
        i += 3;
        continue;
      }
    }
    out.push_back(field[i]);
  }
  return out;
}

// The mount points of every faultline-lazyfs mount, from /proc/self/mountinfo: after the
// fields "ID PARENT MAJ:MIN ROOT MOUNT_POINT OPTIONS [OPTIONAL...] - TYPE SOURCE SUPER".
std::vector<std::filesystem::path> lazyfs_mount_points() {
  std::vector<std::filesystem::path> points;
  std::ifstream in("/proc/self/mountinfo");
  std::string line;
  while (std::getline(in, line)) {
    std::istringstream fields(line);
    std::string id, parent, device, root, mount_point, field;
    fields >> id >> parent >> device >> root >> mount_point;
    while (fields >> field && field != "-") {
    }
    std::string type;
    fields >> type;
    if (type == lazyfs::filesystem_type) points.emplace_back(unescape_mountinfo(mount_point));
  }
  return points;
}

bool below(const std::filesystem::path& path, const std::filesystem::path& directory) {
  const std::string p = path.lexically_normal().string(), d = directory.lexically_normal().string();
  return p == d || (p.size() > d.size() && p.compare(0, d.size(), d) == 0 && (d.back() == '/' || p[d.size()] == '/'));
}

int detach(const std::filesystem::path& mount_point) {
  return ::umount2(mount_point.c_str(), MNT_DETACH) == 0 ? 0 : errno;
}

}  // namespace

LazyfsMount::LazyfsMount(std::filesystem::path program, std::filesystem::path backing,
                         std::filesystem::path mount_point, std::filesystem::path log)
    : program_(std::move(program)), backing_(std::move(backing)), mount_point_(std::move(mount_point)), log_(std::move(log)) {}

LazyfsMount::~LazyfsMount() { unmount(); }

TargetResult<void> LazyfsMount::mount() {
  if (mounted()) return {};
  std::error_code error;
  for (const std::filesystem::path& directory : {backing_, mount_point_}) {
    std::filesystem::create_directories(directory, error);
    if (error) return std::unexpected(TargetError{"cannot create " + directory.string() + ": " + error.message()});
  }
  daemon_ = std::make_unique<NodeProcess>(ProcessSpec{program_, {backing_.string(), mount_point_.string()}, log_});
  if (auto started = daemon_->start(); !started)
    return std::unexpected(TargetError{"faultline-lazyfs for " + mount_point_.string() + ": " + started.error().message});
  const std::filesystem::path control = mount_point_.string() + std::string(lazyfs::control_path);
  const auto deadline = Clock::now() + std::chrono::milliseconds(lazyfs_mount_timeout_ms);
  while (true) {
    struct stat info {};
    if (::stat(control.c_str(), &info) == 0) break;
    const bool exited = !daemon_->is_running();
    if (exited || Clock::now() >= deadline) {
      const std::string what = exited ? "exited (" + daemon_->status_text() + ")" : "did not serve within " +
                                                                                        std::to_string(lazyfs_mount_timeout_ms) + " ms";
      unmount();
      const std::string tail = read_file_tail(log_, log_tail_bytes_max);
      return std::unexpected(TargetError{"faultline-lazyfs at " + mount_point_.string() + " " + what + "; log " +
                                         log_.string() + (tail.empty() ? " is empty" : " ends with:\n" + tail)});
    }
    // Polling is the only way to learn that the kernel serves the mount; the deadline bounds it.
    std::this_thread::sleep_for(std::chrono::milliseconds(lazyfs_mount_poll_ms));
  }
  mounted_ = true;
  return {};
}

TargetResult<void> LazyfsMount::lose_power() {
  if (!mounted()) return std::unexpected(TargetError{"power loss at " + mount_point_.string() + ": not mounted"});
  const std::filesystem::path control = mount_point_.string() + std::string(lazyfs::control_path);
  const int fd = ::open(control.c_str(), O_WRONLY | O_CLOEXEC);
  if (fd < 0) return std::unexpected(TargetError{"power loss: cannot open " + control.string() + ": " + std::strerror(errno)});
  const ssize_t written = ::write(fd, lazyfs::power_loss_command.data(), lazyfs::power_loss_command.size());
  const int write_error = errno;
  ::close(fd);
  if (written != static_cast<ssize_t>(lazyfs::power_loss_command.size()))
    return std::unexpected(TargetError{"power loss: writing " + control.string() + ": " + std::strerror(write_error)});
  return {};
}

void LazyfsMount::unmount() noexcept {
  if (daemon_) {
    daemon_->terminate(std::chrono::milliseconds(lazyfs_unmount_grace_ms));
    daemon_.reset();
  }
  // A daemon that was killed leaves its mount behind, unanswering.
  if (is_lazyfs_mount_point(mount_point_)) detach(mount_point_);
  mounted_ = false;
}

std::string lazyfs_unavailable_reason() {
  if (::geteuid() != 0) return "mounting faultline-lazyfs needs root";
  const int fd = ::open("/dev/fuse", O_RDWR | O_CLOEXEC);
  if (fd < 0) return std::string("/dev/fuse cannot be opened: ") + std::strerror(errno);
  ::close(fd);
  return "";
}

bool is_lazyfs_mount_point(const std::filesystem::path& path) {
  for (const std::filesystem::path& point : lazyfs_mount_points())
    if (point.lexically_normal() == path.lexically_normal()) return true;
  return false;
}

LazyfsSweep sweep_dead_lazyfs_mounts(const std::filesystem::path& under) {
  LazyfsSweep sweep;
  for (const std::filesystem::path& point : lazyfs_mount_points()) {
    struct stat info {};
    const bool dead = ::stat(point.c_str(), &info) != 0 && errno == ENOTCONN;
    if (!dead && (under.empty() || !below(point, under))) continue;
    if (const int error = detach(point); error != 0)
      sweep.errors.push_back("cannot unmount " + point.string() + ": " + std::strerror(error));
    else
      sweep.removed.push_back(point.string());
  }
  return sweep;
}

}  // namespace faultline
