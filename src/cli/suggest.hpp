#pragma once
#include <span>
#include <string>
#include <string_view>

namespace nt::cli {

// Levenshtein distance (insert/delete/substitute, each 1).
std::size_t edit_distance(std::string_view a, std::string_view b);

// The candidate closest to `word` if it is plausibly a typo (distance ≤ max(2, len/3)), else "".
std::string closest_match(std::string_view word, std::span<const std::string> candidates);

}  // namespace nt::cli
