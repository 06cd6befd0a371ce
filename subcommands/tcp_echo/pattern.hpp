// The byte stream load and bulk clients send: a random block repeated forever, each connection starting
// at its own phase, so every echoed byte can be checked against its stream offset without keeping a
// copy of what was sent (memory stays fixed however long the run) and bytes that crossed from one
// connection to another are caught too.
#pragma once
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

namespace nt::tcp_echo {

class Pattern {
 public:
  // Largest span chunk() hands out and verify() accepts at once.
  static constexpr std::size_t kMaxChunk = 256 * 1024;

  explicit Pattern(uint64_t seed);

  // The stream bytes [offset, offset + len) of the connection with phase `phase`; len ≤ kMaxChunk.
  std::span<const std::byte> chunk(uint64_t phase, uint64_t offset, std::size_t len) const noexcept;
  // The first offset where `got` differs from the stream at `offset`, or nullopt when it matches.
  std::optional<uint64_t> verify(uint64_t phase, uint64_t offset,
                                 std::span<const std::byte> got) const noexcept;
  // The expected byte at a stream offset (for error messages).
  std::byte at(uint64_t phase, uint64_t offset) const noexcept;

  // A phase for connection number i: spreads connections over the block.
  static uint64_t phase_of(std::size_t i) noexcept { return i * 7919u; }

 private:
  // Prime length: a stream offset and a block boundary rarely line up, so a shifted echo never matches.
  static constexpr std::size_t kBlock = 65521;
  std::vector<std::byte> bytes_;  // kBlock random bytes followed by the first kMaxChunk of them again
};

// Fills `out` with pseudo-random bytes (xorshift; not for secrets, only for payloads).
void fill_random(std::span<std::byte> out, uint64_t& state) noexcept;

}  // namespace nt::tcp_echo
