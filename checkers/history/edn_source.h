// Where the EDN reader takes its characters from: a string, or a stream read in chunks,
// with the line and column of the next character. Internal to edn.cc; a header of its own so
// the parser stays readable.
#pragma once

#include <cassert>
#include <cstdint>
#include <cstring>
#include <istream>
#include <string>
#include <string_view>

namespace faultline::edn_detail {

inline constexpr int end_of_input = -1;

// Reading a chunk at a time keeps memory flat on huge histories, and peeking into
// a buffer is much faster than istream::get() per character.
class Source {
 public:
  explicit Source(std::string_view text) : data_(text) { skip_byte_order_mark(); }
  Source(std::istream& in, std::size_t chunk_bytes) : in_(&in), buffer_(chunk_bytes, '\0') {
    assert(chunk_bytes >= 2 && "peek_second needs room for two characters");
    skip_byte_order_mark();
  }

  // data_ may point into buffer_, which a move would leave behind.
  Source(const Source&) = delete;
  Source& operator=(const Source&) = delete;

  int peek() {
    if (position_ < data_.size() || refill()) return static_cast<unsigned char>(data_[position_]);
    return end_of_input;
  }
  // The character after the next one, for the two-character forms #_ #{ ##.
  int peek_second() {
    if (position_ + 1 < data_.size() || (refill() && position_ + 1 < data_.size()))
      return static_cast<unsigned char>(data_[position_ + 1]);
    return end_of_input;
  }
  // Consumes the character peek() returned; call only when it was not end_of_input.
  void advance() {
    if (data_[position_++] == '\n') {
      ++line_;
      column_ = 1;
    } else {
      ++column_;
    }
  }
  std::int64_t line() const { return line_; }
  std::int64_t column() const { return column_; }
  bool read_failed() const { return in_ != nullptr && in_->bad(); }

 private:
  // A UTF-8 byte order mark, as some editors write, is not part of the text.
  void skip_byte_order_mark() {
    // EF BB without BF is not UTF-8 at all; dropping it too loses nothing worth reporting.
    if (peek() == 0xEF && peek_second() == 0xBB) {
      position_ += 2;
      if (peek() == 0xBF) ++position_;
    }
  }

  // Keeps the unread characters, appends the next chunk; false when nothing was added.
  bool refill() {
    if (in_ == nullptr || exhausted_) return false;
    const std::size_t kept = position_ < data_.size() ? data_.size() - position_ : 0;
    if (kept > 0) std::memmove(buffer_.data(), data_.data() + position_, kept);
    in_->read(buffer_.data() + kept, static_cast<std::streamsize>(buffer_.size() - kept));
    const auto added = static_cast<std::size_t>(in_->gcount());
    if (added == 0) exhausted_ = true;
    data_ = std::string_view(buffer_.data(), kept + added);
    position_ = 0;
    return added > 0;
  }

  std::istream* in_ = nullptr;
  std::string buffer_;
  std::string_view data_;
  std::size_t position_ = 0;
  bool exhausted_ = false;
  std::int64_t line_ = 1;
  std::int64_t column_ = 1;
};

}  // namespace faultline::edn_detail
