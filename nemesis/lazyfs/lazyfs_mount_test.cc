// faultline-lazyfs on real mounts: files written, fsynced or not, through the kernel; a power
// loss; an unmount and a new mount; what is read back. Needs root and /dev/fuse, else skipped.
#include <fcntl.h>
#include <unistd.h>

#include <signal.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <cstdio>
#include <fstream>
#include <sstream>

#include "lazyfs_mount.h"
#include "skip_test.h"
#include "test_support.h"

using namespace faultline;

namespace {

std::filesystem::path lazyfs_binary() { return testing::node_binary().parent_path() / "faultline-lazyfs"; }

void skip_unless_mountable() {
  if (std::string reason = lazyfs_unavailable_reason(); !reason.empty()) skip_test(reason);
}

// A mount on a temporary directory; unmounted before the directory is removed.
struct MountedDisk {
  bool mountable = (skip_unless_mountable(), true);  // first: a skipped case makes no directory
  testing::TempDir directory;
  LazyfsMount mount{lazyfs_binary(), directory.path() / "backing", directory.path() / "data", directory.path() / "lazyfs.log"};

  MountedDisk() {
    auto mounted = mount.mount();
    INFO((mounted ? std::string() : mounted.error().message));
    REQUIRE(mounted);
  }
  std::filesystem::path at(const std::string& name) const { return directory.path() / "data" / name; }
  // What a power loss does to the node's disk: un-fsynced data dropped, then a fresh mount.
  void lose_power_and_remount() {
    auto lost = mount.lose_power();
    INFO((lost ? std::string() : lost.error().message));
    REQUIRE(lost);
    mount.unmount();
    REQUIRE_FALSE(is_lazyfs_mount_point(mount.mount_point()));
    REQUIRE(mount.mount());
  }
};

void write_file(const std::filesystem::path& path, const std::string& text, bool fsync_it) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  REQUIRE(fd >= 0);
  REQUIRE(::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size()));
  if (fsync_it) REQUIRE(::fsync(fd) == 0);
  ::close(fd);
}

void fsync_directory(const std::filesystem::path& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  REQUIRE(fd >= 0);
  REQUIRE(::fsync(fd) == 0);
  ::close(fd);
}

std::string read_file(const std::filesystem::path& path) {
  if (!std::filesystem::exists(path)) return "<none>";
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace

TEST_CASE("fsynced data survives a power loss and a remount, data written after the fsync does not") {
  MountedDisk disk;
  write_file(disk.at("log"), "durable", true);
  fsync_directory(disk.at(""));
  write_file(disk.at("log"), "+lost", false);
  CHECK(read_file(disk.at("log")) == "durable+lost");
  disk.lose_power_and_remount();
  CHECK(read_file(disk.at("log")) == "durable");
  CHECK(read_file(disk.directory.path() / "backing" / "log") == "durable");
}

TEST_CASE("fdatasync makes a file's content durable too") {
  MountedDisk disk;
  write_file(disk.at("log"), "", true);
  fsync_directory(disk.at(""));
  const int fd = ::open(disk.at("log").c_str(), O_WRONLY | O_APPEND | O_CLOEXEC);
  REQUIRE(fd >= 0);
  REQUIRE(::write(fd, "abc", 3) == 3);
  REQUIRE(::fdatasync(fd) == 0);
  REQUIRE(::write(fd, "def", 3) == 3);
  ::close(fd);
  disk.lose_power_and_remount();
  CHECK(read_file(disk.at("log")) == "abc");
}

TEST_CASE("a file created without a directory fsync is gone after a power loss, even fsynced itself") {
  MountedDisk disk;
  write_file(disk.at("new"), "content", true);
  CHECK(read_file(disk.at("new")) == "content");
  disk.lose_power_and_remount();
  CHECK(read_file(disk.at("new")) == "<none>");
}

TEST_CASE("a rename without a directory fsync is undone by a power loss, with one it holds") {
  MountedDisk disk;
  write_file(disk.at("old"), "x", true);
  fsync_directory(disk.at(""));
  std::filesystem::rename(disk.at("old"), disk.at("new"));
  disk.lose_power_and_remount();
  CHECK(read_file(disk.at("old")) == "x");
  CHECK(read_file(disk.at("new")) == "<none>");

  std::filesystem::rename(disk.at("old"), disk.at("new"));
  fsync_directory(disk.at(""));
  disk.lose_power_and_remount();
  CHECK(read_file(disk.at("old")) == "<none>");
  CHECK(read_file(disk.at("new")) == "x");
}

TEST_CASE("an unlink without a directory fsync is undone by a power loss") {
  MountedDisk disk;
  write_file(disk.at("f"), "kept", true);
  fsync_directory(disk.at(""));
  std::filesystem::remove(disk.at("f"));
  disk.lose_power_and_remount();
  CHECK(read_file(disk.at("f")) == "kept");
}

TEST_CASE("a mount shows the backing directory's files, and its control file is not listed") {
  MountedDisk disk;
  write_file(disk.at("a"), "1", true);
  std::filesystem::create_directory(disk.at("d"));
  write_file(disk.at("d/b"), "2", true);
  fsync_directory(disk.at("d"));
  fsync_directory(disk.at(""));
  disk.mount.unmount();
  REQUIRE(disk.mount.mount());
  std::vector<std::string> names;
  for (const auto& entry : std::filesystem::directory_iterator(disk.at(""))) names.push_back(entry.path().filename());
  std::sort(names.begin(), names.end());
  CHECK(names == std::vector<std::string>{"a", "d"});
  CHECK(read_file(disk.at("d/b")) == "2");
}

TEST_CASE("a mount whose daemon was killed is swept, live mounts only when below the directory asked") {
  MountedDisk dead;
  MountedDisk live;
  // A controller killed with SIGKILL: its daemons die with it and leave their mounts behind.
  REQUIRE(dead.mount.daemon_pid() > 0);
  REQUIRE(::kill(dead.mount.daemon_pid(), SIGKILL) == 0);
  LazyfsSweep swept;
  for (int attempt = 0; attempt < 100; ++attempt) {
    swept = sweep_dead_lazyfs_mounts();
    if (!swept.removed.empty()) break;
    ::usleep(10'000);  // until the kernel sees the daemon gone
  }
  CHECK(swept.errors.empty());
  CHECK(std::find(swept.removed.begin(), swept.removed.end(), dead.mount.mount_point().string()) != swept.removed.end());
  CHECK(std::find(swept.removed.begin(), swept.removed.end(), live.mount.mount_point().string()) == swept.removed.end());
  CHECK_FALSE(is_lazyfs_mount_point(dead.mount.mount_point()));
  CHECK(is_lazyfs_mount_point(live.mount.mount_point()));
  swept = sweep_dead_lazyfs_mounts(live.directory.path());
  CHECK(swept.removed == std::vector<std::string>{live.mount.mount_point().string()});
  CHECK_FALSE(is_lazyfs_mount_point(live.mount.mount_point()));
}
