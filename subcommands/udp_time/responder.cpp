#include "subcommands/udp_time/responder.hpp"

#include <time.h>

#include <algorithm>
#include <cmath>
#include <cstring>

namespace nt::timeproto {

namespace {
// Daytime and time requests carry no meaning, but a big one is no client: drop it.
constexpr std::size_t kMaxPlainRequest = 512;

constexpr uint16_t kFirstUnprivilegedPort = 1024;
constexpr std::size_t kTimeReplySize = 4;

// What another daytime/time/SNTP server sends: a 4-byte RFC 868 time, a line of text ending in a
// newline (RFC 867), or an NTP header in server or broadcast mode. Clients send none of these.
bool looks_like_reply(std::span<const std::byte> d) noexcept {
  if (d.size() == kTimeReplySize) return true;
  if (!d.empty() && std::to_integer<char>(d.back()) == '\n') return true;
  if (d.size() < kNtpHeaderSize) return false;
  auto mode = static_cast<Mode>(std::to_integer<uint8_t>(d[0]) & 7u);
  return mode == Mode::server || mode == Mode::broadcast;
}

std::size_t copy_out(const NtpBytes& b, std::span<std::byte> out) noexcept {
  if (out.size() < b.size()) return 0;
  std::memcpy(out.data(), b.data(), b.size());
  return b.size();
}

std::size_t sntp_reply(const ResponderConfig& cfg, const NtpPacket& req, int64_t recv_ns, int64_t xmit_ns,
                       std::span<std::byte> out) noexcept {
  NtpPacket r;
  r.leap = Leap::none;
  r.version = req.version;  // RFC 5905 §9.2: reply in the version of the request
  r.mode = Mode::server;
  r.stratum = cfg.stratum;
  r.poll = std::clamp<int8_t>(req.poll, 4, 17);
  r.precision = cfg.precision;
  r.root_delay = short_from_seconds(cfg.root_delay_s);
  r.root_dispersion = short_from_seconds(cfg.root_dispersion_s);
  r.reference_id = cfg.reference_id;
  // Our clock is the reference: "last set" is the start of the current second.
  r.reference = ntp_from_unix_ns(recv_ns - recv_ns % kNsPerS);
  r.origin = req.transmit;
  r.receive = ntp_from_unix_ns(recv_ns);
  r.transmit = ntp_from_unix_ns(xmit_ns);
  return copy_out(encode(r), out);
}
}  // namespace

std::string protocol_name(Protocol p) {
  switch (p) {
    case Protocol::daytime:
      return "daytime";
    case Protocol::time:
      return "time";
    case Protocol::sntp:
      return "sntp";
  }
  return "unknown";
}

uint16_t standard_port(Protocol p) {
  return p == Protocol::daytime ? 13 : p == Protocol::time ? 37 : 123;
}

uint16_t default_server_port(Protocol p) {
  return static_cast<uint16_t>(10000 + standard_port(p));
}

std::string drop_reason_name(DropReason r) {
  switch (r) {
    case DropReason::none:
      return "none";
    case DropReason::malformed:
      return "malformed";
    case DropReason::oversized:
      return "oversized";
    case DropReason::not_client:
      return "not_client";
    case DropReason::bad_version:
      return "bad_version";
    case DropReason::rate_limited:
      return "rate_limited";
    case DropReason::source_port:
      return "source_port";
    case DropReason::reply_like:
      return "reply_like";
  }
  return "unknown";
}

DropReason check_request(const ResponderConfig& cfg, std::span<const std::byte> request,
                         bool truncated) noexcept {
  if (cfg.protocol != Protocol::sntp) {
    if (truncated || request.size() > kMaxPlainRequest) return DropReason::oversized;
    return looks_like_reply(request) ? DropReason::reply_like : DropReason::none;
  }
  if (truncated || request.size() > kNtpMaxRequestSize) return DropReason::oversized;
  // Extension fields and MACs come in 32-bit words (RFC 7822); anything else is not NTP.
  if (request.size() < kNtpHeaderSize || request.size() % 4 != 0) return DropReason::malformed;
  auto first = std::to_integer<uint8_t>(request[0]);
  unsigned version = (first >> 3) & 7u, mode = first & 7u;
  if (version < 1 || version > 4) return DropReason::bad_version;
  if (mode != static_cast<unsigned>(Mode::client)) return DropReason::not_client;
  return DropReason::none;
}

DropReason check_source_port(const ResponderConfig& cfg, uint16_t port) noexcept {
  if (port == 0) return DropReason::source_port;  // not a real client: nobody can receive on port 0
  // SNTP keeps low ports: ntpd queries from port 123, and an SNTP reply (mode 4) is never answered.
  if (cfg.protocol == Protocol::sntp || cfg.allow_low_ports) return DropReason::none;
  return port < kFirstUnprivilegedPort ? DropReason::source_port : DropReason::none;
}

std::size_t build_reply(const ResponderConfig& cfg, std::span<const std::byte> request, int64_t recv_ns,
                        int64_t xmit_ns, std::span<std::byte> out) noexcept {
  switch (cfg.protocol) {
    case Protocol::sntp: {
      auto req = decode(request);
      return req ? sntp_reply(cfg, *req, recv_ns, xmit_ns, out) : 0;
    }
    case Protocol::time: {
      if (out.size() < 4) return 0;
      uint32_t v = rfc868_from_unix_ns(xmit_ns);
      for (int i = 0; i < 4; ++i) out[static_cast<std::size_t>(i)] = std::byte(v >> (24 - 8 * i));
      return 4;
    }
    case Protocol::daytime: {
      std::string line = format_daytime(xmit_ns, cfg.daytime_style);
      if (out.size() < line.size()) return 0;
      std::memcpy(out.data(), line.data(), line.size());
      return line.size();
    }
  }
  return 0;
}

std::size_t build_kod_rate(std::span<const std::byte> request, int64_t recv_ns, int64_t xmit_ns,
                           std::span<std::byte> out) noexcept {
  auto req = decode(request);
  if (!req) return 0;
  NtpPacket r;
  r.leap = Leap::unsynchronised;
  r.version = req->version;
  r.mode = Mode::server;
  r.stratum = 0;
  r.poll = std::clamp<int8_t>(req->poll, 4, 17);
  r.reference_id = refid_from_ascii("RATE");
  r.origin = req->transmit;
  r.receive = ntp_from_unix_ns(recv_ns);
  r.transmit = ntp_from_unix_ns(xmit_ns);
  return copy_out(encode(r), out);
}

int8_t measure_precision() noexcept {
  // The smallest non-zero step between two readings, as ntpd and chrony measure it.
  int64_t best = kNsPerS;
  struct timespec a {
  }, b{};
  for (int i = 0; i < 64; ++i) {
    clock_gettime(CLOCK_REALTIME, &a);
    do {
      clock_gettime(CLOCK_REALTIME, &b);
    } while (a.tv_sec == b.tv_sec && a.tv_nsec == b.tv_nsec);
    best = std::min<int64_t>(best, (b.tv_sec - a.tv_sec) * kNsPerS + (b.tv_nsec - a.tv_nsec));
  }
  double l = std::ceil(std::log2(static_cast<double>(best) / 1e9));
  return static_cast<int8_t>(std::clamp(l, -32.0, 0.0));
}

}  // namespace nt::timeproto
