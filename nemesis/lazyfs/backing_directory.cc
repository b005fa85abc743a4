#include "backing_directory.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <functional>
#include <fstream>
#include <sstream>

namespace faultline::lazyfs {

int BackingDirectory::write_file(const std::string& path, std::string_view content, std::size_t from) {
  const std::filesystem::path file = root_ / path;
  const int fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0) return -errno;
  int result = 0;
  std::size_t done = std::min(from, content.size());
  while (done < content.size()) {
    const ssize_t n = ::pwrite(fd, content.data() + done, content.size() - done, static_cast<off_t>(done));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      result = -errno;
      break;
    }
    done += static_cast<std::size_t>(n);
  }
  if (result == 0 && ::ftruncate(fd, static_cast<off_t>(content.size())) != 0) result = -errno;
  ::close(fd);
  return result;
}

int BackingDirectory::make_directory(const std::string& path) {
  if (::mkdir((root_ / path).c_str(), 0755) != 0 && errno != EEXIST) return -errno;
  return 0;
}

int BackingDirectory::remove_tree(const std::string& path) {
  std::error_code error;
  std::filesystem::remove_all(root_ / path, error);
  return error ? -error.value() : 0;
}

std::expected<void, std::string> load_backing_directory(const std::filesystem::path& root, LazyTree& tree) {
  tree.reset();
  std::function<std::expected<void, std::string>(const std::filesystem::path&, InodeId)> load =
      [&](const std::filesystem::path& directory, InodeId parent) -> std::expected<void, std::string> {
    std::error_code error;
    for (const auto& entry : std::filesystem::directory_iterator(directory, error)) {
      const std::filesystem::path path = entry.path();
      struct stat info {};
      if (::lstat(path.c_str(), &info) != 0)
        return std::unexpected("cannot stat " + path.string() + ": " + std::strerror(errno));
      const std::uint32_t mode = info.st_mode & 07777;
      if (S_ISDIR(info.st_mode)) {
        const InodeId id = tree.add_durable(parent, path.filename().string(), InodeKind::directory, "", mode);
        if (auto loaded = load(path, id); !loaded) return loaded;
      } else if (S_ISREG(info.st_mode)) {
        std::ifstream in(path, std::ios::binary);
        std::ostringstream content;
        content << in.rdbuf();
        if (!in && !in.eof()) return std::unexpected("cannot read " + path.string());
        tree.add_durable(parent, path.filename().string(), InodeKind::file, content.str(), mode);
      } else {
        return std::unexpected(path.string() + " is neither a directory nor a regular file");
      }
    }
    if (error) return std::unexpected("cannot list " + directory.string() + ": " + error.message());
    return {};
  };
  return load(root, root_inode);
}

}  // namespace faultline::lazyfs
