#include "net/siphash.hpp"

#include <sys/random.h>

#include <bit>
#include <cerrno>
#include <cstring>

#include "sys/error.hpp"

namespace nt::net {

namespace {
struct SipState {
  uint64_t v0, v1, v2, v3;

  void round() noexcept {
    v0 += v1;
    v1 = std::rotl(v1, 13) ^ v0;
    v0 = std::rotl(v0, 32);
    v2 += v3;
    v3 = std::rotl(v3, 16) ^ v2;
    v0 += v3;
    v3 = std::rotl(v3, 21) ^ v0;
    v2 += v1;
    v1 = std::rotl(v1, 17) ^ v2;
    v2 = std::rotl(v2, 32);
  }
  void absorb(uint64_t m) noexcept {  // the "2" of 2-4: two compression rounds per word
    v3 ^= m;
    round();
    round();
    v0 ^= m;
  }
};

uint64_t load_le64(const std::byte* p, std::size_t n) noexcept {
  uint64_t m = 0;
  for (std::size_t i = 0; i < n; ++i) m |= std::to_integer<uint64_t>(p[i]) << (8 * i);
  return m;
}
}  // namespace

uint64_t siphash24(const SipKey& key, std::span<const std::byte> data) noexcept {
  SipState s{key[0] ^ 0x736f6d6570736575ULL, key[1] ^ 0x646f72616e646f6dULL, key[0] ^ 0x6c7967656e657261ULL,
             key[1] ^ 0x7465646279746573ULL};
  std::size_t whole = data.size() / 8 * 8;
  for (std::size_t i = 0; i < whole; i += 8) s.absorb(load_le64(data.data() + i, 8));
  uint64_t last =
      (static_cast<uint64_t>(data.size()) << 56) | load_le64(data.data() + whole, data.size() - whole);
  s.absorb(last);
  s.v2 ^= 0xff;
  for (int i = 0; i < 4; ++i) s.round();  // the "4": finalisation rounds
  return s.v0 ^ s.v1 ^ s.v2 ^ s.v3;
}

SipKey random_sip_key() {
  SipKey key{};
  // 16 bytes from getrandom never come back short (at most 256 bytes are atomic), only EINTR early on.
  ssize_t n = -1;
  for (int i = 0; i < 8 && n != static_cast<ssize_t>(sizeof key); ++i)
    n = ::getrandom(key.data(), sizeof key, 0);
  if (n != static_cast<ssize_t>(sizeof key)) throw_errno("getrandom");
  return key;
}

}  // namespace nt::net
