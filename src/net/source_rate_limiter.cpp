#include "net/source_rate_limiter.hpp"

#include <algorithm>
#include <cstring>

namespace nt::net {

namespace {
constexpr std::size_t kWays = 4;

// FNV-1a: enough to spread addresses over the sets; the table stays bounded whatever the hash.
std::size_t hash_key(const SourceKey& k) noexcept {
  uint64_t h = 1469598103934665603ULL;
  for (uint8_t b : k.bytes) h = (h ^ b) * 1099511628211ULL;
  return static_cast<std::size_t>(h ^ (h >> 29));
}
}  // namespace

SourceKey source_key_v4(uint32_t addr_network_order) noexcept {
  SourceKey k;
  k.bytes[10] = 0xff;  // as the v4-mapped IPv6 form, so both spellings share one bucket
  k.bytes[11] = 0xff;
  std::memcpy(&k.bytes[12], &addr_network_order, 4);
  return k;
}

SourceKey source_key_v6(const uint8_t (&addr)[16]) noexcept {
  SourceKey k;
  std::memcpy(k.bytes.data(), addr, 16);
  return k;
}

RateLimiter::RateLimiter(const RateLimitConfig& cfg) : cfg_(cfg) {
  cfg_.burst = std::max(cfg_.burst, 1.0);
  sets_ = std::max<std::size_t>(1, (cfg_.capacity + kWays - 1) / kWays);
  if (enabled()) entries_.resize(sets_ * kWays);
}

RateLimiter::Entry& RateLimiter::find_or_evict(const SourceKey& key, int64_t now_ns) noexcept {
  Entry* set = &entries_[(hash_key(key) % sets_) * kWays];
  Entry* victim = set;
  for (std::size_t i = 0; i < kWays; ++i) {
    Entry& e = set[i];
    if (e.used && e.key == key) return e;
    if (!e.used) {
      if (victim->used) victim = &e;
    } else if (victim->used && e.last_ns < victim->last_ns) {
      victim = &e;
    }
  }
  if (victim->used) {
    ++evictions_;
  } else {
    ++tracked_;
  }
  *victim = Entry{key, cfg_.burst, now_ns, 0, true, false};
  return *victim;
}

Admission RateLimiter::admit(const SourceKey& key, int64_t now_ns) noexcept {
  if (!enabled()) return Admission::allow;
  Entry& e = find_or_evict(key, now_ns);
  double elapsed_s = static_cast<double>(std::max<int64_t>(0, now_ns - e.last_ns)) / 1e9;
  e.tokens = std::min(cfg_.burst, e.tokens + elapsed_s * cfg_.rate_per_s);
  e.last_ns = now_ns;
  if (e.tokens >= 1.0) {
    e.tokens -= 1.0;
    return Admission::allow;
  }
  if (!e.kod_sent || now_ns - e.last_kod_ns >= cfg_.kod_interval_ns) {
    e.kod_sent = true;
    e.last_kod_ns = now_ns;
    return Admission::limit_kod;
  }
  return Admission::limit_drop;
}

}  // namespace nt::net
