// What one fd-pass message says besides its descriptors: their names, systemd-style (LISTEN_FDNAMES:
// "a:b"), and, when a transfer needs several messages (more than SCM_MAX_FD descriptors), its number:
// "#2/3 a:b". A name never holds a space, so the "#I/N " prefix cannot be mistaken for one. Any other
// payload (a python peer's b"x") is read as names where it can be and "unknown" elsewhere.
#pragma once
#include <cstddef>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace nt::fd_pass {

struct Part {
  std::size_t index = 1;  // 1-based
  std::size_t count = 1;
  bool numbered = false;  // carried "#I/N" (a multi-message transfer from fd-pass)
  std::vector<std::string> names;
};

std::string encode_part(const Part& part);

// `fds`: how many descriptors came with the payload; names are padded with "unknown" or cut to it.
// `declared` (out): how many names the payload listed — what the sender meant to pass.
Part decode_part(std::string_view payload, std::size_t fds, std::size_t& declared);

// Splits names into messages of at most `per_message` descriptors, numbered when more than one.
std::vector<Part> split_parts(std::span<const std::string> names, std::size_t per_message);

}  // namespace nt::fd_pass
