// UDP scan: a datagram per port (empty, or a real request for DNS and NTP so those servers answer),
// sent from one unconnected socket per family. A reply is open; the ICMP port unreachable the kernel
// queues for us (IP_RECVERR, ip(7)) is closed; other unreachables filtered; silence open|filtered.
// No privilege needed.
#pragma once
#include <cstdint>
#include <span>

#include "net/fd.hpp"
#include "subcommands/portscan/engine.hpp"

namespace nt::portscan {

// The probe payload for a port: a DNS query for 53, an SNTP client request for 123, else empty.
std::span<const std::byte> udp_payload(uint16_t port) noexcept;

class UdpScanner : public Transport {
 public:
  UdpScanner(event::EventLoop& loop, Engine& engine, const Plan& plan);
  ~UdpScanner() override;
  SendResult send(const Probe& probe) override;
  bool udp() const override { return true; }

 private:
  void on_ready(int fd, int family);
  void read_replies(int fd);
  void read_errors(int fd, int family);

  event::EventLoop& loop_;
  Engine& engine_;
  net::UniqueFd sock4_, sock6_;
};

}  // namespace nt::portscan
