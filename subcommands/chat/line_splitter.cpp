#include "subcommands/chat/line_splitter.hpp"

namespace nt::chat {

bool LineSplitter::keep(std::string_view piece) {
  // max_line + 1: room for a '\r' that the '\n' of the next chunk will turn into a line end.
  if (partial_.size() + piece.size() > max_line_ + 1) {
    std::string().swap(partial_);
    return false;
  }
  partial_.append(piece);
  return true;
}

}  // namespace nt::chat
