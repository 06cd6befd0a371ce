#include "subcommands/ping/options.hpp"

#include <fmt/format.h>
#include <net/if.h>
#include <sys/socket.h>
#include <CLI/CLI.hpp>

#include <cerrno>
#include <charconv>
#include <cmath>

#include "cli/validate.hpp"
#include "icmp/codec.hpp"
#include "sys/clock.hpp"
#include "sys/error.hpp"

namespace nt::ping {

namespace {

constexpr double kMaxSeconds = 7 * 24 * 3600.0;  // a week: keeps every duration far from overflow

Duration seconds_option(double value, const char* option, bool zero_ok) {
  return cli::check_seconds(option, value, {0, kMaxSeconds, !zero_ok});
}

icmp::SocketMode parse_socket_mode(std::string_view text) {
  if (text == "auto") return icmp::SocketMode::automatic;
  if (text == "raw") return icmp::SocketMode::raw;
  if (text == "dgram") return icmp::SocketMode::dgram;
  throw UsageError(fmt::format("invalid --socket '{}': expected auto, raw or dgram", text));
}

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

namespace {
// An option whose absence is not a value: -c -1 is an error to report, not "unset".
template <typename T>
CLI::Option* add_optional(CLI::App& app, const std::string& name, std::optional<T>& target,
                          const std::string& description) {
  return app
      .add_option_function<T>(
          name, [&target](const T& value) { target = value; }, description)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeLast);  // as plain options: the last one wins
}
}  // namespace

void bind_options(CLI::App& app, Options& o) {
  app.add_option("hosts", o.hosts, "Targets: names, IPv4, IPv6 (fe80::1%eth0), CIDR blocks, - for stdin")
      ->type_name("HOST");
  app.add_option("--file", o.file, "Read targets from FILE, one per line (default: none)")->type_name("FILE");
  add_optional(app, "-c,--count", o.count,
               "Stop after N probes per host (with -w: after N replies; default: forever)")
      ->type_name("N");
  add_optional(app, "-i,--interval", o.interval, "Seconds between probes to a host (default 1)")
      ->type_name("SECONDS");
  app.add_option("-W,--timeout", o.timeout, "Seconds to wait for each reply (default 1)")
      ->type_name("SECONDS");
  add_optional(app, "-w,--deadline", o.deadline,
               "Stop after SECONDS whatever was sent or received (default: no deadline)")
      ->type_name("SECONDS");
  app.add_option("-s,--size", o.size, "Payload bytes (default 56; max 65507 IPv4, 65527 IPv6)")
      ->type_name("BYTES");
  add_optional(app, "-t,--ttl", o.ttl, "IP time to live / IPv6 hop limit (1-255; default: the kernel's)")
      ->type_name("TTL");
  app.add_option("-p,--pattern", o.pattern, "Fill the payload with up to 16 hex bytes (default: none)")
      ->type_name("HEX");
  app.add_option("-I,--interface", o.interface,
                 "Send from this interface or local address (default: the route's)")
      ->type_name("IFACE|ADDR");
  app.add_option("-Q,--tos", o.tos, "IP TOS / IPv6 traffic class (0-255, decimal or 0x hex; default: 0)")
      ->type_name("TOS");
  app.add_flag("-D,--timestamp", o.timestamps, "Prefix text lines with [unix time]");
  app.add_flag("-f,--flood", o.flood, "Send the next probe as soon as the reply comes (or after 10 ms)");
  app.add_option("--socket", o.socket,
                 "ICMP socket kind: auto (datagram, then raw), raw or dgram (default: auto)")
      ->type_name("auto|raw|dgram");
  add_optional(app, "--min-replies", o.min_replies, "Replies each host must give for exit 0 (default 1)")
      ->type_name("N");
}

std::vector<std::byte> parse_pattern(std::string_view hex) {
  auto bad = [&](const char* why) { return UsageError(fmt::format("invalid pattern '{}': {}", hex, why)); };
  if (hex.empty()) throw bad("empty");
  if (hex.size() % 2 != 0) throw bad("expected pairs of hex digits");
  if (hex.size() > 32) throw bad("at most 16 bytes");
  std::vector<std::byte> out;
  for (std::size_t i = 0; i < hex.size(); i += 2) {
    int hi = hex_digit(hex[i]), lo = hex_digit(hex[i + 1]);
    if (hi < 0 || lo < 0) throw bad("not a hex digit");
    out.push_back(static_cast<std::byte>(hi * 16 + lo));
  }
  return out;
}

std::vector<std::byte> make_payload(std::size_t size, const std::vector<std::byte>& pattern) {
  std::vector<std::byte> out(size);
  for (std::size_t i = 0; i < size; ++i) {
    out[i] = pattern.empty() ? static_cast<std::byte>(i & 0xff) : pattern[i % pattern.size()];
  }
  return out;
}

int parse_tos(std::string_view text) {
  int base = 10;
  std::string_view digits = text;
  if (digits.starts_with("0x") || digits.starts_with("0X")) {
    base = 16;
    digits.remove_prefix(2);
  }
  int value = -1;
  auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value, base);
  if (digits.empty() || ec != std::errc() || end != digits.data() + digits.size() || value < 0 ||
      value > 255) {
    throw UsageError(fmt::format("invalid TOS '{}': expected 0-255 (decimal or 0x hex)", text));
  }
  return value;
}

void parse_interface(std::string_view text, icmp::SocketSetup& setup) {
  if (auto addr = net::SocketAddress::from_ip(text)) {
    setup.source = *addr;
    return;
  }
  std::string name(text);
  if (name.empty() || name.size() >= IF_NAMESIZE || ::if_nametoindex(name.c_str()) == 0) {
    throw UsageError(fmt::format("invalid interface '{}': no such interface or local address", text));
  }
  setup.device = name;
}

Settings validate(const Options& o, int family) {
  Settings s;
  s.family = family;
  if (o.count && *o.count < 1)
    throw UsageError(fmt::format("invalid count '{}': expected 1 or more", *o.count));
  s.count = o.count ? static_cast<uint64_t>(*o.count) : 0;
  s.flood = o.flood;
  if (o.interval) {
    s.interval = seconds_option(*o.interval, "interval", true);
  } else {
    s.interval = o.flood ? std::chrono::milliseconds(10) : std::chrono::seconds(1);
  }
  s.timeout = seconds_option(o.timeout, "timeout", false);
  if (o.deadline) s.deadline = seconds_option(*o.deadline, "deadline", false);
  if (o.size < 0 || o.size > icmp::kMaxPayloadV6) {
    throw UsageError(fmt::format("invalid size '{}': expected 0-{} (IPv4: 0-{})", o.size, icmp::kMaxPayloadV6,
                                 icmp::kMaxPayloadV4));
  }
  std::vector<std::byte> pattern = o.pattern.empty() ? std::vector<std::byte>{} : parse_pattern(o.pattern);
  s.payload = make_payload(static_cast<std::size_t>(o.size), pattern);
  if (o.ttl && (*o.ttl < 1 || *o.ttl > 255))
    throw UsageError(fmt::format("invalid TTL '{}': expected 1-255", *o.ttl));
  s.socket_setup.ttl = o.ttl.value_or(-1);
  if (!o.tos.empty()) s.socket_setup.tos = parse_tos(o.tos);
  if (!o.interface.empty()) parse_interface(o.interface, s.socket_setup);
  s.socket_mode = parse_socket_mode(o.socket);
  s.timestamps = o.timestamps;
  if (o.min_replies && *o.min_replies < 1) {
    throw UsageError(fmt::format("invalid --min-replies '{}': expected 1 or more", *o.min_replies));
  }
  if (o.min_replies && s.count > 0 && static_cast<uint64_t>(*o.min_replies) > s.count && !s.deadline) {
    throw UsageError(
        fmt::format("invalid --min-replies '{}': more than --count {}", *o.min_replies, s.count));
  }
  if (o.min_replies) {
    s.required_replies = static_cast<uint64_t>(*o.min_replies);
  } else if (s.deadline && s.count > 0) {
    s.required_replies = s.count;  // iputils: with -w, -c counts replies
  }
  return s;
}

}  // namespace nt::ping
