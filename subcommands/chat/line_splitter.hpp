// Splits a byte stream into lines with bounded memory: a line longer than the maximum is reported once
// and the rest of it discarded up to the next '\n'. Complete lines inside one chunk are handed out as
// views into that chunk (no copy); only a partial tail is kept, never more than the maximum.
#pragma once
#include <cstddef>
#include <span>
#include <string>
#include <string_view>

namespace nt::chat {

class LineSplitter {
 public:
  explicit LineSplitter(std::size_t max_line) : max_line_(max_line) {}

  // Calls on_line(std::string_view) for each complete line, without '\n' and a trailing '\r', and
  // on_overlong() once for each line longer than max_line (its bytes never reach on_line).
  template <class OnLine, class OnOverlong>
  void feed(std::span<const std::byte> chunk, OnLine&& on_line, OnOverlong&& on_overlong);

  std::size_t buffered() const noexcept { return partial_.size(); }
  bool discarding() const noexcept { return discarding_; }
  std::size_t max_line() const noexcept { return max_line_; }

 private:
  static std::string_view trim_cr(std::string_view line) noexcept {
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    return line;
  }
  // Appends a piece with no '\n' in it; false when the line just became too long.
  bool keep(std::string_view piece);

  std::size_t max_line_;
  std::string partial_;  // the start of a line whose '\n' has not come yet
  bool discarding_ = false;
};

template <class OnLine, class OnOverlong>
void LineSplitter::feed(std::span<const std::byte> chunk, OnLine&& on_line, OnOverlong&& on_overlong) {
  std::string_view rest(reinterpret_cast<const char*>(chunk.data()), chunk.size());
  while (!rest.empty()) {
    std::size_t nl = rest.find('\n');
    std::string_view piece = rest.substr(0, nl);
    rest = nl == std::string_view::npos ? std::string_view{} : rest.substr(nl + 1);
    bool complete = nl != std::string_view::npos;
    if (discarding_) {
      discarding_ = !complete;
      continue;
    }
    if (partial_.empty() && complete) {
      // The fast path: the whole line is in this chunk. A '\r' is not counted against the limit.
      std::string_view line = trim_cr(piece);
      if (line.size() > max_line_) {
        on_overlong();
      } else {
        on_line(line);
      }
      continue;
    }
    if (!keep(piece)) {
      discarding_ = !complete;
      on_overlong();
      continue;
    }
    if (complete) {
      std::string line = std::move(partial_);
      partial_.clear();
      if (trim_cr(line).size() > max_line_) {
        on_overlong();
      } else {
        on_line(trim_cr(line));
      }
    }
  }
}

}  // namespace nt::chat
