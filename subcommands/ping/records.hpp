// ping's records: start, reply, timeout, error, summary (per host, and a total with several hosts).
// JSON fields are documented in man/nettool-ping.1.scd (OUTPUT); text follows iputils ping, and
// fping -c for the per-host summary lines of multi-host runs.
#pragma once
#include <ctime>
#include <string>
#include <vector>

#include "net/address.hpp"
#include "output/record.hpp"
#include "subcommands/ping/host.hpp"
#include "subcommands/ping/targets.hpp"

namespace nt::ping {

struct RecordStyle {
  bool multi_host = false;  // per-host summary lines instead of the iputils block
  bool timestamps = false;  // -D: "[unix.micros] " before text lines
  // reply/timeout/error records: detail, or bulk with -f (machine formats only, as iputils prints
  // no line per probe when flooding)
  output::Level probe_level = output::Level::detail;
  bool per_probe = true;  // the output wants probe records at probe_level (Output::wants)
};

struct ReplyInfo {
  const Target& target;
  const net::SocketAddress& from;
  uint64_t seq = 0;
  int ttl = -1;
  std::size_t bytes = 0;  // ICMP header + payload, as iputils counts
  double rtt_ms = 0;
  struct timespec received {};
  bool duplicate = false;
  bool corrupted = false;     // payload differs from what we sent, or truncated
  bool bad_checksum = false;  // ICMPv4 checksum failed (also counted as corrupted)
  bool late = false;          // arrived after its timeout record
};

struct ErrorInfo {
  const Target& target;
  std::string from{};  // the reporting router; empty for local send errors
  uint64_t seq = 0;    // 0: not tied to a probe
  int icmp_type = -1, icmp_code = -1;
  std::string reason{};
  struct timespec when {};
};

output::Record start_record(const std::vector<Host>& hosts, std::size_t payload, const char* socket_kind,
                            const RecordStyle& style);
output::Record reply_record(const ReplyInfo& r, const RecordStyle& style);
output::Record timeout_record(const Target& t, uint64_t seq, double timeout_ms, const RecordStyle& style);
output::Record error_record(const ErrorInfo& e, const RecordStyle& style);
output::Record unresolved_record(const TargetError& e, const RecordStyle& style);
// -v only: a packet that was not for us or could not be parsed.
output::Record ignored_record(const net::SocketAddress& from, const char* why);
output::Record summary_record(const Host& h, double duration_s, const RecordStyle& style);
output::Record total_record(const std::vector<Host>& hosts, uint64_t required, double duration_s);

// "name (address)" for resolved names, the address otherwise.
std::string display_name(const Target& t);
// Loss in percent with transmitted = 0 counting as 0 % (nothing was asked).
double loss_percent(uint64_t transmitted, uint64_t received) noexcept;

}  // namespace nt::ping
