#include "run_store.h"

#include <ctime>
#include <system_error>

namespace faultline {

namespace fs = std::filesystem;

std::string run_timestamp(std::chrono::system_clock::time_point time) {
  const std::time_t seconds = std::chrono::system_clock::to_time_t(time);
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char text[32];
  std::strftime(text, sizeof text, "%Y%m%dT%H%M%S", &utc);
  return text;
}

std::expected<fs::path, std::string> create_run_directory(const fs::path& store, const std::string& name,
                                                          std::chrono::system_clock::time_point started) {
  if (name.empty() || name.find('/') != std::string::npos || name == "." || name == "..")
    return std::unexpected("the run name '" + name + "' must be a plain, non-empty file name");
  std::error_code error;
  const fs::path parent = store / name;
  fs::create_directories(parent, error);
  if (error) return std::unexpected("cannot create " + parent.string() + ": " + error.message());
  const std::string stamp = run_timestamp(started);
  fs::path run = parent / stamp;
  for (int suffix = 2; !fs::create_directory(run, error); ++suffix) {
    if (error) return std::unexpected("cannot create " + run.string() + ": " + error.message());
    run = parent / (stamp + "-" + std::to_string(suffix));
  }
  fs::create_directory(run / "nodes", error);
  if (error) return std::unexpected("cannot create " + (run / "nodes").string() + ": " + error.message());
  // Replace `latest` atomically: a new link beside it, renamed over it.
  const fs::path latest = parent / "latest", fresh = parent / ".latest.new";
  fs::remove(fresh, error);
  fs::create_directory_symlink(run.filename(), fresh, error);
  if (!error) fs::rename(fresh, latest, error);
  if (error) return std::unexpected("cannot point " + latest.string() + " at the new run: " + error.message());
  return run;
}

}  // namespace faultline
