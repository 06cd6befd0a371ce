// One client exchange: send a request on a connected UDP socket and wait for the answer to it.
// The socket is connected, so the kernel drops datagrams from any other address or port; for SNTP
// the random transmit timestamp we send must come back as the origin (RFC 4330 §5), so a blind
// spoofer has to guess 64 bits.
#pragma once
#include <chrono>
#include <functional>
#include <random>
#include <string>

#include "output/record.hpp"
#include "subcommands/udp_time/records.hpp"
#include "subcommands/udp_time/responder.hpp"

namespace nt::udp_time {

enum class Outcome {
  sample,       // a valid reply
  timeout,      // nothing valid before the deadline: retry
  refused,      // ICMP port unreachable: retry (the server may be restarting)
  kod_rate,     // RATE: back off, then retry
  kod_stop,     // DENY, RSTR or another kiss code: stop querying
  unusable,     // an authentic reply that cannot be used (unsynchronised…): no retry
  interrupted,  // SIGINT/SIGTERM
};

struct AttemptResult {
  Outcome outcome = Outcome::timeout;
  Sample sample;
  std::string reason;  // verdict or errno text for everything but `sample`
};

class Querier {
 public:
  using Report = std::function<void(const ClientEventRecord&)>;
  Querier(int fd, timeproto::Protocol protocol, int ntp_version, Report report);
  AttemptResult attempt(int seq, int attempt, std::chrono::nanoseconds timeout);
  std::mt19937_64& rng() noexcept { return rng_; }

 private:
  // 0, or the errno of a failed send (e.g. ECONNREFUSED left by an earlier ICMP port unreachable).
  int send_request(int64_t& t1_ns, uint64_t& cookie);
  void discard_late_replies();
  // Interprets one received datagram; false: not an answer to us, keep waiting.
  bool interpret(std::span<const std::byte> data, int64_t t1_ns, int64_t t4_ns, uint64_t cookie,
                 AttemptResult& out);
  bool interpret_sntp(std::span<const std::byte> data, int64_t t1_ns, int64_t t4_ns, uint64_t cookie,
                      AttemptResult& out);

  int fd_;
  timeproto::Protocol protocol_;
  int ntp_version_;
  Report report_;
  std::mt19937_64 rng_;
  int seq_ = 0, attempt_ = 0;
};

}  // namespace nt::udp_time
