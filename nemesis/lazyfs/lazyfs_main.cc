// faultline-lazyfs BACKING MOUNTPOINT: serves BACKING at MOUNTPOINT through FUSE, keeping
// written-but-not-fsynced data in memory (lazy_tree.h), until MOUNTPOINT is unmounted or the
// process gets SIGTERM/SIGINT (then it unmounts). Writing "power-loss" to
// MOUNTPOINT/.faultline-lazyfs drops every un-fsynced change; the write returns once it is
// done. README.md beside this file says what is kept and what is not.
//
// A thin adapter: each FUSE call becomes one LazyTree call. The loop is single-threaded, so
// calls never overlap. Mounted with direct_io and zero cache timeouts, so that the kernel
// keeps no copy of file data or names that a power loss must take away.
#define FUSE_USE_VERSION 31
#include <fcntl.h>
#include <fuse.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <string>
#include <string_view>

#include "backing_directory.h"
#include "lazyfs_control.h"

namespace {

using namespace faultline::lazyfs;

struct Mount {
  std::filesystem::path backing_root;
  BackingDirectory backing;
  LazyTree tree;
  explicit Mount(std::filesystem::path root) : backing_root(root), backing(root), tree(backing) {}
};

Mount* mount_state() { return static_cast<Mount*>(fuse_get_context()->private_data); }

std::int64_t now_ns() {
  timespec now{};
  clock_gettime(CLOCK_REALTIME, &now);
  return static_cast<std::int64_t>(now.tv_sec) * 1'000'000'000 + now.tv_nsec;
}

bool is_control(const char* path) { return path != nullptr && std::string_view(path) == control_path; }

// The inode a call is about: the open handle's when there is one, else the path's.
std::int64_t inode_of(const char* path, const fuse_file_info* info) {
  if (info != nullptr && info->fh != 0) return static_cast<std::int64_t>(info->fh);
  if (path == nullptr) return -ENOENT;
  return mount_state()->tree.resolve(path);
}

void fill_stat(const Inode& inode, struct stat* out) {
  std::memset(out, 0, sizeof *out);
  out->st_ino = inode.id;
  out->st_uid = getuid();
  out->st_gid = getgid();
  const timespec modified{static_cast<time_t>(inode.modified_ns / 1'000'000'000), static_cast<long>(inode.modified_ns % 1'000'000'000)};
  out->st_mtim = out->st_ctim = out->st_atim = modified;
  if (inode.kind == InodeKind::directory) {
    out->st_mode = S_IFDIR | inode.mode;
    out->st_nlink = 2;
    out->st_size = 4096;
  } else {
    out->st_mode = S_IFREG | inode.mode;
    out->st_nlink = static_cast<nlink_t>(std::max(inode.links, 1));
    out->st_size = static_cast<off_t>(inode.content.size());
    out->st_blocks = (out->st_size + 511) / 512;
  }
  out->st_blksize = 4096;
}

void* lazyfs_init(fuse_conn_info*, fuse_config* config) {
  config->use_ino = 1;
  config->direct_io = 1;       // no page cache: reads come here, so dropped bytes stay dropped
  config->kernel_cache = 0;
  config->entry_timeout = 0;   // no cached names or attributes either
  config->attr_timeout = 0;
  config->negative_timeout = 0;
  config->hard_remove = 1;     // an unlinked open file stays readable through its handle
  config->nullpath_ok = 1;
  return fuse_get_context()->private_data;
}

int lazyfs_getattr(const char* path, struct stat* out, fuse_file_info* info) {
  if (is_control(path)) {
    std::memset(out, 0, sizeof *out);
    out->st_mode = S_IFREG | 0600;
    out->st_nlink = 1;
    return 0;
  }
  const std::int64_t id = inode_of(path, info);
  if (id < 0) return static_cast<int>(id);
  const Inode* inode = mount_state()->tree.find(static_cast<InodeId>(id));
  if (inode == nullptr) return -ENOENT;
  fill_stat(*inode, out);
  return 0;
}

// Directories get handles too: with nullpath_ok, calls on a handle come without a path.
int lazyfs_opendir(const char* path, fuse_file_info* info) {
  Mount& mount = *mount_state();
  const std::int64_t id = mount.tree.resolve(path);
  if (id < 0) return static_cast<int>(id);
  if (int opened = mount.tree.open(static_cast<InodeId>(id)); opened < 0) return opened;
  info->fh = static_cast<std::uint64_t>(id);
  return 0;
}

int lazyfs_releasedir(const char*, fuse_file_info* info) {
  if (info->fh != 0) mount_state()->tree.release(static_cast<InodeId>(info->fh));
  return 0;
}

int lazyfs_readdir(const char* path, void* buffer, fuse_fill_dir_t fill, off_t, fuse_file_info* info,
                   fuse_readdir_flags) {
  const std::int64_t id = inode_of(path, info);
  if (id < 0) return static_cast<int>(id);
  fill(buffer, ".", nullptr, 0, static_cast<fuse_fill_dir_flags>(0));
  fill(buffer, "..", nullptr, 0, static_cast<fuse_fill_dir_flags>(0));
  for (const DirectoryEntry& entry : mount_state()->tree.list(static_cast<InodeId>(id))) {
    struct stat st {};
    st.st_ino = entry.id;
    st.st_mode = entry.kind == InodeKind::directory ? S_IFDIR : S_IFREG;
    fill(buffer, entry.name.c_str(), &st, 0, static_cast<fuse_fill_dir_flags>(0));
  }
  return 0;
}

int lazyfs_create(const char* path, mode_t mode, fuse_file_info* info) {
  if (is_control(path)) return -EEXIST;
  Mount& mount = *mount_state();
  const std::int64_t id = mount.tree.create_file(path, mode, now_ns());
  if (id < 0) return static_cast<int>(id);
  mount.tree.open(static_cast<InodeId>(id));
  info->fh = static_cast<std::uint64_t>(id);
  info->direct_io = 1;
  return 0;
}

int lazyfs_open(const char* path, fuse_file_info* info) {
  info->direct_io = 1;
  if (is_control(path)) {
    info->fh = 0;
    return 0;
  }
  Mount& mount = *mount_state();
  const std::int64_t id = mount.tree.resolve(path);
  if (id < 0) return static_cast<int>(id);
  if (int opened = mount.tree.open(static_cast<InodeId>(id)); opened < 0) return opened;
  info->fh = static_cast<std::uint64_t>(id);
  if (info->flags & O_TRUNC) mount.tree.truncate(static_cast<InodeId>(id), 0, now_ns());
  return 0;
}

int lazyfs_release(const char*, fuse_file_info* info) {
  if (info->fh != 0) mount_state()->tree.release(static_cast<InodeId>(info->fh));
  return 0;
}

int lazyfs_read(const char* path, char* buffer, size_t size, off_t offset, fuse_file_info* info) {
  if (is_control(path)) return 0;
  const std::int64_t id = inode_of(path, info);
  if (id < 0) return static_cast<int>(id);
  return static_cast<int>(mount_state()->tree.read(static_cast<InodeId>(id), buffer, size, static_cast<std::uint64_t>(offset)));
}

int lazyfs_write(const char* path, const char* data, size_t size, off_t offset, fuse_file_info* info) {
  Mount& mount = *mount_state();
  if (is_control(path) || (info != nullptr && info->fh == 0)) {
    if (!is_power_loss_command(std::string_view(data, size))) return -EINVAL;
    if (auto loaded = load_backing_directory(mount.backing_root, mount.tree); !loaded) {
      std::fprintf(stderr, "faultline-lazyfs: power loss: %s\n", loaded.error().c_str());
      return -EIO;
    }
    std::fprintf(stderr, "faultline-lazyfs: power loss: un-fsynced data dropped\n");
    return static_cast<int>(size);
  }
  const std::int64_t id = inode_of(path, info);
  if (id < 0) return static_cast<int>(id);
  return static_cast<int>(mount.tree.write(static_cast<InodeId>(id), data, size, static_cast<std::uint64_t>(offset), now_ns()));
}

int lazyfs_truncate(const char* path, off_t size, fuse_file_info* info) {
  if (is_control(path)) return 0;
  const std::int64_t id = inode_of(path, info);
  if (id < 0) return static_cast<int>(id);
  return mount_state()->tree.truncate(static_cast<InodeId>(id), static_cast<std::uint64_t>(size), now_ns());
}

int lazyfs_fsync(const char* path, int, fuse_file_info* info) {
  if (is_control(path)) return 0;
  const std::int64_t id = inode_of(path, info);
  if (id < 0) return static_cast<int>(id);
  return mount_state()->tree.sync_file(static_cast<InodeId>(id));
}

int lazyfs_fsyncdir(const char* path, int, fuse_file_info* info) {
  const std::int64_t id = inode_of(path, info);
  if (id < 0) return static_cast<int>(id);
  return mount_state()->tree.sync_directory(static_cast<InodeId>(id));
}

int lazyfs_mkdir(const char* path, mode_t mode) { return mount_state()->tree.make_directory(path, mode, now_ns()); }
int lazyfs_unlink(const char* path) { return is_control(path) ? -EPERM : mount_state()->tree.unlink(path); }
int lazyfs_rmdir(const char* path) { return mount_state()->tree.remove_directory(path); }

int lazyfs_rename(const char* from, const char* to, unsigned int flags) {
  if (is_control(from) || is_control(to)) return -EPERM;
  if (flags & ~static_cast<unsigned int>(RENAME_NOREPLACE)) return -EINVAL;  // no RENAME_EXCHANGE
  return mount_state()->tree.rename(from, to, (flags & RENAME_NOREPLACE) != 0);
}

int lazyfs_chmod(const char* path, mode_t mode, fuse_file_info* info) {
  if (is_control(path)) return 0;
  const std::int64_t id = inode_of(path, info);
  if (id < 0) return static_cast<int>(id);
  return mount_state()->tree.set_mode(static_cast<InodeId>(id), mode);
}

int lazyfs_chown(const char*, uid_t, gid_t, fuse_file_info*) { return 0; }

int lazyfs_utimens(const char* path, const timespec times[2], fuse_file_info* info) {
  if (is_control(path)) return 0;
  const std::int64_t id = inode_of(path, info);
  if (id < 0) return static_cast<int>(id);
  if (times == nullptr || times[1].tv_nsec == UTIME_NOW) return mount_state()->tree.set_modified(static_cast<InodeId>(id), now_ns());
  if (times[1].tv_nsec == UTIME_OMIT) return 0;
  return mount_state()->tree.set_modified(static_cast<InodeId>(id),
                                          static_cast<std::int64_t>(times[1].tv_sec) * 1'000'000'000 + times[1].tv_nsec);
}

int lazyfs_statfs(const char*, struct statvfs* out) {
  return ::statvfs(mount_state()->backing_root.c_str(), out) == 0 ? 0 : -errno;
}

fuse_operations operations() {
  fuse_operations ops{};
  ops.init = lazyfs_init;
  ops.getattr = lazyfs_getattr;
  ops.opendir = lazyfs_opendir;
  ops.releasedir = lazyfs_releasedir;
  ops.readdir = lazyfs_readdir;
  ops.create = lazyfs_create;
  ops.open = lazyfs_open;
  ops.release = lazyfs_release;
  ops.read = lazyfs_read;
  ops.write = lazyfs_write;
  ops.truncate = lazyfs_truncate;
  ops.fsync = lazyfs_fsync;
  ops.fsyncdir = lazyfs_fsyncdir;
  ops.mkdir = lazyfs_mkdir;
  ops.unlink = lazyfs_unlink;
  ops.rmdir = lazyfs_rmdir;
  ops.rename = lazyfs_rename;
  ops.chmod = lazyfs_chmod;
  ops.chown = lazyfs_chown;
  ops.utimens = lazyfs_utimens;
  ops.statfs = lazyfs_statfs;
  return ops;
}

constexpr int exit_usage = 2;
constexpr int exit_cannot_mount = 3;

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3 || std::string_view(argv[1]) == "--help") {
    std::fprintf(stderr,
                 "usage: faultline-lazyfs BACKING MOUNTPOINT\n"
                 "Serves BACKING at MOUNTPOINT, keeping data that is not fsynced in memory. Writing\n"
                 "'%s' to MOUNTPOINT%s drops every change not yet fsynced (file contents;\n"
                 "creates, renames and unlinks whose directory was not fsynced). Runs in the\n"
                 "foreground until MOUNTPOINT is unmounted or SIGTERM. See nemesis/lazyfs/README.md.\n",
                 std::string(power_loss_command).c_str(), std::string(control_path).c_str());
    return argc == 2 ? 0 : exit_usage;
  }
  const std::filesystem::path backing = std::filesystem::absolute(argv[1]);
  Mount mount(backing);
  if (auto loaded = load_backing_directory(backing, mount.tree); !loaded) {
    std::fprintf(stderr, "faultline-lazyfs: %s\n", loaded.error().c_str());
    return exit_cannot_mount;
  }
  const fuse_operations ops = operations();
  const std::string options = "fsname=" + backing.string() + ",subtype=" + std::string(filesystem_subtype);
  char* fuse_argv[] = {argv[0], const_cast<char*>("-o"), const_cast<char*>(options.c_str()), nullptr};
  fuse_args args = FUSE_ARGS_INIT(3, fuse_argv);
  fuse* session = fuse_new(&args, &ops, sizeof ops, &mount);
  if (session == nullptr) return exit_cannot_mount;
  if (fuse_mount(session, argv[2]) != 0) {
    fuse_destroy(session);
    return exit_cannot_mount;
  }
  fuse_set_signal_handlers(fuse_get_session(session));
  const int loop = fuse_loop(session);
  fuse_remove_signal_handlers(fuse_get_session(session));
  fuse_unmount(session);
  fuse_destroy(session);
  return loop == 0 ? 0 : 1;
}
