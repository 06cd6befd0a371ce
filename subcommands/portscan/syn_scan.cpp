#include "subcommands/portscan/syn_scan.hpp"

#include <linux/capability.h>
#include <netinet/in.h>

#include <array>
#include <cerrno>

#include "net/socket.hpp"
#include "net/socket_handle.hpp"
#include "subcommands/portscan/packet.hpp"
#include "sys/error.hpp"
#include "sys/privileges.hpp"

namespace nt::portscan {

bool syn_scan_possible(std::string* why) {
#if NETTOOL_HAVE_PCAP
  if (sys::has_capability(CAP_NET_RAW)) return true;
  if (why) *why = "a SYN scan needs CAP_NET_RAW (run as root or `setcap cap_net_raw+ep nettool`)";
  return false;
#else
  if (why) *why = "this nettool was built without libpcap, which a SYN scan needs";
  return false;
#endif
}

#if NETTOOL_HAVE_PCAP

namespace {

// The address the kernel would send from towards `dst`: connect(2) on a UDP socket picks the route and
// source without sending anything.
scan::IpAddress route_source(const scan::IpAddress& dst) {
  net::UniqueFd probe = net::make_socket(dst.family, SOCK_DGRAM);
  const auto sa = dst.socket_address(9);
  if (const int rc = net::SocketHandle(probe).connect(sa); rc != 0)
    throw_errno("finding the route to " + dst.to_string(), -rc);
  return scan::IpAddress::from_socket(net::local_address(probe.get()));
}

// Reserves a TCP port on every address of the families we use (dual-stack [::] when possible).
net::UniqueFd hold_port(bool need_v6, uint16_t& port) {
  net::UniqueFd fd;
  if (need_v6) {
    fd = net::make_socket(AF_INET6, SOCK_STREAM);
    net::set_int_option(fd.get(), IPPROTO_IPV6, IPV6_V6ONLY, 0, "IPV6_V6ONLY");
  } else {
    fd = net::make_socket(AF_INET, SOCK_STREAM);
  }
  const auto any = net::SocketAddress::any(need_v6 ? AF_INET6 : AF_INET, 0);
  if (const int rc = net::SocketHandle(fd).bind(any); rc != 0)
    throw_errno("binding the scan's source port", -rc);
  port = net::local_address(fd.get()).port();
  return fd;
}

net::UniqueFd open_raw(int family) {
  try {
    // IPPROTO_RAW: send-only, and the header is ours (IP_HDRINCL implied; IPv6 since Linux 4.5).
    net::UniqueFd fd = net::make_socket(family, SOCK_RAW, IPPROTO_RAW);
    net::set_int_option(fd.get(), SOL_SOCKET, SO_SNDBUF, 4 << 20, "SO_SNDBUF");
    return fd;
  } catch (const std::system_error& e) {
    if (e.code().value() == EPERM || e.code().value() == EACCES)
      throw PrivilegeError(
          "opening a raw socket: a SYN scan needs CAP_NET_RAW (run as root or `setcap cap_net_raw+ep "
          "nettool`)");
    rethrow_with_context("opening a raw {} socket", family == AF_INET6 ? "IPv6" : "IPv4");
  }
}

}  // namespace

SynScanner::SynScanner(event::EventLoop& loop, Engine& engine, const Plan& plan)
    : loop_(loop), engine_(engine), plan_(plan), sources_(plan.targets.ranges().size()) {
  bool v4 = false, v6 = false;
  for (const auto& r : plan.targets.ranges()) (r.family == AF_INET6 ? v6 : v4) = true;
  if (v4) raw4_ = open_raw(AF_INET);
  if (v6) raw6_ = open_raw(AF_INET6);
  port_holder_ = hold_port(v6, source_port_);
  capture_ = std::make_unique<capture::PcapCapture>(capture::CaptureOptions{});
  // Replies to this scan only: TCP to our port, and ICMP errors (whose quoted ports we check).
  capture_->set_filter(
      fmt::format("(tcp dst port {}) or (icmp and icmp[0] == 3) or (icmp6 and ip6[40] == 1)", source_port_));
  loop_.add(capture_->selectable_fd(), EPOLLIN, [this](uint32_t) { settle_ready(); });
  if (plan.banner)
    banners_ = std::make_unique<BannerReader>(loop, plan.timeout, [this](PortResult r) {
      engine_.report(r);
      engine_.pump();
    });
}

SynScanner::~SynScanner() {
  if (capture_) loop_.remove(capture_->selectable_fd());
}

uint32_t SynScanner::sequence_for(const ProbeKey& key) const noexcept {
  return static_cast<uint32_t>(scan::mix64(plan_.seed ^ (scan::IpAddressHash{}(key.addr) << 16) ^ key.port));
}

const scan::IpAddress& SynScanner::source_for(uint64_t host_index) {
  auto& src = sources_[plan_.targets.range_of(host_index)];
  if (!src) src = route_source(plan_.targets.at(host_index));
  return *src;
}

Transport::SendResult SynScanner::send(const Probe& probe) {
  scan::SynProbe syn;
  syn.dst = probe.key.addr;
  try {
    syn.src = source_for(probe.host_index);
  } catch (const std::system_error& e) {
    // No route: the kernel would answer a connect with ENETUNREACH/EHOSTUNREACH too. Anything else
    // (out of descriptors, say) is a failure of ours, not a fact about the port.
    const int err = e.code().value();
    if (e.code().category() != std::system_category() || (err != ENETUNREACH && err != EHOSTUNREACH)) throw;
    return {Status::done, scan::classify_connect(err).value_or(
                              scan::Verdict{scan::PortState::filtered, "net-unreachable"})};
  }
  syn.sport = source_port_;
  syn.dport = probe.key.port;
  syn.seq = sequence_for(probe.key);
  syn.ip_id = static_cast<uint16_t>(syn.seq >> 16);
  std::array<std::byte, scan::kIpv6HeaderSize + scan::kTcpSynSize> packet{};
  const std::size_t len = scan::build_ip_syn(packet, syn);
  const int fd = probe.key.addr.family == AF_INET6 ? raw6_.get() : raw4_.get();
  batch_.add(fd, std::span(packet).first(len), probe.key.addr.socket_address(0), probe.key);
  if (batch_.full()) flush();
  return {Status::sent};
}

void SynScanner::settle_ready() {
  const auto fn = [this](std::span<const std::byte> frame) { on_frame(frame); };
  capture_->dispatch(fn);  // every frame the ring holds
}

void SynScanner::flush() {
  batch_.flush([this](const ProbeKey& key, int err) {
    // Socket buffer full: the rest of the batch is left to the engine's timeout, retry and backoff.
    if (err == ENOBUFS || err == EAGAIN || err == ENOMEM) return false;
    auto verdict = scan::classify_connect(err);  // no route: what a connect would have said
    if (!verdict) throw_errno("sending a SYN to " + key.addr.to_string(), err);
    engine_.complete(key, *verdict, loop_.now());
    return true;
  });
}

void SynScanner::on_frame(std::span<const std::byte> frame) {
  const auto now = loop_.now();
  const auto packet = scan::parse_ip_packet(scan::strip_link_layer(capture_->datalink(), frame));
  ProbeKey key;
  std::optional<scan::Verdict> verdict;
  if (packet.tcp && packet.tcp->dport == source_port_) {
    key = {packet.tcp->src, packet.tcp->sport};
    verdict = scan::classify_tcp_reply(*packet.tcp, sequence_for(key));
  } else if (packet.icmp) {
    key = {packet.icmp->quoted_dst, packet.icmp->quoted_dport};
    if (!scan::quotes_our_syn(*packet.icmp, source_port_, sequence_for(key))) return;
    verdict = scan::classify_icmp_error(packet.icmp->v6, packet.icmp->type, packet.icmp->code, false);
  }
  if (!verdict || !engine_.find(key)) return;  // not ours, or already settled (duplicates, late replies)
  const bool grab = banners_ && verdict->state == scan::PortState::open;
  auto rtt = engine_.complete(key, *verdict, now, !grab);
  if (grab) banners_->connect_and_read(PortResult{key.addr, key.port, *verdict, rtt, std::nullopt});
}

#endif

}  // namespace nt::portscan
