// What a receiver knows about each sender (source address and port plus the header's sender id)
// and about each source of foreign datagrams, in bounded tables.
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "net/ip_address.hpp"
#include "output/latency.hpp"
#include "subcommands/multicast/payload.hpp"
#include "subcommands/multicast/sequence.hpp"

namespace nt::multicast {

// A datagram's arrival details from its control messages (−1: the kernel gave none).
struct ArrivalInfo {
  int ttl = -1;
  int tos = -1;
  int ifindex = 0;
  int64_t receive_ns = 0;
};

struct SenderStats {
  std::string source;  // ADDR:PORT
  uint32_t sender_id = 0;
  SequenceTracker seq;
  output::LatencySummary delay;  // one-way: receive time − send time (same or synchronised clocks)
  uint64_t bytes = 0;
  ArrivalInfo last;                               // TTL, TOS, interface of the latest datagram
  uint64_t marked_received = 0, marked_lost = 0;  // at the last interval record

  Arrival add(const Header& h, std::size_t bytes, const ArrivalInfo& info);
};

struct ForeignStats {
  std::string source;
  uint64_t datagrams = 0;
  uint64_t bytes = 0;
  Rejection reason = Rejection::none;  // of the latest one
};

struct SourceKey {
  net::IpAddress addr;
  uint16_t port = 0;
  uint32_t id = 0;
  bool operator==(const SourceKey&) const = default;
};
struct SourceKeyHash {
  std::size_t operator()(const SourceKey& k) const noexcept;
};

// Senders and foreign sources in arrival order, at most `limit` of each: beyond, datagrams are
// counted in `untracked` only (a flood of spoofed sources must not grow memory without bound).
template <typename Stats>
class SourceTable {
 public:
  explicit SourceTable(std::size_t limit) : limit_(limit) {}
  // The entry of `key`, created by `make()` when new (nullptr when the table is full); `created`
  // tells the caller it is new.
  template <typename Make>
  Stats* find_or_add(const SourceKey& key, Make&& make, bool& created) {
    created = false;
    if (auto it = index_.find(key); it != index_.end()) return entries_[it->second].get();
    if (entries_.size() >= limit_) {
      ++untracked_;
      return nullptr;
    }
    index_.emplace(key, entries_.size());
    entries_.push_back(std::make_unique<Stats>(make()));
    created = true;
    return entries_.back().get();
  }
  const std::vector<std::unique_ptr<Stats>>& entries() const noexcept { return entries_; }
  uint64_t untracked() const noexcept { return untracked_; }

 private:
  std::size_t limit_;
  std::unordered_map<SourceKey, std::size_t, SourceKeyHash> index_;
  std::vector<std::unique_ptr<Stats>> entries_;
  uint64_t untracked_ = 0;
};

}  // namespace nt::multicast
