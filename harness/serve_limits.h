// The limits of `faultline serve`, together (STYLE principle 10).
#pragma once

#include <cstddef>

namespace faultline {

// Runs listed on the page, newest first; the page says how many more the store holds.
inline constexpr std::size_t runs_listed_max = 2000;
// A results.json or test.json larger than this is not read for the listing (the run shows
// "no results" / "?"); the file itself is still served.
inline constexpr std::size_t run_json_bytes_max = 16 * 1024 * 1024;
// An idle keep-alive connection is closed after this long; stopping waits for it at most this.
inline constexpr int keep_alive_timeout_s = 1;
// Bytes read from a file and sent at a time: a 100 MB history is streamed, never held whole.
inline constexpr std::size_t file_chunk_bytes = 64 * 1024;

static_assert(runs_listed_max >= 100, "the listing shows at least the recent runs");

}  // namespace faultline
