#include "net/source_rate_limiter.hpp"

#include <algorithm>

namespace nt::net {

namespace {
constexpr std::size_t kWays = 4;

}  // namespace

RateLimiter::RateLimiter(const RateLimitConfig& cfg, std::optional<SipKey> hash_key) : cfg_(cfg) {
  cfg_.burst = std::max(cfg_.burst, 1.0);
  sets_ = std::max<std::size_t>(1, (cfg_.capacity + kWays - 1) / kWays);
  if (enabled()) entries_.resize(sets_ * kWays);
  hash_key_ = hash_key ? *hash_key : (enabled() ? random_sip_key() : SipKey{});
}

std::size_t RateLimiter::set_of(const IpAddress& key) const noexcept {
  std::array<std::byte, 17> input{};
  input[0] = static_cast<std::byte>(key.family);
  std::span<const std::byte> addr = key.view();
  std::copy(addr.begin(), addr.end(), input.begin() + 1);
  return static_cast<std::size_t>(siphash24(hash_key_, std::span(input).first(addr.size() + 1)) % sets_);
}

RateLimiter::Entry& RateLimiter::find_or_evict(const IpAddress& key, int64_t now_ns) noexcept {
  Entry* set = &entries_[set_of(key) * kWays];
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
  const bool under_pressure = victim->used;  // every way of the set is taken
  if (under_pressure) {
    ++evictions_;
  } else {
    ++tracked_;
  }
  *victim = Entry{key, under_pressure ? std::min(cfg_.burst, 1.0) : cfg_.burst, now_ns, 0, true, false};
  return *victim;
}

Admission RateLimiter::admit(const IpAddress& key, int64_t now_ns) noexcept {
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
