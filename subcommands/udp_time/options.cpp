#include "subcommands/udp_time/options.hpp"

#include <fmt/format.h>

#include "sys/error.hpp"

namespace nt::udp_time {

timeproto::Protocol parse_protocol(const std::string& name) {
  if (name == "daytime") return timeproto::Protocol::daytime;
  if (name == "time") return timeproto::Protocol::time;
  if (name == "sntp" || name == "ntp") return timeproto::Protocol::sntp;
  throw UsageError(fmt::format("invalid --protocol '{}': expected daytime, time or sntp", name));
}

timeproto::DaytimeStyle parse_daytime_style(const std::string& name) {
  if (name == "ctime") return timeproto::DaytimeStyle::ctime;
  if (name == "iso") return timeproto::DaytimeStyle::iso;
  throw UsageError(fmt::format("invalid --daytime-format '{}': expected ctime or iso", name));
}

}  // namespace nt::udp_time
