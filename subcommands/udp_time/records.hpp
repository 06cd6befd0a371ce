// The records udp-time emits (documented in man/nettool-udp-time.1.scd, OUTPUT).
#pragma once
#include <array>
#include <cstdint>
#include <optional>
#include <string>

#include "output/record.hpp"
#include "subcommands/udp_time/responder.hpp"
#include "subcommands/udp_time/sntp_packet.hpp"

namespace nt::udp_time {

// ---- server ----
struct ListeningRecord {
  std::string address;
  timeproto::Protocol protocol;
  int stratum;
  std::string refid;
  double rate_limit;
  double rate_burst;
  std::string limit_action;
  int max_sources;
  output::Record to_record() const;
};

struct RequestRecord {  // -v only
  std::string source;
  timeproto::Protocol protocol;
  std::string action;  // reply | kod | drop
  timeproto::DropReason reason;
  std::size_t request_bytes;
  std::size_t reply_bytes;
  output::Record to_record() const;
};

// Counters of the server, indexed by DropReason for drops.
struct ServerCounters {
  uint64_t requests = 0;
  uint64_t replies = 0;
  uint64_t kod_sent = 0;
  uint64_t rate_limited = 0;  // answered with a KoD or dropped because of the limit
  uint64_t send_errors = 0;
  std::array<uint64_t, timeproto::kDropReasons> dropped{};  // by DropReason (none unused)
  uint64_t dropped_total() const noexcept;
};

struct ServerSummary {
  const ServerCounters& counters;
  double duration_s;
  std::size_t sources_tracked;
  uint64_t source_evictions;
  bool final;
  output::Record to_record() const;
};

// ---- client ----
struct Sample {
  int seq = 0;
  int attempt = 0;
  double offset_s = 0;
  double delay_s = 0;
  int64_t server_time_ns = 0;
  std::optional<timeproto::NtpPacket> packet;  // SNTP only
  std::string text;                            // daytime only: the line as received
  bool has_offset = true;                      // false: daytime text we could not parse
};

struct SampleRecord {
  const Sample& sample;
  std::string server;
  timeproto::Protocol protocol;
  output::Record to_record() const;
};

struct ClientEventRecord {  // retry / rejected / kod
  std::string type;
  int seq;
  int attempt;
  std::string reason;
  std::optional<double> backoff_s;
  output::Record to_record() const;
};

struct ResultRecord {
  std::string server;
  timeproto::Protocol protocol;
  const Sample* best;  // null when no valid sample
  int samples;
  int sent;
  std::string kod;  // empty: none
  std::optional<double> max_offset_s;
  bool offset_exceeded;
  std::string failure;  // why the last attempt failed, when there is no valid sample
  output::Record to_record() const;
};

}  // namespace nt::udp_time
