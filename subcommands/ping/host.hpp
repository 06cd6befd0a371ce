// Per-host state of a ping run: what was sent (a ring of recent probes, so duplicates and late
// replies are recognised with bounded memory), what came back, and the RTT statistics.
#pragma once
#include <algorithm>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "event/loop.hpp"
#include "icmp/codec.hpp"
#include "output/latency.hpp"
#include "subcommands/ping/targets.hpp"

namespace nt::ping {

enum class ProbeState : uint8_t { empty, pending, replied, timed_out, failed };

struct Probe {
  uint64_t number = 0;  // 1-based; the wire carries number mod 65536
  event::TimePoint sent_mono{};
  int64_t sent_wall_ns = 0;  // CLOCK_REALTIME just before sendto, to compare with SO_TIMESTAMPNS
  ProbeState state = ProbeState::empty;
};

class ProbeRing {
 public:
  // Capacity is rounded up to a power of two in [16, 65536] so a 16-bit sequence indexes it directly.
  explicit ProbeRing(std::size_t capacity)
      : probes_(std::bit_ceil(std::clamp<std::size_t>(capacity, 16, 65536))), mask_(probes_.size() - 1) {}
  Probe& slot(uint64_t number) noexcept { return probes_[number & mask_]; }
  // The remembered probe with this wire sequence number, or nullptr (never sent or overwritten).
  Probe* find(uint16_t seq) noexcept {
    Probe& p = probes_[seq & mask_];
    return p.state != ProbeState::empty && static_cast<uint16_t>(p.number) == seq ? &p : nullptr;
  }
  std::size_t capacity() const noexcept { return probes_.size(); }

 private:
  std::vector<Probe> probes_;
  std::size_t mask_;
};

struct Host {
  Host(Target t, std::size_t socket_index, uint16_t identifier, std::size_t ring_capacity)
      : target(std::move(t)), socket(socket_index), ident(identifier), ring(ring_capacity) {}

  Target target;
  std::size_t socket;  // index into the session's sockets (one per family)
  uint16_t ident;      // our identifier on raw sockets; datagram sockets get the kernel's
  ProbeRing ring;
  uint64_t sent = 0, received = 0, duplicates = 0, corrupted = 0, errors = 0, timeouts = 0;
  uint64_t outstanding = 0;  // sent, neither answered nor timed out nor failed
  output::LatencySummary rtt;
  bool sending_done = false;
  event::TimePoint planned{};  // when the next probe is due (interval kept without drift)
  bool queued = false;         // has an entry in the session's due queue
};

// The probe a reply or quoted error refers to: on raw sockets the identifier must be this host's
// (raw sockets see every pinger's replies); datagram sockets get only their own from the kernel.
inline Probe* match_probe(Host& h, bool check_id, uint16_t id, uint16_t seq) noexcept {
  if (check_id && id != h.ident) return nullptr;
  return h.ring.find(seq);
}

}  // namespace nt::ping
