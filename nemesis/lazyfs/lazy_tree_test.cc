// The lazy filesystem's model without FUSE: operations on a LazyTree whose durable state goes
// to a real backing directory, then a power loss (a fresh tree loaded from that directory),
// then what is left.
#include "lazy_tree.h"

#include <catch2/catch.hpp>
#include <stdlib.h>

#include "backing_directory.h"

using namespace faultline::lazyfs;

namespace {

class Disk {
 public:
  Disk() {
    std::string pattern = (std::filesystem::temp_directory_path() / "faultline-lazy-tree-XXXXXX").string();
    REQUIRE(::mkdtemp(pattern.data()) != nullptr);
    root_ = pattern;
    backing_ = std::make_unique<BackingDirectory>(root_);
    tree_ = std::make_unique<LazyTree>(*backing_);
  }
  ~Disk() {
    std::error_code ignored;
    std::filesystem::remove_all(root_, ignored);
  }
  LazyTree& tree() { return *tree_; }

  InodeId id(const std::string& path) {
    const std::int64_t id = tree_->resolve(path);
    REQUIRE(id > 0);
    return static_cast<InodeId>(id);
  }
  InodeId create(const std::string& path) {
    const std::int64_t id = tree_->create_file(path, 0644, 0);
    REQUIRE(id > 0);
    return static_cast<InodeId>(id);
  }
  void write(const std::string& path, const std::string& text, std::uint64_t offset) {
    REQUIRE(tree_->write(id(path), text.data(), text.size(), offset, 0) == static_cast<std::int64_t>(text.size()));
  }
  void append(const std::string& path, const std::string& text) {
    write(path, text, tree_->find(id(path))->content.size());
  }
  void sync(const std::string& path) { REQUIRE(tree_->sync_file(id(path)) == 0); }
  void sync_directory(const std::string& path) { REQUIRE(tree_->sync_directory(id(path)) == 0); }
  // What a power loss leaves: everything not fsynced is gone.
  void lose_power() { REQUIRE(load_backing_directory(root_, *tree_)); }

  // The file's content, or "<none>".
  std::string content(const std::string& path) {
    const std::int64_t id = tree_->resolve(path);
    if (id < 0) return "<none>";
    return tree_->find(static_cast<InodeId>(id))->content;
  }

 private:
  std::filesystem::path root_;
  std::unique_ptr<BackingDirectory> backing_;
  std::unique_ptr<LazyTree> tree_;
};

}  // namespace

TEST_CASE("fsynced bytes survive a power loss, bytes written after the fsync do not") {
  Disk disk;
  disk.create("/log");
  disk.sync_directory("/");
  disk.write("/log", "hello", 0);
  disk.sync("/log");
  disk.append("/log", " world");
  CHECK(disk.content("/log") == "hello world");
  CHECK(disk.tree().has_volatile_changes());
  disk.lose_power();
  CHECK(disk.content("/log") == "hello");
  CHECK_FALSE(disk.tree().has_volatile_changes());
}

TEST_CASE("an overwrite in the middle and a truncation are dropped unless fsynced") {
  Disk disk;
  disk.create("/f");
  disk.sync_directory("/");
  disk.write("/f", "abcdefgh", 0);
  disk.sync("/f");
  disk.write("/f", "XY", 2);
  REQUIRE(disk.tree().truncate(disk.id("/f"), 6, 0) == 0);
  CHECK(disk.content("/f") == "abXYef");
  disk.lose_power();
  CHECK(disk.content("/f") == "abcdefgh");

  disk.write("/f", "XY", 2);
  REQUIRE(disk.tree().truncate(disk.id("/f"), 6, 0) == 0);
  disk.sync("/f");
  disk.lose_power();
  CHECK(disk.content("/f") == "abXYef");
}

TEST_CASE("a create whose directory was not fsynced is gone after a power loss, even with its content fsynced") {
  Disk disk;
  disk.create("/new");
  disk.write("/new", "data", 0);
  disk.sync("/new");
  disk.lose_power();
  CHECK(disk.content("/new") == "<none>");
}

TEST_CASE("a create whose directory was fsynced stays, with the content fsynced before or after") {
  Disk disk;
  disk.create("/a");
  disk.write("/a", "before", 0);
  disk.sync("/a");
  disk.sync_directory("/");
  disk.create("/b");
  disk.sync_directory("/");
  disk.write("/b", "after", 0);
  disk.sync("/b");
  disk.create("/c");  // its directory fsynced, its content never
  disk.write("/c", "never", 0);
  disk.sync_directory("/");
  disk.lose_power();
  CHECK(disk.content("/a") == "before");
  CHECK(disk.content("/b") == "after");
  CHECK(disk.content("/c") == "");
}

TEST_CASE("a rename whose directory was not fsynced is undone, fsynced, it holds") {
  Disk disk;
  disk.create("/old");
  disk.write("/old", "x", 0);
  disk.sync("/old");
  disk.sync_directory("/");
  REQUIRE(disk.tree().rename("/old", "/new", false) == 0);
  disk.lose_power();
  CHECK(disk.content("/old") == "x");
  CHECK(disk.content("/new") == "<none>");

  REQUIRE(disk.tree().rename("/old", "/new", false) == 0);
  disk.sync_directory("/");
  disk.lose_power();
  CHECK(disk.content("/old") == "<none>");
  CHECK(disk.content("/new") == "x");
}

TEST_CASE("the compaction pattern: write a temporary file, fsync it, rename it over the log, fsync the directory") {
  Disk disk;
  disk.create("/log");
  disk.write("/log", "old records", 0);
  disk.sync("/log");
  disk.sync_directory("/");
  disk.create("/log.compact");
  disk.write("/log.compact", "live", 0);
  disk.sync("/log.compact");
  REQUIRE(disk.tree().rename("/log.compact", "/log", false) == 0);

  SECTION("without the directory fsync the old log is back") {
    disk.lose_power();
    CHECK(disk.content("/log") == "old records");
    CHECK(disk.content("/log.compact") == "<none>");
  }
  SECTION("with it the new one holds, and appends to it follow their own fsyncs") {
    disk.sync_directory("/");
    disk.append("/log", "+1");
    disk.sync("/log");
    disk.append("/log", "+2");
    disk.lose_power();
    CHECK(disk.content("/log") == "live+1");
  }
}

TEST_CASE("an unlink whose directory was not fsynced comes back, with its durable content") {
  Disk disk;
  disk.create("/f");
  disk.write("/f", "kept", 0);
  disk.sync("/f");
  disk.sync_directory("/");
  REQUIRE(disk.tree().unlink("/f") == 0);
  CHECK(disk.content("/f") == "<none>");
  disk.lose_power();
  CHECK(disk.content("/f") == "kept");
  REQUIRE(disk.tree().unlink("/f") == 0);
  disk.sync_directory("/");
  disk.lose_power();
  CHECK(disk.content("/f") == "<none>");
}

TEST_CASE("a new directory is durable once its parent is fsynced, with what was fsynced inside it") {
  Disk disk;
  REQUIRE(disk.tree().make_directory("/d", 0755, 0) == 0);
  disk.create("/d/f");
  disk.write("/d/f", "inside", 0);
  disk.sync("/d/f");
  disk.sync_directory("/d");
  SECTION("parent not fsynced: all gone") {
    disk.lose_power();
    CHECK(disk.tree().resolve("/d") == -ENOENT);
  }
  SECTION("parent fsynced afterwards: the subtree is written out") {
    disk.sync_directory("/");
    disk.lose_power();
    CHECK(disk.content("/d/f") == "inside");
  }
}

TEST_CASE("an unlinked file stays readable and writable through its open handle") {
  Disk disk;
  const InodeId id = disk.create("/f");
  REQUIRE(disk.tree().open(id) == 0);
  REQUIRE(disk.tree().unlink("/f") == 0);
  REQUIRE(disk.tree().write(id, "abc", 3, 0, 0) == 3);
  char buffer[8] = {};
  CHECK(disk.tree().read(id, buffer, sizeof buffer, 0) == 3);
  disk.tree().release(id);
  CHECK(disk.tree().find(id) == nullptr);
}

TEST_CASE("namespace errors are errno values") {
  Disk disk;
  disk.create("/f");
  CHECK(disk.tree().create_file("/f", 0644, 0) == -EEXIST);
  CHECK(disk.tree().create_file("/missing/f", 0644, 0) == -ENOENT);
  CHECK(disk.tree().create_file("/f/g", 0644, 0) == -ENOTDIR);
  REQUIRE(disk.tree().make_directory("/d", 0755, 0) == 0);
  disk.create("/d/x");
  CHECK(disk.tree().remove_directory("/d") == -ENOTEMPTY);
  CHECK(disk.tree().unlink("/d") == -EISDIR);
  CHECK(disk.tree().rename("/f", "/d/x", true) == -EEXIST);
  CHECK(disk.tree().rename("/d", "/d/sub", false) == -EINVAL);
  CHECK(disk.tree().rename("/f", "/d", false) == -EISDIR);
}
