// Per-source token buckets in a table of fixed size, so a flood from millions of (spoofed) sources
// costs bounded memory: the table is 4-way set associative and a new source evicts the least
// recently seen entry of its set. The set is chosen by SipHash-2-4 under a random per-process key, so
// nobody can compute sources that collide with a victim's set (issue 16.2). A source that enters a
// full set (the table is under pressure) starts with one token, not a full burst: an evicted source
// never comes back with a fresh burst.
#pragma once
#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

#include "net/ip_address.hpp"
#include "net/siphash.hpp"

namespace nt::net {

struct RateLimitConfig {
  double rate_per_s = 0;                    // tokens added per second; 0 disables limiting
  double burst = 1;                         // bucket size
  std::size_t capacity = 4096;              // table entries (rounded up to a multiple of 4)
  int64_t kod_interval_ns = 1'000'000'000;  // at most one kiss-o'-death per source per interval
};

enum class Admission { allow, limit_kod, limit_drop };

class RateLimiter {
 public:
  // hash_key unset: random per process (tests fix it to compute colliding sources).
  explicit RateLimiter(const RateLimitConfig& cfg, std::optional<SipKey> hash_key = std::nullopt);
  bool enabled() const noexcept { return cfg_.rate_per_s > 0; }
  // One request from `key` at `now_ns` (any monotonic clock): allow it, or limit it (and say whether
  // a KoD may be sent now; otherwise drop silently).
  // The key is the source's IpAddress: no port (a client cannot dodge the limit by changing source
  // port), and IpAddress::from_sockaddr maps v4-mapped IPv6 to IPv4, so both spellings share a bucket.
  Admission admit(const IpAddress& key, int64_t now_ns) noexcept;
  std::size_t tracked() const noexcept { return tracked_; }
  std::size_t capacity() const noexcept { return entries_.size(); }
  uint64_t evictions() const noexcept { return evictions_; }

 private:
  struct Entry {
    IpAddress key;
    double tokens = 0;
    int64_t last_ns = 0;
    int64_t last_kod_ns = 0;
    bool used = false;
    bool kod_sent = false;
  };
  Entry& find_or_evict(const IpAddress& key, int64_t now_ns) noexcept;
  std::size_t set_of(const IpAddress& key) const noexcept;

  RateLimitConfig cfg_;
  SipKey hash_key_{};
  std::vector<Entry> entries_;
  std::size_t sets_ = 1;
  std::size_t tracked_ = 0;
  uint64_t evictions_ = 0;
};

}  // namespace nt::net
