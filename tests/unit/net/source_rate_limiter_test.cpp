// Per-source token buckets in a bounded table.
#include <doctest/doctest.h>

#include <netinet/in.h>

#include <array>
#include <cstring>
#include <vector>

#include "net/source_rate_limiter.hpp"

using namespace nt::net;

namespace {
constexpr int64_t kMs = 1'000'000;
IpAddress v4(uint32_t host_order) {
  return IpAddress::v4(host_order);
}
IpAddress mapped_v6(const uint8_t (&bytes)[16]) {
  sockaddr_in6 sin6{};
  sin6.sin6_family = AF_INET6;
  std::memcpy(sin6.sin6_addr.s6_addr, bytes, 16);
  return IpAddress::from_sockaddr(reinterpret_cast<const sockaddr*>(&sin6));
}
}  // namespace

TEST_CASE("Disabled limiter allows everything and holds no table") {
  RateLimiter rl({0, 1, 1024, 1000 * kMs});
  CHECK_FALSE(rl.enabled());
  for (int i = 0; i < 1000; ++i) CHECK(rl.admit(v4(0x7f000001), 0) == Admission::allow);
  CHECK(rl.capacity() == 0);
}

TEST_CASE("A burst is allowed, then one KoD, then drops until tokens refill") {
  RateLimiter rl({2.0, 4.0, 64, 1000 * kMs});
  IpAddress a = v4(0x7f000001);
  for (int i = 0; i < 4; ++i) CHECK(rl.admit(a, 0) == Admission::allow);
  CHECK(rl.admit(a, 0) == Admission::limit_kod);
  CHECK(rl.admit(a, 1 * kMs) == Admission::limit_drop);
  CHECK(rl.admit(a, 2 * kMs) == Admission::limit_drop);
  // 2 tokens/s: after 600 ms 1.2 tokens are back.
  CHECK(rl.admit(a, 600 * kMs) == Admission::allow);
  CHECK(rl.admit(a, 601 * kMs) == Admission::limit_drop);  // KoD interval (1 s) not over yet
  CHECK(rl.admit(a, 1001 * kMs) == Admission::allow);      // 0.2 + 0.8 ≥ 1 token again
  CHECK(rl.admit(a, 1002 * kMs) == Admission::limit_kod);  // and a new KoD is allowed
}

TEST_CASE("Sources are independent; v4 and v4-mapped v6 share a bucket") {
  RateLimiter rl({1.0, 1.0, 64, 1000 * kMs});
  CHECK(rl.admit(v4(0x7f000001), 0) == Admission::allow);
  CHECK(rl.admit(v4(0x7f000001), 0) == Admission::limit_kod);
  CHECK(rl.admit(v4(0x7f000002), 0) == Admission::allow);
  uint8_t mapped[16] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 127, 0, 0, 1};
  CHECK(mapped_v6(mapped) == v4(0x7f000001));
  CHECK(rl.admit(mapped_v6(mapped), 0) == Admission::limit_drop);
}

TEST_CASE("The table never grows past its capacity; old sources are evicted") {
  RateLimiter rl({1.0, 1.0, 256, 1000 * kMs});
  CHECK(rl.capacity() == 256);
  for (uint32_t i = 0; i < 100000; ++i) rl.admit(v4(0x0a000000 + i), static_cast<int64_t>(i));
  CHECK(rl.tracked() <= 256);
  CHECK(rl.evictions() >= 100000 - 256);
  // A heavy source that keeps sending stays tracked (it is always the most recent in its set).
  IpAddress heavy = v4(0xc0a80001);
  CHECK(rl.admit(heavy, 200000) == Admission::allow);
  int limited = 0;
  for (uint32_t i = 0; i < 1000; ++i) {
    rl.admit(v4(0x0b000000 + i), 200001 + 2 * i);
    if (rl.admit(heavy, 200002 + 2 * i) != Admission::allow) ++limited;
  }
  CHECK(limited == 1000);
}

TEST_CASE("SipHash-2-4 matches the reference test vectors") {
  SipKey key{0x0706050403020100ULL, 0x0f0e0d0c0b0a0908ULL};
  std::array<std::byte, 15> msg{};
  for (std::size_t i = 0; i < msg.size(); ++i) msg[i] = static_cast<std::byte>(i);
  CHECK(siphash24(key, {}) == 0x726fdb47dd0e0e31ULL);
  CHECK(siphash24(key, std::span(msg).first(8)) == 0x93f5f5799a932462ULL);
  CHECK(siphash24(key, msg) == 0xa129ca6149be45e5ULL);
  CHECK(random_sip_key() != random_sip_key());
}

namespace {
// Four sources that land in the victim's set under `key`: what an attacker who knows the key sends.
std::vector<IpAddress> colliders(const SipKey& key, const IpAddress& victim, const RateLimitConfig& cfg) {
  std::vector<IpAddress> found;
  // Computed the way the limiter picks a set: SipHash of family byte + address bytes, modulo the sets.
  auto set_of = [&](const IpAddress& a) {
    std::array<std::byte, 17> in{};
    in[0] = static_cast<std::byte>(a.family);
    std::span<const std::byte> bytes = a.view();
    std::copy(bytes.begin(), bytes.end(), in.begin() + 1);
    return siphash24(key, std::span(in).first(bytes.size() + 1)) % (cfg.capacity / 4);
  };
  for (uint32_t i = 1; found.size() < 4 && i < 1'000'000; ++i) {
    IpAddress a = v4(0x0a000000 + i);
    if (set_of(a) == set_of(victim)) found.push_back(a);
  }
  return found;
}

// The victim spends its burst, four colliders arrive, and the victim asks again: true if allowed.
bool victim_allowed_after(RateLimiter& rl, const IpAddress& victim, const std::vector<IpAddress>& attackers) {
  while (rl.admit(victim, 0) == Admission::allow) {
  }
  for (const IpAddress& a : attackers) (void)rl.admit(a, kMs);
  return rl.admit(victim, 2 * kMs) == Admission::allow;
}
}  // namespace

TEST_CASE("Eviction attack: colliders computed for a known key evict the victim, not under a random key") {
  RateLimitConfig cfg{0.001, 5.0, 4096, 1000 * kMs};
  const SipKey known{0x0123456789abcdefULL, 0xfedcba9876543210ULL};
  IpAddress victim = v4(0xc0000201);
  std::vector<IpAddress> attackers = colliders(known, victim, cfg);
  REQUIRE(attackers.size() == 4);
  RateLimiter with_known_key(cfg, known);
  CHECK(victim_allowed_after(with_known_key, victim, attackers));  // evicted: the attack works
  CHECK(with_known_key.evictions() == 2);  // the victim, then the victim evicting an attacker
  RateLimiter with_random_key(cfg);
  CHECK_FALSE(victim_allowed_after(with_random_key, victim, attackers));
  CHECK(with_random_key.evictions() == 0);
}

TEST_CASE("A source entering a full set starts with one token, not a full burst") {
  RateLimitConfig cfg{0.001, 5.0, 4, 1000 * kMs};  // one set of four ways: the fifth source evicts
  RateLimiter rl(cfg, SipKey{1, 2});
  for (uint32_t i = 1; i <= 4; ++i) CHECK(rl.admit(v4(0x0a000000 + i), 0) == Admission::allow);
  IpAddress late = v4(0x0a0000ff);
  CHECK(rl.admit(late, kMs) == Admission::allow);
  CHECK(rl.admit(late, kMs) == Admission::limit_kod);
  CHECK(rl.evictions() == 1);
}
