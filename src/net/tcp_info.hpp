// TCP_INFO and TCP_CC_INFO decoded: the complete struct tcp_info of Linux 6.18 (the uapi header of
// this build plus the fields added since, by their kernel offsets), field by field, with units in
// the keys. The kernel copies min(our length, its struct) and says how much: fields past that length
// are null (an older kernel), bytes past what we know are counted (a newer one). Used by
// `sockopt inspect` and `fd-pass`.
#pragma once
#include <cstddef>
#include <span>
#include <string_view>

#include "output/record.hpp"

namespace nt::net {

class SocketHandle;

// Room for any struct tcp_info a kernel returns (280 bytes on 6.18).
inline constexpr std::size_t kTcpInfoCapacity = 512;
// The bytes of struct tcp_info this build decodes (280: up to tcpi_accecn_opt_seen).
std::size_t tcp_info_known_size() noexcept;

// {"length_bytes": 280, "state": "established", "ca_state": "open", "retransmits": 0, …,
//  "options": ["timestamps", "sack", …], "rto_us": 201000, "rtt_us": 53, "snd_cwnd": 10, …}.
// Each field is the kernel's tcpi_NAME with its unit appended (_us, _ms, _bytes, _bytes_per_s).
// "unknown_bytes" appears when the kernel returned more than tcp_info_known_size().
output::Json decode_tcp_info(std::span<const std::byte> info);

// The JSON keys decode_tcp_info emits for fields, in struct order (for docs and tests).
std::span<const std::string_view> tcp_info_keys() noexcept;

// union tcp_cc_info, read by the algorithm that filled it (the socket's TCP_CONGESTION):
// bbr {"bw_bytes_per_s", "min_rtt_us", "pacing_gain", "cwnd_gain"}; dctcp {"enabled", "ce_state",
// "alpha", "ab_ecn_bytes", "ab_tot_bytes"}; vegas, westwood, illinois {"enabled", "rtt_count",
// "rtt_us", "min_rtt_us"}; every one with "algorithm" and "length_bytes" (0: the algorithm keeps
// none, e.g. cubic); unknown layouts as "hex".
output::Json decode_tcp_cc_info(std::string_view algorithm, std::span<const std::byte> info);

// "established", "listen", "time_wait", … (include/net/tcp_states.h); "" when unknown.
std::string_view tcp_state_name(unsigned state) noexcept;

// Reads and decodes TCP_INFO / TCP_CONGESTION + TCP_CC_INFO: 0, or -errno (out untouched).
[[nodiscard]] int read_tcp_info(SocketHandle s, output::Json& out);
[[nodiscard]] int read_tcp_cc_info(SocketHandle s, output::Json& out);

}  // namespace nt::net
