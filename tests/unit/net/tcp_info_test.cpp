// TCP_INFO / TCP_CC_INFO decoders against structs laid out by <linux/tcp.h> itself (so the offsets
// and bitfields are the compiler's, not ours), truncated and extended lengths, and a live socket.
// <linux/tcp.h> clashes with glibc's <netinet/tcp.h>: this file includes only the former.
#include <doctest/doctest.h>
#include <linux/inet_diag.h>
#include <linux/tcp.h>

#include <cstring>
#include <set>
#include <vector>

#include "net/tcp_info.hpp"

using namespace nt;

namespace {
std::vector<std::byte> bytes_of(const void* p, std::size_t n) {
  std::vector<std::byte> out(n);
  std::memcpy(out.data(), p, n);
  return out;
}

template <typename T>
void put(std::vector<std::byte>& b, std::size_t offset, T v) {
  std::memcpy(b.data() + offset, &v, sizeof v);
}

tcp_info sample() {
  tcp_info ti{};
  ti.tcpi_state = 1;
  ti.tcpi_ca_state = 3;
  ti.tcpi_options = 1 | 2 | 4;
  ti.tcpi_snd_wscale = 7;
  ti.tcpi_rcv_wscale = 9;
  ti.tcpi_delivery_rate_app_limited = 1;
  ti.tcpi_fastopen_client_fail = 2;
  ti.tcpi_rto = 204000;
  ti.tcpi_snd_mss = 32768;
  ti.tcpi_rtt = 1234;
  ti.tcpi_rttvar = 617;
  ti.tcpi_snd_cwnd = 10;
  ti.tcpi_snd_ssthresh = 0x7fffffff;
  ti.tcpi_pacing_rate = uint64_t{1} << 40;
  ti.tcpi_bytes_acked = 1000;
  ti.tcpi_busy_time = 77;
  ti.tcpi_snd_wnd = 65535;
  return ti;
}
}  // namespace

TEST_CASE("tcp_info: the uapi struct's fields, bitfields and names") {
  const tcp_info ti = sample();
  const auto j = net::decode_tcp_info(bytes_of(&ti, sizeof ti));
  CHECK(j["length_bytes"] == sizeof ti);
  CHECK(j["state"] == "established");
  CHECK(j["ca_state"] == "recovery");
  CHECK(j["options"] == output::Json::array({"timestamps", "sack", "wscale"}));
  CHECK(j["snd_wscale"] == 7);
  CHECK(j["rcv_wscale"] == 9);
  CHECK(j["delivery_rate_app_limited"] == true);
  CHECK(j["fastopen_client_fail"] == "data_not_acked");
  CHECK(j["rto_us"] == 204000);
  CHECK(j["snd_mss_bytes"] == 32768);
  CHECK(j["rtt_us"] == 1234);
  CHECK(j["rttvar_us"] == 617);
  CHECK(j["snd_cwnd"] == 10);
  CHECK(j["snd_ssthresh"] == 0x7fffffff);
  CHECK(j["pacing_rate_bytes_per_s"] == uint64_t{1} << 40);
  CHECK(j["bytes_acked"] == 1000);
  CHECK(j["busy_time_us"] == 77);
  CHECK(j["snd_wnd_bytes"] == 65535);
  // This header ends at tcpi_snd_wnd: the fields newer kernels add are null in a 232-byte answer.
  CHECK(j["rcv_wnd_bytes"].is_null());
  CHECK(j["accecn_opt_seen"].is_null());
  CHECK_FALSE(j.contains("unknown_bytes"));
}

TEST_CASE("tcp_info: the fields after the header's (6.2, 6.7, 6.18) by their kernel offsets") {
  const tcp_info ti = sample();
  std::vector<std::byte> b = bytes_of(&ti, sizeof ti);
  b.resize(net::tcp_info_known_size());
  CHECK(b.size() == 280);
  put<uint32_t>(b, 232, 131072);  // tcpi_rcv_wnd
  put<uint32_t>(b, 236, 2);       // tcpi_rehash
  put<uint16_t>(b, 240, 3);       // tcpi_total_rto
  put<uint16_t>(b, 242, 1);       // tcpi_total_rto_recoveries
  put<uint32_t>(b, 244, 450);     // tcpi_total_rto_time
  put<uint32_t>(b, 248, 5);       // tcpi_received_ce
  put<uint16_t>(b, 278, 4);       // tcpi_accecn_opt_seen
  const auto j = net::decode_tcp_info(b);
  CHECK(j["rcv_wnd_bytes"] == 131072);
  CHECK(j["rehash"] == 2);
  CHECK(j["total_rto"] == 3);
  CHECK(j["total_rto_recoveries"] == 1);
  CHECK(j["total_rto_time_ms"] == 450);
  CHECK(j["received_ce"] == 5);
  CHECK(j["accecn_opt_seen"] == 4);
  CHECK(j["rtt_us"] == 1234);
}

TEST_CASE("tcp_info: an older kernel's short answer and a newer kernel's long one") {
  const tcp_info ti = sample();
  // Linux 3.x ended at tcpi_total_retrans.
  const std::size_t old_size = offsetof(tcp_info, tcpi_pacing_rate);
  const auto old_kernel = net::decode_tcp_info(bytes_of(&ti, old_size));
  CHECK(old_kernel["length_bytes"] == old_size);
  CHECK(old_kernel["rtt_us"] == 1234);
  CHECK(old_kernel["pacing_rate_bytes_per_s"].is_null());
  CHECK(old_kernel["snd_wnd_bytes"].is_null());
  std::vector<std::byte> newer(net::tcp_info_known_size() + 24);
  const auto new_kernel = net::decode_tcp_info(newer);
  CHECK(new_kernel["unknown_bytes"] == 24);
  CHECK(new_kernel["state"] == 0);  // no state 0: the number
  CHECK(net::decode_tcp_info({})["state"].is_null());
}

TEST_CASE("tcp_info: keys are unique and carry their units") {
  std::set<std::string_view> keys;
  for (std::string_view k : net::tcp_info_keys()) CHECK_MESSAGE(keys.insert(k).second, k);
  CHECK(keys.count("rtt_us"));
  CHECK(keys.count("last_data_recv_ms"));
  CHECK(keys.count("delivery_rate_bytes_per_s"));
  CHECK(net::tcp_state_name(10) == "listen");
  CHECK(net::tcp_state_name(99).empty());
}

TEST_CASE("tcp_cc_info: bbr, dctcp, vegas, none and unknown layouts") {
  tcp_bbr_info bbr{};
  bbr.bbr_bw_lo = 5;
  bbr.bbr_bw_hi = 1;
  bbr.bbr_min_rtt = 42;
  bbr.bbr_pacing_gain = 739;  // 2.886 << 8
  bbr.bbr_cwnd_gain = 512;
  auto j = net::decode_tcp_cc_info("bbr", bytes_of(&bbr, sizeof bbr));
  CHECK(j["algorithm"] == "bbr");
  CHECK(j["length_bytes"] == sizeof bbr);
  CHECK(j["bw_bytes_per_s"] == (uint64_t{1} << 32) + 5);
  CHECK(j["min_rtt_us"] == 42);
  CHECK(j["pacing_gain"].get<double>() == doctest::Approx(739 / 256.0));
  CHECK(j["cwnd_gain"] == 2.0);

  tcp_dctcp_info d{};
  d.dctcp_enabled = 1;
  d.dctcp_alpha = 1024;
  j = net::decode_tcp_cc_info("dctcp", bytes_of(&d, sizeof d));
  CHECK(j["enabled"] == true);
  CHECK(j["alpha"] == 1024);

  tcpvegas_info v{};
  v.tcpv_rtt = 300;
  j = net::decode_tcp_cc_info("westwood", bytes_of(&v, sizeof v));
  CHECK(j["rtt_us"] == 300);

  j = net::decode_tcp_cc_info("cubic", {});
  CHECK(j["length_bytes"] == 0);
  CHECK(j.size() == 2);
  const std::byte raw[2] = {std::byte{0xab}, std::byte{0x01}};
  CHECK(net::decode_tcp_cc_info("cdg", raw)["hex"] == "ab01");
  CHECK(net::decode_tcp_cc_info("bbr", raw)["hex"] == "ab01");  // too short for tcp_bbr_info
}
