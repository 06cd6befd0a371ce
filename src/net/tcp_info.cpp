// The decoders only: <linux/tcp.h> gives the struct's offsets but clashes with glibc's
// <netinet/tcp.h>, so reading the options lives in tcp_info_read.cpp.
#include "net/tcp_info.hpp"

#include <fmt/format.h>
#include <linux/inet_diag.h>
#include <linux/tcp.h>

#include <array>
#include <cstddef>
#include <cstring>

namespace nt::net {

namespace {
// Fields the kernel appended after this uapi header's last one (tcpi_snd_wnd, Linux 5.4):
// tcpi_rcv_wnd and tcpi_rehash (6.2), the RTO totals (6.7), the AccECN counters (6.18).
struct TcpInfoLinux618 {
  struct tcp_info base;
  __u32 rcv_wnd, rehash;
  __u16 total_rto, total_rto_recoveries;
  __u32 total_rto_time;
  __u32 received_ce, delivered_e1_bytes, delivered_e0_bytes, delivered_ce_bytes;
  __u32 received_e1_bytes, received_e0_bytes, received_ce_bytes;
  __u16 accecn_fail_mode, accecn_opt_seen;
};
static_assert(sizeof(tcp_info) == 232,
              "linux/tcp.h grew past tcpi_snd_wnd: take the new fields from it, not TcpInfoLinux618");
static_assert(sizeof(TcpInfoLinux618) == 280);

enum class Kind : uint8_t { number, state, ca_state, options, flag, tfo_fail };

struct Field {
  std::string_view key;
  std::size_t offset;
  uint8_t size;
  Kind kind = Kind::number;
  uint8_t shift = 0;  // bitfields: the byte's bits (value >> shift) & mask
  uint8_t mask = 0;
};

#define NT_TI(member, key)                                                  \
  Field {                                                                   \
    key, offsetof(tcp_info, tcpi_##member), sizeof(tcp_info::tcpi_##member) \
  }
#define NT_TI_AS(member, key, kind)                                                     \
  Field {                                                                               \
    key, offsetof(tcp_info, tcpi_##member), sizeof(tcp_info::tcpi_##member), Kind::kind \
  }
#define NT_TX(member, key)                                                  \
  Field {                                                                   \
    key, offsetof(TcpInfoLinux618, member), sizeof(TcpInfoLinux618::member) \
  }

// The byte after tcpi_options holds snd_wscale:4, rcv_wscale:4 (low bits first, as GCC and clang
// lay out bitfields on little- and big-endian Linux alike for a single byte), the next one
// delivery_rate_app_limited:1, fastopen_client_fail:2.
constexpr std::size_t kWscaleByte = offsetof(tcp_info, tcpi_options) + 1;
constexpr std::size_t kFlagsByte = kWscaleByte + 1;

constexpr auto kFields = std::to_array<Field>({
    NT_TI_AS(state, "state", state),
    NT_TI_AS(ca_state, "ca_state", ca_state),
    NT_TI(retransmits, "retransmits"),
    NT_TI(probes, "probes"),
    NT_TI(backoff, "backoff"),
    NT_TI_AS(options, "options", options),
    Field{"snd_wscale", kWscaleByte, 1, Kind::number, 0, 0x0f},
    Field{"rcv_wscale", kWscaleByte, 1, Kind::number, 4, 0x0f},
    Field{"delivery_rate_app_limited", kFlagsByte, 1, Kind::flag, 0, 0x01},
    Field{"fastopen_client_fail", kFlagsByte, 1, Kind::tfo_fail, 1, 0x03},
    NT_TI(rto, "rto_us"),
    NT_TI(ato, "ato_us"),
    NT_TI(snd_mss, "snd_mss_bytes"),
    NT_TI(rcv_mss, "rcv_mss_bytes"),
    NT_TI(unacked, "unacked"),
    NT_TI(sacked, "sacked"),
    NT_TI(lost, "lost"),
    NT_TI(retrans, "retrans"),
    NT_TI(fackets, "fackets"),
    NT_TI(last_data_sent, "last_data_sent_ms"),
    NT_TI(last_ack_sent, "last_ack_sent_ms"),
    NT_TI(last_data_recv, "last_data_recv_ms"),
    NT_TI(last_ack_recv, "last_ack_recv_ms"),
    NT_TI(pmtu, "pmtu_bytes"),
    NT_TI(rcv_ssthresh, "rcv_ssthresh_bytes"),
    NT_TI(rtt, "rtt_us"),
    NT_TI(rttvar, "rttvar_us"),
    NT_TI(snd_ssthresh, "snd_ssthresh"),
    NT_TI(snd_cwnd, "snd_cwnd"),
    NT_TI(advmss, "advmss_bytes"),
    NT_TI(reordering, "reordering"),
    NT_TI(rcv_rtt, "rcv_rtt_us"),
    NT_TI(rcv_space, "rcv_space_bytes"),
    NT_TI(total_retrans, "total_retrans"),
    NT_TI(pacing_rate, "pacing_rate_bytes_per_s"),
    NT_TI(max_pacing_rate, "max_pacing_rate_bytes_per_s"),
    NT_TI(bytes_acked, "bytes_acked"),
    NT_TI(bytes_received, "bytes_received"),
    NT_TI(segs_out, "segs_out"),
    NT_TI(segs_in, "segs_in"),
    NT_TI(notsent_bytes, "notsent_bytes"),
    NT_TI(min_rtt, "min_rtt_us"),
    NT_TI(data_segs_in, "data_segs_in"),
    NT_TI(data_segs_out, "data_segs_out"),
    NT_TI(delivery_rate, "delivery_rate_bytes_per_s"),
    NT_TI(busy_time, "busy_time_us"),
    NT_TI(rwnd_limited, "rwnd_limited_us"),
    NT_TI(sndbuf_limited, "sndbuf_limited_us"),
    NT_TI(delivered, "delivered"),
    NT_TI(delivered_ce, "delivered_ce"),
    NT_TI(bytes_sent, "bytes_sent"),
    NT_TI(bytes_retrans, "bytes_retrans"),
    NT_TI(dsack_dups, "dsack_dups"),
    NT_TI(reord_seen, "reord_seen"),
    NT_TI(rcv_ooopack, "rcv_ooopack"),
    NT_TI(snd_wnd, "snd_wnd_bytes"),
    NT_TX(rcv_wnd, "rcv_wnd_bytes"),
    NT_TX(rehash, "rehash"),
    NT_TX(total_rto, "total_rto"),
    NT_TX(total_rto_recoveries, "total_rto_recoveries"),
    NT_TX(total_rto_time, "total_rto_time_ms"),
    NT_TX(received_ce, "received_ce"),
    NT_TX(delivered_e1_bytes, "delivered_e1_bytes"),
    NT_TX(delivered_e0_bytes, "delivered_e0_bytes"),
    NT_TX(delivered_ce_bytes, "delivered_ce_bytes"),
    NT_TX(received_e1_bytes, "received_e1_bytes"),
    NT_TX(received_e0_bytes, "received_e0_bytes"),
    NT_TX(received_ce_bytes, "received_ce_bytes"),
    NT_TX(accecn_fail_mode, "accecn_fail_mode"),
    NT_TX(accecn_opt_seen, "accecn_opt_seen"),
});
#undef NT_TI
#undef NT_TI_AS
#undef NT_TX

constexpr auto kKeys = [] {
  std::array<std::string_view, kFields.size()> keys{};
  for (std::size_t i = 0; i < kFields.size(); ++i) keys[i] = kFields[i].key;
  return keys;
}();

constexpr std::array<std::string_view, 5> kCaStates = {"open", "disorder", "cwr", "recovery", "loss"};
constexpr std::array<std::string_view, 4> kTfoFailures = {"unspec", "cookie_unavailable", "data_not_acked",
                                                          "syn_retransmitted"};
// TCPI_OPT_* bits, lowest first (USEC_TS 6.7, TFO_CHILD 6.7).
constexpr std::array<std::string_view, 8> kOptionBits = {"timestamps", "sack",     "wscale",  "ecn",
                                                         "ecn_seen",   "syn_data", "usec_ts", "tfo_child"};

uint64_t read_unsigned(std::span<const std::byte> b, std::size_t offset, std::size_t size) {
  switch (size) {
    case 1:
      return std::to_integer<uint8_t>(b[offset]);
    case 2: {
      uint16_t v;
      std::memcpy(&v, b.data() + offset, sizeof v);
      return v;
    }
    case 4: {
      uint32_t v;
      std::memcpy(&v, b.data() + offset, sizeof v);
      return v;
    }
    default: {
      uint64_t v;
      std::memcpy(&v, b.data() + offset, sizeof v);
      return v;
    }
  }
}

output::Json named(std::span<const std::string_view> names, uint64_t v) {
  if (v < names.size()) return std::string(names[v]);
  return v;
}

output::Json option_names(uint64_t bits) {
  output::Json names = output::Json::array();
  for (std::size_t i = 0; i < kOptionBits.size(); ++i)
    if (bits & (1U << i)) names.push_back(kOptionBits[i]);
  return names;
}

output::Json decode_field(const Field& f, uint64_t raw) {
  const uint64_t v = f.mask ? (raw >> f.shift) & f.mask : raw;
  switch (f.kind) {
    case Kind::state: {
      const std::string_view name = tcp_state_name(static_cast<unsigned>(v));
      return name.empty() ? output::Json(v) : output::Json(std::string(name));
    }
    case Kind::ca_state:
      return named(kCaStates, v);
    case Kind::options:
      return option_names(v);
    case Kind::flag:
      return v != 0;
    case Kind::tfo_fail:
      return named(kTfoFailures, v);
    case Kind::number:
      break;
  }
  return v;
}

std::string hex(std::span<const std::byte> bytes) {
  std::string s;
  for (std::byte b : bytes) s += fmt::format("{:02x}", std::to_integer<unsigned>(b));
  return s;
}

template <typename T>
T load(std::span<const std::byte> b) {
  T v{};
  std::memcpy(&v, b.data(), std::min(sizeof v, b.size()));
  return v;
}
}  // namespace

std::size_t tcp_info_known_size() noexcept {
  return sizeof(TcpInfoLinux618);
}

std::span<const std::string_view> tcp_info_keys() noexcept {
  return kKeys;
}

std::string_view tcp_state_name(unsigned state) noexcept {
  static constexpr std::array<std::string_view, 14> kStates = {
      "",      "established", "syn_sent", "syn_recv", "fin_wait1", "fin_wait2",    "time_wait",
      "close", "close_wait",  "last_ack", "listen",   "closing",   "new_syn_recv", "bound_inactive"};
  return state < kStates.size() ? kStates[state] : std::string_view{};
}

output::Json decode_tcp_info(std::span<const std::byte> info) {
  output::Json j = output::Json::object();
  j["length_bytes"] = info.size();
  for (const Field& f : kFields) {
    const std::string key(f.key);
    if (f.offset + f.size > info.size()) {
      j[key] = nullptr;  // an older kernel: it does not have this field
      continue;
    }
    j[key] = decode_field(f, read_unsigned(info, f.offset, f.size));
  }
  if (info.size() > tcp_info_known_size()) j["unknown_bytes"] = info.size() - tcp_info_known_size();
  return j;
}

output::Json decode_tcp_cc_info(std::string_view algorithm, std::span<const std::byte> info) {
  output::Json j = output::Json::object();
  j["algorithm"] = algorithm;
  j["length_bytes"] = info.size();
  if (info.empty()) return j;
  if (algorithm.substr(0, 3) == "bbr" && info.size() >= sizeof(tcp_bbr_info)) {
    const auto bbr = load<tcp_bbr_info>(info);
    j["bw_bytes_per_s"] = (uint64_t{bbr.bbr_bw_hi} << 32) | bbr.bbr_bw_lo;
    j["min_rtt_us"] = bbr.bbr_min_rtt;
    j["pacing_gain"] = bbr.bbr_pacing_gain / 256.0;  // fixed point, 8 fraction bits
    j["cwnd_gain"] = bbr.bbr_cwnd_gain / 256.0;
  } else if (algorithm == "dctcp" && info.size() >= sizeof(tcp_dctcp_info)) {
    const auto d = load<tcp_dctcp_info>(info);
    j["enabled"] = d.dctcp_enabled != 0;
    j["ce_state"] = d.dctcp_ce_state;
    j["alpha"] = d.dctcp_alpha;
    j["ab_ecn_bytes"] = d.dctcp_ab_ecn;
    j["ab_tot_bytes"] = d.dctcp_ab_tot;
  } else if ((algorithm == "vegas" || algorithm == "westwood" || algorithm == "illinois") &&
             info.size() >= sizeof(tcpvegas_info)) {
    const auto v = load<tcpvegas_info>(info);
    j["enabled"] = v.tcpv_enabled != 0;
    j["rtt_count"] = v.tcpv_rttcnt;
    j["rtt_us"] = v.tcpv_rtt;
    j["min_rtt_us"] = v.tcpv_minrtt;
  } else {
    j["hex"] = hex(info);
  }
  return j;
}

}  // namespace nt::net
