// nettool ping: ICMP (RFC 792) and ICMPv6 (RFC 4443) echo to one host or thousands, with iputils
// ping's options and text, fping-style per-host summaries, and JSON records.
//
// Privileges: an ICMP datagram socket ("ping socket", allowed for the groups in
// net.ipv4.ping_group_range) is tried first, a raw socket (CAP_NET_RAW) second; --socket forces one.
// Every capability is dropped once the sockets are open, before anything is sent.
// Units: options.cpp (CLI, validation), targets.cpp (names, CIDR, files), session*.cpp (the
// scheduler and the wire), records.cpp (output); the codec and sockets are in src/icmp/.
#include "subcommands/ping/ping.hpp"

#include <fmt/format.h>
#include <sys/prctl.h>
#include <unistd.h>

#include <fstream>
#include <iostream>
#include <memory>
#include <set>

#include "net/target_file.hpp"
#include "subcommands/ping/options.hpp"
#include "subcommands/ping/session.hpp"
#include "subcommands/ping/targets.hpp"
#include "sys/error.hpp"
#include "sys/privileges.hpp"

namespace nt::ping {

namespace {

std::vector<std::string> collect_specs(const Options& o) {
  std::vector<std::string> specs;
  for (const auto& h : o.hosts) {
    if (h != "-") {
      specs.push_back(h);
      continue;
    }
    auto lines = net::read_target_file("-");
    specs.insert(specs.end(), lines.begin(), lines.end());
  }
  if (!o.file.empty()) {
    auto lines = net::read_target_file(o.file);
    specs.insert(specs.end(), lines.begin(), lines.end());
  }
  return specs;
}

void check_sizes(const std::vector<Target>& targets, std::size_t payload) {
  for (const auto& t : targets) {
    if (t.address.family() == AF_INET && payload > static_cast<std::size_t>(icmp::kMaxPayloadV4)) {
      throw UsageError(fmt::format("invalid size '{}': IPv4 target {} allows at most {}", payload, t.name,
                                   icmp::kMaxPayloadV4));
    }
  }
}

std::vector<icmp::IcmpSocket> open_sockets(const std::vector<Target>& targets, const Settings& s) {
  std::set<int> families;
  for (const auto& t : targets) families.insert(t.address.family());
  std::vector<icmp::IcmpSocket> sockets;
  for (int family : families) {
    sockets.push_back(icmp::open_icmp_socket(family, s.socket_mode));
    icmp::configure_icmp_socket(sockets.back(), s.socket_setup);
  }
  return sockets;
}

// A source address (-I ADDR) can only be bound by the socket of its own family.
void check_source_family(const std::vector<Target>& targets, const Settings& s) {
  const auto& source = s.socket_setup.source;
  if (!source) return;
  for (const auto& t : targets) {
    if (t.address.family() == source->family()) continue;
    throw UsageError(fmt::format("invalid -I '{}': an {} address cannot send to {} ({})", source->host(),
                                 source->family() == AF_INET6 ? "IPv6" : "IPv4", t.name,
                                 t.address.family() == AF_INET6 ? "IPv6" : "IPv4"));
  }
}

// iputils: flooding and intervals under 2 ms are for the superuser only. Gated on the real uid, not on
// CAP_NET_RAW: with a `setcap cap_net_raw+ep` install every local user holds the capability.
void check_rate_privilege(const Settings& s) {
  if ((s.flood || s.interval < std::chrono::milliseconds(2)) && ::getuid() != 0) {
    throw PrivilegeError(fmt::format(
        "flooding (-f) and intervals below 2 ms (-i) are for root only (real uid 0; this is uid {})",
        ::getuid()));
  }
}

int run(Options opts, cli::Runtime& rt) {
  Settings settings = validate(opts, rt.global.family);
  auto specs = collect_specs(opts);
  if (specs.empty()) throw UsageError("no host given: name one or more targets, '-' or --file");
  TargetList list = expand_targets(specs, settings.family);
  RecordStyle style;
  if (!list.merged.empty()) rt.warn(merged_message(list.merged));
  for (const auto& e : list.errors) {
    rt.warn(e.reason);  // stderr in every format; the record is for json/jsonl readers
    rt.out.emit(unresolved_record(e, style));
  }
  if (list.targets.empty()) return kExitUsage;
  check_sizes(list.targets, settings.payload.size());
  check_source_family(list.targets, settings);
  check_rate_privilege(settings);
  auto sockets = open_sockets(list.targets, settings);
  sys::drop_privileges();
  // Timer slack (50 µs by default) would blur short intervals and the flood fallback.
  (void)::prctl(PR_SET_TIMERSLACK, 1UL, 0UL, 0UL, 0UL);
  style.multi_host = list.targets.size() > 1;
  style.timestamps = settings.timestamps;
  style.probe_level = settings.flood ? output::Level::bulk : output::Level::detail;
  style.per_probe = rt.out.wants(style.probe_level);
  Session session(settings, std::move(list.targets), std::move(sockets), rt.out, style);
  rt.capture(session.own_traffic());
  session.run();
  int code = session.finish();
  return list.errors.empty() ? code : kExitUsage;
}

}  // namespace

cli::RunFn setup(CLI::App& app) {
  auto opts = std::make_shared<Options>();
  bind_options(app, *opts);
  return [opts](cli::Runtime& rt) { return run(*opts, rt); };
}

}  // namespace nt::ping
