#include "net/sockopt_value.hpp"

#include <arpa/inet.h>
#include <fmt/format.h>
#include <linux/net_tstamp.h>
#include <linux/sock_diag.h>

#include <array>
#include <cstring>

namespace nt::net {

namespace {
using Fields = std::vector<std::pair<std::string, output::Json>>;

template <typename T>
T load(std::span<const std::byte> b, std::size_t offset = 0) {
  T v{};
  if (offset < b.size()) std::memcpy(&v, b.data() + offset, std::min(sizeof v, b.size() - offset));
  return v;
}

// Integers by the length the kernel wrote: some options answer a short buffer with one byte
// (IP_TOS, IP_MULTICAST_TTL), SO_MAX_PACING_RATE with 4 or 8 bytes.
int64_t signed_value(std::span<const std::byte> b) {
  if (b.size() == 1) return std::to_integer<uint8_t>(b[0]);
  if (b.size() >= 8) return load<int64_t>(b);
  return load<int32_t>(b);
}

uint64_t unsigned_value(std::span<const std::byte> b) {
  if (b.size() == 1) return std::to_integer<uint8_t>(b[0]);
  if (b.size() >= 8) return load<uint64_t>(b);
  return load<uint32_t>(b);
}

std::string hex(std::span<const std::byte> bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string s;
  s.reserve(bytes.size() * 2);
  for (std::byte b : bytes) {
    s += kDigits[std::to_integer<unsigned>(b) >> 4];
    s += kDigits[std::to_integer<unsigned>(b) & 0xf];
  }
  return s;
}

// json_key of a table entry, built once (`sockopt inspect --pid` of a busy process asks for each
// key thousands of times).
const std::string& key_of(const SocketOption& o) {
  static const std::vector<std::string> keys = [] {
    std::vector<std::string> k;
    for (const auto& opt : socket_options()) k.push_back(json_key(opt));
    return k;
  }();
  const auto table = socket_options();
  if (&o >= table.data() && &o < table.data() + table.size())
    return keys[static_cast<std::size_t>(&o - table.data())];
  thread_local std::string other;  // an entry built outside the table
  other = json_key(o);
  return other;
}

output::Json c_string(std::span<const std::byte> b) {
  const auto* p = reinterpret_cast<const char*>(b.data());
  return std::string(p, strnlen(p, b.size()));
}

// struct timeval and struct __kernel_sock_timeval (SO_RCVTIMEO_NEW): both two 64-bit fields here.
output::Json seconds(std::span<const std::byte> b) {
  return static_cast<double>(load<int64_t>(b)) + static_cast<double>(load<int64_t>(b, 8)) / 1e6;
}

output::Json meminfo(std::span<const std::byte> b) {
  static constexpr std::array<std::string_view, SK_MEMINFO_VARS> kNames = {
      "rmem_alloc",  "rcvbuf", "wmem_alloc", "sndbuf", "fwd_alloc",
      "wmem_queued", "optmem", "backlog",    "drops"};
  output::Json j = output::Json::object();
  for (std::size_t i = 0; i < kNames.size() && (i + 1) * 4 <= b.size(); ++i)
    j[std::string(kNames[i]) + (kNames[i] == "drops" ? "" : "_bytes")] = load<uint32_t>(b, i * 4);
  return j;
}

output::Json structure(const SocketOption& o, std::span<const std::byte> b) {
  if (o.name == "SO_MEMINFO") return meminfo(b);
  // The TFO keys let whoever sees them forge Fast Open cookies for this host: their size only.
  if (o.name == "TCP_FASTOPEN_KEY") return {{"keys", b.size() / 16}};
  if (o.name == "SO_RCVTIMEO_NEW" || o.name == "SO_SNDTIMEO_NEW") return seconds(b);
  if (o.name == "SO_PEERGROUPS") {
    output::Json gids = output::Json::array();
    for (std::size_t off = 0; off + 4 <= b.size(); off += 4) gids.push_back(load<uint32_t>(b, off));
    return gids;
  }
  if (o.name == "SO_TXTIME" && b.size() >= sizeof(sock_txtime))
    return {{"clockid", load<int32_t>(b)}, {"flags", load<uint32_t>(b, 4)}};
  if (o.name == "IPV6_PATHMTU" && b.size() >= sizeof(ip6_mtuinfo)) {
    const auto m = load<ip6_mtuinfo>(b);
    return {{"address",
             SocketAddress(reinterpret_cast<const sockaddr*>(&m.ip6m_addr), sizeof m.ip6m_addr).to_string()},
            {"mtu_bytes", m.ip6m_mtu}};
  }
  return hex(b);
}

output::Json credentials(std::span<const std::byte> b) {
  const auto c = load<ucred>(b);
  return {{"pid", c.pid}, {"uid", c.uid}, {"gid", c.gid}};
}

output::Json ipv4_text(std::span<const std::byte> b) {
  std::array<char, INET_ADDRSTRLEN> text{};
  const auto a = load<in_addr>(b);
  return ::inet_ntop(AF_INET, &a, text.data(), text.size());
}

output::Json scalar(const SocketOption& o, std::span<const std::byte> b) {
  switch (o.type) {
    case OptionType::boolean:
      return signed_value(b) != 0;
    case OptionType::integer: {
      const int64_t v = signed_value(b);
      const std::string_view name = value_name(o, static_cast<int>(v));
      return name.empty() ? output::Json(v) : output::Json(std::string(name));
    }
    case OptionType::u32:
      if (o.name == "IP_LOCAL_PORT_RANGE") {  // upper 16 bits: max, lower: min; 0: the sysctl's
        const auto v = static_cast<uint32_t>(unsigned_value(b));
        return {{"min", v & 0xffff}, {"max", v >> 16}};
      }
      return unsigned_value(b);
    case OptionType::u64:
      return unsigned_value(b);
    case OptionType::timeval:
      return seconds(b);
    case OptionType::string:
    case OptionType::ifname:
      return c_string(b);
    case OptionType::ucred:
      return credentials(b);
    case OptionType::sockaddr:
      return SocketAddress(reinterpret_cast<const sockaddr*>(b.data()), static_cast<socklen_t>(b.size()))
          .to_string();
    case OptionType::in_addr:
      return ipv4_text(b);
    case OptionType::tcp_info:
    case OptionType::linger:
    case OptionType::structure:
      break;
  }
  return structure(o, b);
}
}  // namespace

std::string_view level_group(int level) noexcept {
  switch (level) {
    case SOL_SOCKET:
      return "socket";
    case IPPROTO_IP:
      return "ip";
    case IPPROTO_IPV6:
      return "ipv6";
    case IPPROTO_TCP:
      return "tcp";
    case IPPROTO_UDP:
      return "udp";
    default:
      return "other";
  }
}

std::string errno_name(int err) {
  const char* name = ::strerrorname_np(err);
  return name ? std::string(name) : fmt::format("E{}", err);
}

// The exact size for fixed-size values: some options refuse any other (SO_NETNS_COOKIE: EINVAL
// unless 8); 0 for variable ones (names, addresses, structures).
std::size_t value_size(OptionType t) noexcept {
  switch (t) {
    case OptionType::integer:
    case OptionType::boolean:
    case OptionType::u32:
    case OptionType::in_addr:
      return sizeof(int);
    case OptionType::u64:
      return sizeof(uint64_t);
    case OptionType::timeval:
      return sizeof(timeval);
    case OptionType::linger:
      return sizeof(linger);
    case OptionType::ucred:
      return sizeof(ucred);
    default:
      return 0;
  }
}

std::string_view intrusive_read(const SocketOption& o) noexcept {
  if (o.name == "SO_ERROR") return "reading it clears the pending error";
  if (o.name == "TCP_SAVED_SYN") return "reading it frees the saved SYN";
  return {};
}

Fields decode_option(const SocketOption& o, std::span<const std::byte> bytes) {
  if (o.type == OptionType::linger) {
    const auto l = load<linger>(bytes);
    return {{"linger_on", l.l_onoff != 0}, {key_of(o), l.l_linger}};
  }
  return {{key_of(o), scalar(o, bytes)}};
}

OptionReading read_option(SocketHandle s, const SocketOption& o, bool foreign) {
  OptionReading r;
  r.option = &o;
  if (foreign) r.skipped = intrusive_read(o);
  // Not a setting but a receive (into pages the caller mapped): never made.
  if (o.name == "TCP_ZEROCOPY_RECEIVE") r.skipped = "reading it receives data";
  std::array<std::byte, 1024> buf{};
  std::size_t size = value_size(o.type);
  // SO_PEERNAME refuses (EINVAL) a buffer longer than the address: ask for exactly its length.
  if (SocketAddress peer; o.name == "SO_PEERNAME" && s.peer_address(peer) == 0) size = peer.size();
  socklen_t len = 0;
  if (r.skipped.empty()) {
    const int rc = s.get_bytes(o, size ? std::span(buf).first(size) : std::span(buf), len);
    if (rc == 0) {
      r.fields = decode_option(o, std::span(buf).first(std::min<std::size_t>(len, buf.size())));
      return r;
    }
    r.error = -rc;
  }
  if (o.type == OptionType::linger) r.fields.emplace_back("linger_on", nullptr);
  r.fields.emplace_back(key_of(o), nullptr);
  return r;
}

int write_option(SocketHandle s, const SocketOption& o, std::span<const std::byte> value) noexcept {
  return s.set_raw(o.level, o.option, value.data(), static_cast<socklen_t>(value.size()));
}

}  // namespace nt::net
