// Per-source token buckets in a table of fixed size, so a flood from millions of (spoofed) sources
// costs bounded memory: the table is 4-way set associative and a new source evicts the least
// recently seen entry of its set. An evicted source starts again with a full bucket: the cost of
// bounded memory, and the same trade chrony's client log makes.
#pragma once
#include <array>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace nt::net {

// A source address reduced to a key: IPv4 (also v4-mapped IPv6) or IPv6 (the whole address; ports
// are not part of it, so a client cannot dodge the limit by changing source port).
struct SourceKey {
  std::array<uint8_t, 16> bytes{};
  bool operator==(const SourceKey&) const = default;
};
SourceKey source_key_v4(uint32_t addr_network_order) noexcept;
SourceKey source_key_v6(const uint8_t (&addr)[16]) noexcept;

struct RateLimitConfig {
  double rate_per_s = 0;                    // tokens added per second; 0 disables limiting
  double burst = 1;                         // bucket size
  std::size_t capacity = 4096;              // table entries (rounded up to a multiple of 4)
  int64_t kod_interval_ns = 1'000'000'000;  // at most one kiss-o'-death per source per interval
};

enum class Admission { allow, limit_kod, limit_drop };

class RateLimiter {
 public:
  explicit RateLimiter(const RateLimitConfig& cfg);
  bool enabled() const noexcept { return cfg_.rate_per_s > 0; }
  // One request from `key` at `now_ns` (any monotonic clock): allow it, or limit it (and say whether
  // a KoD may be sent now; otherwise drop silently).
  Admission admit(const SourceKey& key, int64_t now_ns) noexcept;
  std::size_t tracked() const noexcept { return tracked_; }
  std::size_t capacity() const noexcept { return entries_.size(); }
  uint64_t evictions() const noexcept { return evictions_; }

 private:
  struct Entry {
    SourceKey key;
    double tokens = 0;
    int64_t last_ns = 0;
    int64_t last_kod_ns = 0;
    bool used = false;
    bool kod_sent = false;
  };
  Entry& find_or_evict(const SourceKey& key, int64_t now_ns) noexcept;

  RateLimitConfig cfg_;
  std::vector<Entry> entries_;
  std::size_t sets_ = 1;
  std::size_t tracked_ = 0;
  uint64_t evictions_ = 0;
};

}  // namespace nt::net
