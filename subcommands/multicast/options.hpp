// Options of `nettool multicast send` and `nettool multicast recv`, as bound by setup() and checked
// by check_*() before anything is opened (never in CLI11 callbacks).
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace nt::multicast {

struct SendOptions {
  std::string target;  // GROUP:PORT, [GROUP%IFACE]:PORT, or a broadcast address with --broadcast
  std::string iface;   // NAME, INDEX or ADDR; empty: the route's interface
  std::string source;  // local address to send from (bind); empty: the kernel's choice
  bool broadcast = false;
  int hops = 1;  // --ttl / --hops
  std::string loop = "on";
  int tos = 0;            // IP_TOS / IPV6_TCLASS
  double rate = 10;       // datagrams per second; 0 = as fast as the socket takes them
  uint64_t count = 0;     // 0 = until --duration or a signal
  int size = 64;          // bytes of UDP payload, header included
  double duration_s = 0;  // 0 = no limit
  std::optional<uint32_t> sender_id;
  double interval_s = 1;  // seconds between interval records; 0 = none
};

struct RecvOptions {
  std::string target;
  std::string iface;
  std::vector<std::string> sources;  // SSM: receive only from these
  bool broadcast = false;
  std::optional<uint64_t> expect;   // datagrams from every expected sender
  std::optional<int> senders;       // how many senders must deliver --expect (default 1, or one per --source)
  std::optional<double> timeout_s;  // with --expect: give up (exit 1) after this long
  double duration_s = 0;            // stop after this long (exit 0 unless --expect failed)
  double interval_s = 1;
  int buffer = 4 << 20;  // SO_RCVBUF bytes asked for
  int batch = 64;        // datagrams per recvmmsg
};

// --loop on|off; UsageError otherwise.
bool parse_on_off(const std::string& option, const std::string& value);
// --size: 32 (the header) to 65507.
void check_send(const SendOptions& o);
void check_recv(const RecvOptions& o);

}  // namespace nt::multicast
