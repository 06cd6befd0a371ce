// Options of `nettool udp-time` (the client) and `nettool udp-time server`, as bound by setup() and
// validated by the run functions (never by CLI11 callbacks).
#pragma once
#include <optional>
#include <string>

#include "subcommands/udp_time/daytime.hpp"
#include "subcommands/udp_time/responder.hpp"

namespace nt::udp_time {

struct ClientOptions {
  std::string target;  // HOST[:PORT]
  std::string protocol = "sntp";
  int count = 1;
  double interval_s = 1.0;
  double timeout_s = 2.0;
  int retries = 3;
  std::optional<double> max_offset_s;
  int ntp_version = 4;
};

struct ServerOptions {
  std::string listen;         // ADDR[:PORT], :PORT or PORT; an empty value given is exit 2
  bool listen_given = false;  // false: every address, the protocol's default port
  std::string protocol = "sntp";
  int stratum = 10;
  std::string refid;       // empty: LOCL at stratum 1, 127.127.1.1 (the local clock) above
  double rate_limit = 10;  // requests/s per source; 0 = off
  double rate_burst = 20;
  std::string limit_action = "kod";
  int max_sources = 16384;
  std::string daytime_format = "ctime";
  double summary_interval_s = 60;
  int batch = 64;
  bool allow_low_ports = false;  // daytime/time: answer source ports below 1024 (reflection risk)
};

struct Options {
  bool server = false;  // set when the `server` subcommand was parsed
  ClientOptions client;
  ServerOptions srv;
};

// "daytime" | "time" | "sntp" → Protocol; UsageError naming the value otherwise.
timeproto::Protocol parse_protocol(const std::string& name);
timeproto::DaytimeStyle parse_daytime_style(const std::string& name);

}  // namespace nt::udp_time
