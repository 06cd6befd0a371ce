// SipHash-2-4 (Aumasson & Bernstein, 2012): a keyed 64-bit hash. With a secret random key, an
// attacker can not choose inputs that collide (the rate limiter's eviction attack, issue 16.2).
#pragma once
#include <array>
#include <cstddef>
#include <cstdint>
#include <span>

namespace nt::net {

using SipKey = std::array<uint64_t, 2>;

uint64_t siphash24(const SipKey& key, std::span<const std::byte> data) noexcept;

// A key from getrandom(2), for one process; throws std::system_error if the kernel has no entropy source.
SipKey random_sip_key();

}  // namespace nt::net
