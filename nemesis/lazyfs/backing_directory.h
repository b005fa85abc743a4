// The backing directory of a faultline-lazyfs mount: a real directory that holds exactly the
// durable state (lazy_tree.h). Loading it is how a mount starts, and how a power loss ends:
// whatever was not fsynced was never written here.
//
// Errors: load_backing_directory names the path that could not be read, or that holds
// something other than directories and regular files.
#pragma once

#include <expected>
#include <filesystem>
#include <string>

#include "lazy_tree.h"

namespace faultline::lazyfs {

// Writes the durable state below `root` with plain writes (no fsync: the backing directory
// must survive the daemon's death, not the machine's).
class BackingDirectory final : public BackingSink {
 public:
  explicit BackingDirectory(std::filesystem::path root) : root_(std::move(root)) {}
  int write_file(const std::string& path, std::string_view content, std::size_t from) override;
  int make_directory(const std::string& path) override;
  int remove_tree(const std::string& path) override;
  const std::filesystem::path& root() const { return root_; }

 private:
  std::filesystem::path root_;
};

// Replaces `tree`'s state by the backing directory's: every file and directory below `root`,
// durable and visible alike.
std::expected<void, std::string> load_backing_directory(const std::filesystem::path& root, LazyTree& tree);

}  // namespace faultline::lazyfs
