// The filesystem that faultline-lazyfs serves, as a pure in-memory model: what a process
// sees (the volatile state: every write, create, rename and unlink at once) and what a power
// loss keeps (the durable state: a file's content as of its last fsync, a directory's entries
// as of its last fsync). Jepsen's lazyfs keeps un-fsynced data in a page cache of its own in
// the same way; README.md beside this file states the guarantees.
//
// The durable state is mirrored into a backing directory through a BackingSink, and only the
// durable state: a file fsync writes the file's bytes at every path where it is durably linked;
// a directory fsync makes its entries durable and brings the backing directory to them (a
// durable child that is new there is written out whole, from its own durable state). So the
// backing directory always holds exactly what survives a power loss, and a power loss is
// "forget the volatile state and load the backing directory again" (LazyTree::load).
//
// No FUSE and no clock here: the FUSE adapter (lazyfs_main.cc) translates calls into these
// methods under one lock. Errors are errno values (a negative int, FUSE's convention).
#pragma once

#include <cstdint>
#include <expected>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace faultline::lazyfs {

using InodeId = std::uint64_t;
inline constexpr InodeId root_inode = 1;

enum class InodeKind { file, directory };

struct Inode {
  InodeId id = 0;
  InodeKind kind = InodeKind::file;
  std::uint32_t mode = 0644;  // permission bits only
  std::int64_t modified_ns = 0;
  // Files: the bytes processes see, the bytes a power loss keeps, and the first byte that may
  // differ between the two (content.size() when none does).
  std::string content;
  std::string durable_content;
  std::size_t dirty_from = 0;
  // Directories: name -> inode, as seen and as kept.
  std::map<std::string, InodeId> entries;
  std::map<std::string, InodeId> durable_entries;
  // Links from the volatile namespace, open handles, and links from durable directory
  // entries: an inode is forgotten when all three are 0 (a file unlinked but still durably
  // linked comes back after a power loss, so its durable content is kept).
  int links = 0;
  int open_handles = 0;
  int durable_links = 0;
};

// Where the durable state is written. Paths are relative to the backing directory ("" is its
// root) and use '/'. Each returns 0 or a negative errno.
class BackingSink {
 public:
  virtual ~BackingSink() = default;
  // Makes the file at `path` hold `content` from byte `from` on, and be `content.size()` long.
  virtual int write_file(const std::string& path, std::string_view content, std::size_t from) = 0;
  virtual int make_directory(const std::string& path) = 0;
  // Removes a file or a whole directory tree; absent is fine.
  virtual int remove_tree(const std::string& path) = 0;
};

// One entry of a directory listing.
struct DirectoryEntry {
  std::string name;
  InodeId id;
  InodeKind kind;
};

class LazyTree {
 public:
  explicit LazyTree(BackingSink& backing) : backing_(backing) { reset(); }

  // An empty root directory (durable and volatile), nothing else. Inode ids are never reused.
  void reset();
  // Adds an inode that is already durable (loaded from the backing directory at mount) under
  // `parent`, and returns its id. `parent` must be a directory; `name` new in it.
  InodeId add_durable(InodeId parent, const std::string& name, InodeKind kind, std::string content,
                      std::uint32_t mode);

  // The inode at `path` ("/a/b"), or a negative errno (ENOENT, ENOTDIR).
  std::int64_t resolve(std::string_view path) const;
  const Inode* find(InodeId id) const;

  std::int64_t create_file(std::string_view path, std::uint32_t mode, std::int64_t now_ns);  // id or -errno
  int make_directory(std::string_view path, std::uint32_t mode, std::int64_t now_ns);
  int unlink(std::string_view path);
  int remove_directory(std::string_view path);
  // `no_replace`: fail with EEXIST when `to` exists (RENAME_NOREPLACE).
  int rename(std::string_view from, std::string_view to, bool no_replace);

  int open(InodeId id);
  void release(InodeId id);
  // Bytes read, or -errno.
  std::int64_t read(InodeId id, char* buffer, std::size_t size, std::uint64_t offset) const;
  std::int64_t write(InodeId id, const char* data, std::size_t size, std::uint64_t offset, std::int64_t now_ns);
  int truncate(InodeId id, std::uint64_t size, std::int64_t now_ns);
  int set_mode(InodeId id, std::uint32_t mode);
  int set_modified(InodeId id, std::int64_t modified_ns);
  std::vector<DirectoryEntry> list(InodeId directory) const;

  // fsync / fdatasync of a file: its content becomes durable (written at every path where the
  // file is durably linked). fsync of a directory: its entries become durable.
  int sync_file(InodeId id);
  int sync_directory(InodeId id);

  // Un-fsynced bytes and namespace changes, for tests and the status line.
  bool has_volatile_changes() const;

 private:
  std::int64_t parent_and_name(std::string_view path, std::string& name) const;
  // The directory holding `path`, the last name of it, and the inode that name links; -errno.
  struct Link {
    InodeId parent;
    std::string name;
    InodeId child;
  };
  std::expected<Link, int> link_of(std::string_view path) const;
  InodeId new_inode(InodeKind kind, std::uint32_t mode, std::int64_t now_ns);
  void drop_link(InodeId id);
  void forget_if_unused(InodeId id);
  // Paths (relative to the backing root) where `id` is durably linked from the root.
  std::vector<std::string> durable_paths(InodeId id) const;
  // Writes `id`'s durable subtree at `path` in the backing directory.
  int write_durable_subtree(InodeId id, const std::string& path);

  BackingSink& backing_;
  std::map<InodeId, Inode> inodes_;
  InodeId next_id_ = root_inode + 1;
};

// Splits "/a/b/c" into {"a", "b", "c"}; "/" gives {}.
std::vector<std::string> split_path(std::string_view path);

}  // namespace faultline::lazyfs
