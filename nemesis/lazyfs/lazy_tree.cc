#include "lazy_tree.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <set>

namespace faultline::lazyfs {

std::vector<std::string> split_path(std::string_view path) {
  std::vector<std::string> parts;
  std::size_t at = 0;
  while (at < path.size()) {
    const std::size_t slash = path.find('/', at);
    const std::size_t end = slash == std::string_view::npos ? path.size() : slash;
    if (end > at) parts.emplace_back(path.substr(at, end - at));
    at = end + 1;
  }
  return parts;
}

void LazyTree::reset() {
  // Ids go on counting, so that a handle from before a power loss names no inode after it.
  inodes_.clear();
  Inode root;
  root.id = root_inode;
  root.kind = InodeKind::directory;
  root.mode = 0755;
  root.links = 1;  // the mount holds it
  inodes_[root_inode] = root;
}

InodeId LazyTree::new_inode(InodeKind kind, std::uint32_t mode, std::int64_t now_ns) {
  Inode inode;
  inode.id = next_id_++;
  inode.kind = kind;
  inode.mode = mode & 07777;
  inode.modified_ns = now_ns;
  inodes_[inode.id] = inode;
  return inode.id;
}

InodeId LazyTree::add_durable(InodeId parent, const std::string& name, InodeKind kind, std::string content,
                              std::uint32_t mode) {
  const InodeId id = new_inode(kind, mode, 0);
  Inode& inode = inodes_.at(id);
  inode.durable_content = content;
  inode.content = std::move(content);
  inode.dirty_from = inode.content.size();
  inode.links = 1;
  inode.durable_links = 1;
  Inode& directory = inodes_.at(parent);
  directory.entries[name] = id;
  directory.durable_entries[name] = id;
  return id;
}

const Inode* LazyTree::find(InodeId id) const {
  const auto found = inodes_.find(id);
  return found == inodes_.end() ? nullptr : &found->second;
}

std::int64_t LazyTree::resolve(std::string_view path) const {
  InodeId at = root_inode;
  for (const std::string& part : split_path(path)) {
    const Inode& directory = inodes_.at(at);
    if (directory.kind != InodeKind::directory) return -ENOTDIR;
    const auto child = directory.entries.find(part);
    if (child == directory.entries.end()) return -ENOENT;
    at = child->second;
  }
  return static_cast<std::int64_t>(at);
}

std::int64_t LazyTree::parent_and_name(std::string_view path, std::string& name) const {
  std::vector<std::string> parts = split_path(path);
  if (parts.empty()) return -EBUSY;  // the root has no parent
  name = parts.back();
  std::string parent_path;
  for (std::size_t i = 0; i + 1 < parts.size(); ++i) parent_path += "/" + parts[i];
  const std::int64_t parent = resolve(parent_path);
  if (parent < 0) return parent;
  if (inodes_.at(static_cast<InodeId>(parent)).kind != InodeKind::directory) return -ENOTDIR;
  return parent;
}

std::int64_t LazyTree::create_file(std::string_view path, std::uint32_t mode, std::int64_t now_ns) {
  std::string name;
  const std::int64_t parent = parent_and_name(path, name);
  if (parent < 0) return parent;
  Inode& directory = inodes_.at(static_cast<InodeId>(parent));
  if (directory.entries.contains(name)) return -EEXIST;
  const InodeId id = new_inode(InodeKind::file, mode, now_ns);
  inodes_.at(id).links = 1;
  directory.entries[name] = id;
  directory.modified_ns = now_ns;
  return static_cast<std::int64_t>(id);
}

int LazyTree::make_directory(std::string_view path, std::uint32_t mode, std::int64_t now_ns) {
  std::string name;
  const std::int64_t parent = parent_and_name(path, name);
  if (parent < 0) return static_cast<int>(parent);
  Inode& directory = inodes_.at(static_cast<InodeId>(parent));
  if (directory.entries.contains(name)) return -EEXIST;
  const InodeId id = new_inode(InodeKind::directory, mode, now_ns);
  inodes_.at(id).links = 1;
  directory.entries[name] = id;
  directory.modified_ns = now_ns;
  return 0;
}

void LazyTree::forget_if_unused(InodeId id) {
  const auto found = inodes_.find(id);
  if (found == inodes_.end() || id == root_inode) return;
  const Inode& inode = found->second;
  if (inode.links > 0 || inode.open_handles > 0 || inode.durable_links > 0) return;
  // Its durable entries no longer link their children.
  const std::map<std::string, InodeId> children = inode.durable_entries;
  inodes_.erase(found);
  for (const auto& [name, child] : children) {
    if (auto it = inodes_.find(child); it != inodes_.end()) --it->second.durable_links;
    forget_if_unused(child);
  }
}

void LazyTree::drop_link(InodeId id) {
  --inodes_.at(id).links;
  forget_if_unused(id);
}

std::expected<LazyTree::Link, int> LazyTree::link_of(std::string_view path) const {
  std::string name;
  const std::int64_t parent = parent_and_name(path, name);
  if (parent < 0) return std::unexpected(static_cast<int>(parent));
  const Inode& directory = inodes_.at(static_cast<InodeId>(parent));
  const auto child = directory.entries.find(name);
  if (child == directory.entries.end()) return std::unexpected(-ENOENT);
  return Link{static_cast<InodeId>(parent), name, child->second};
}

int LazyTree::unlink(std::string_view path) {
  const auto link = link_of(path);
  if (!link) return link.error();
  if (inodes_.at(link->child).kind == InodeKind::directory) return -EISDIR;
  inodes_.at(link->parent).entries.erase(link->name);
  drop_link(link->child);
  return 0;
}

int LazyTree::remove_directory(std::string_view path) {
  const auto link = link_of(path);
  if (!link) return link.error();
  const Inode& removed = inodes_.at(link->child);
  if (removed.kind != InodeKind::directory) return -ENOTDIR;
  if (!removed.entries.empty()) return -ENOTEMPTY;
  inodes_.at(link->parent).entries.erase(link->name);
  drop_link(link->child);
  return 0;
}

int LazyTree::rename(std::string_view from, std::string_view to, bool no_replace) {
  const auto source = link_of(from);
  if (!source) return source.error();
  std::string to_name;
  const std::int64_t to_parent = parent_and_name(to, to_name);
  if (to_parent < 0) return static_cast<int>(to_parent);
  const InodeId moved = source->child;
  // A directory cannot move into itself or below itself.
  if (inodes_.at(moved).kind == InodeKind::directory) {
    const std::vector<std::string> from_parts = split_path(from), to_parts = split_path(to);
    if (to_parts.size() > from_parts.size() && std::equal(from_parts.begin(), from_parts.end(), to_parts.begin()))
      return -EINVAL;
  }
  Inode& target_directory = inodes_.at(static_cast<InodeId>(to_parent));
  const auto existing = target_directory.entries.find(to_name);
  if (existing != target_directory.entries.end()) {
    if (existing->second == moved) return 0;
    if (no_replace) return -EEXIST;
    const Inode& replaced = inodes_.at(existing->second);
    const bool moved_is_directory = inodes_.at(moved).kind == InodeKind::directory;
    if (replaced.kind == InodeKind::directory && !moved_is_directory) return -EISDIR;
    if (replaced.kind != InodeKind::directory && moved_is_directory) return -ENOTDIR;
    if (replaced.kind == InodeKind::directory && !replaced.entries.empty()) return -ENOTEMPTY;
  }
  inodes_.at(source->parent).entries.erase(source->name);
  Inode& destination = inodes_.at(static_cast<InodeId>(to_parent));
  const auto replaced = destination.entries.find(to_name);
  std::optional<InodeId> dropped;
  if (replaced != destination.entries.end()) dropped = replaced->second;
  destination.entries[to_name] = moved;
  if (dropped) drop_link(*dropped);
  return 0;
}

int LazyTree::open(InodeId id) {
  const auto found = inodes_.find(id);
  if (found == inodes_.end()) return -ENOENT;
  ++found->second.open_handles;
  return 0;
}

void LazyTree::release(InodeId id) {
  const auto found = inodes_.find(id);
  if (found == inodes_.end()) return;
  --found->second.open_handles;
  forget_if_unused(id);
}

std::int64_t LazyTree::read(InodeId id, char* buffer, std::size_t size, std::uint64_t offset) const {
  const Inode* inode = find(id);
  if (inode == nullptr) return -EIO;  // a handle from before a power loss
  if (inode->kind == InodeKind::directory) return -EISDIR;
  if (offset >= inode->content.size()) return 0;
  const std::size_t count = std::min<std::size_t>(size, inode->content.size() - offset);
  std::memcpy(buffer, inode->content.data() + offset, count);
  return static_cast<std::int64_t>(count);
}

std::int64_t LazyTree::write(InodeId id, const char* data, std::size_t size, std::uint64_t offset,
                             std::int64_t now_ns) {
  const auto found = inodes_.find(id);
  if (found == inodes_.end()) return -EIO;
  Inode& inode = found->second;
  if (inode.kind == InodeKind::directory) return -EISDIR;
  inode.dirty_from = std::min<std::size_t>({inode.dirty_from, static_cast<std::size_t>(offset), inode.content.size()});
  if (inode.content.size() < offset + size) inode.content.resize(offset + size, '\0');
  std::memcpy(inode.content.data() + offset, data, size);
  inode.modified_ns = now_ns;
  return static_cast<std::int64_t>(size);
}

int LazyTree::truncate(InodeId id, std::uint64_t size, std::int64_t now_ns) {
  const auto found = inodes_.find(id);
  if (found == inodes_.end()) return -EIO;
  Inode& inode = found->second;
  if (inode.kind == InodeKind::directory) return -EISDIR;
  inode.dirty_from = std::min<std::size_t>({inode.dirty_from, static_cast<std::size_t>(size), inode.content.size()});
  inode.content.resize(size, '\0');
  inode.modified_ns = now_ns;
  return 0;
}

int LazyTree::set_mode(InodeId id, std::uint32_t mode) {
  const auto found = inodes_.find(id);
  if (found == inodes_.end()) return -EIO;
  found->second.mode = mode & 07777;
  return 0;
}

int LazyTree::set_modified(InodeId id, std::int64_t modified_ns) {
  const auto found = inodes_.find(id);
  if (found == inodes_.end()) return -EIO;
  found->second.modified_ns = modified_ns;
  return 0;
}

std::vector<DirectoryEntry> LazyTree::list(InodeId directory) const {
  std::vector<DirectoryEntry> listing;
  const Inode* inode = find(directory);
  if (inode == nullptr) return listing;
  for (const auto& [name, child] : inode->entries) listing.push_back({name, child, inodes_.at(child).kind});
  return listing;
}

std::vector<std::string> LazyTree::durable_paths(InodeId id) const {
  std::vector<std::string> paths;
  if (id == root_inode) return {""};
  // Depth first over the durable namespace; a directory met twice on one path (moved into its
  // own durable descendant) is a cycle no real disk holds, and is cut.
  std::set<InodeId> on_path;
  std::function<void(InodeId, const std::string&)> visit = [&](InodeId at, const std::string& path) {
    const Inode* directory = find(at);
    if (directory == nullptr || directory->kind != InodeKind::directory || on_path.contains(at)) return;
    on_path.insert(at);
    for (const auto& [name, child] : directory->durable_entries) {
      const std::string child_path = path.empty() ? name : path + "/" + name;
      if (child == id) paths.push_back(child_path);
      else visit(child, child_path);
    }
    on_path.erase(at);
  };
  visit(root_inode, "");
  return paths;
}

int LazyTree::write_durable_subtree(InodeId id, const std::string& path) {
  std::set<InodeId> on_path;
  std::function<int(InodeId, const std::string&)> write = [&](InodeId at, const std::string& at_path) -> int {
    const Inode* inode = find(at);
    if (inode == nullptr) return 0;
    if (inode->kind == InodeKind::file) return backing_.write_file(at_path, inode->durable_content, 0);
    if (on_path.contains(at)) return 0;
    if (int made = backing_.make_directory(at_path); made < 0) return made;
    on_path.insert(at);
    for (const auto& [name, child] : inode->durable_entries)
      if (int written = write(child, at_path + "/" + name); written < 0) return written;
    on_path.erase(at);
    return 0;
  };
  return write(id, path);
}

int LazyTree::sync_file(InodeId id) {
  const auto found = inodes_.find(id);
  if (found == inodes_.end()) return -EIO;
  Inode& inode = found->second;
  if (inode.kind == InodeKind::directory) return sync_directory(id);
  // Bytes before dirty_from are the same in both: only the rest is written and copied (an
  // append-only log costs its new records, not its size).
  const std::size_t from = std::min(inode.dirty_from, inode.durable_content.size());
  for (const std::string& path : durable_paths(id))
    if (int written = backing_.write_file(path, inode.content, from); written < 0) return written;
  inode.durable_content.resize(from);
  inode.durable_content.append(inode.content, from);
  inode.dirty_from = inode.content.size();
  return 0;
}

int LazyTree::sync_directory(InodeId id) {
  const auto found = inodes_.find(id);
  if (found == inodes_.end()) return -EIO;
  if (found->second.kind != InodeKind::directory) return sync_file(id);
  const std::map<std::string, InodeId> before = found->second.durable_entries;
  const std::map<std::string, InodeId> after = found->second.entries;
  for (const auto& [name, child] : after) ++inodes_.at(child).durable_links;
  found->second.durable_entries = after;
  // The backing directory at each durable path of this one follows: gone names removed,
  // new or replaced names written out from their durable state.
  for (const std::string& path : durable_paths(id)) {
    const std::string prefix = path.empty() ? "" : path + "/";
    for (const auto& [name, child] : before) {
      const auto now = after.find(name);
      if (now != after.end() && now->second == child) continue;
      if (int removed = backing_.remove_tree(prefix + name); removed < 0) return removed;
    }
    for (const auto& [name, child] : after) {
      const auto was = before.find(name);
      if (was != before.end() && was->second == child) continue;
      if (int written = write_durable_subtree(child, prefix + name); written < 0) return written;
    }
  }
  for (const auto& [name, child] : before) {
    if (auto it = inodes_.find(child); it != inodes_.end()) --it->second.durable_links;
    forget_if_unused(child);
  }
  return 0;
}

bool LazyTree::has_volatile_changes() const {
  for (const auto& [id, inode] : inodes_) {
    if (inode.kind == InodeKind::file && inode.content != inode.durable_content) return true;
    if (inode.kind == InodeKind::directory && inode.entries != inode.durable_entries) return true;
  }
  return false;
}

}  // namespace faultline::lazyfs
