#include "subcommands/sockopt/set.hpp"

#include <fmt/format.h>

#include <cstring>
#include <fstream>

#include "net/sockopt_value.hpp"
#include "sys/error.hpp"

namespace nt::sockopt {

namespace {
long long read_sysctl(const char* path) {
  std::ifstream in(path);
  long long v = -1;
  if (!(in >> v)) return -1;
  return v;
}

std::string buffer_note(bool receive, bool forced, long long r, long long e, const BufferLimits& limits) {
  const long long max = receive ? limits.rmem_max : limits.wmem_max;
  const char* sysctl = receive ? "net.core.rmem_max" : "net.core.wmem_max";
  if (e == 2 * r) return "doubled by the kernel (socket(7): half of it is kept for bookkeeping)";
  if (!forced && max >= 0 && r > max && e == 2 * max)
    return fmt::format(
        "capped at {} ({} bytes), then doubled (SO_{}BUFFORCE with CAP_NET_ADMIN goes past it)", sysctl, max,
        receive ? "RCV" : "SND");
  if (e > 2 * r) return fmt::format("raised to the kernel's minimum ({} bytes with the doubling)", e);
  return fmt::format("the kernel keeps {}", e);
}
}  // namespace

output::Json SetResult::to_json() const {
  return {{"option", option->name},
          {"key", net::json_key(*option)},
          {"requested", requested},
          {"effective", effective},
          {"note", note}};
}

BufferLimits read_buffer_limits() {
  return {read_sysctl("/proc/sys/net/core/rmem_max"), read_sysctl("/proc/sys/net/core/wmem_max")};
}

std::string effective_note(const net::SocketOption& o, const output::Json& requested,
                           const output::Json& effective, const BufferLimits& limits) {
  if (requested == effective) return {};
  if (effective.is_null()) return "the kernel refused to read it back";
  const bool rcv = o.name == "SO_RCVBUF" || o.name == "SO_RCVBUFFORCE";
  const bool snd = o.name == "SO_SNDBUF" || o.name == "SO_SNDBUFFORCE";
  if ((rcv || snd) && requested.is_number() && effective.is_number())
    return buffer_note(rcv, o.name.ends_with("FORCE"), requested.get<long long>(), effective.get<long long>(),
                       limits);
  return fmt::format("the kernel keeps {}",
                     effective.is_string() ? effective.get<std::string>() : effective.dump());
}

std::vector<SetResult> apply_sets(net::SocketHandle s, const std::vector<SetRequest>& requests, int family,
                                  int type) {
  const BufferLimits limits = read_buffer_limits();
  std::vector<SetResult> results;
  for (const SetRequest& r : requests) {
    const net::SocketOption& o = *r.option;
    const std::string text = fmt::format("{}={}", o.name, r.value);
    if (!net::applies_to(o, family, type))
      throw UsageError(fmt::format("invalid --set '{}': {} does not apply to this socket", text, o.name));
    const std::vector<std::byte> bytes = net::encode_option_value(o, r.value);
    if (const int rc = net::write_option(s, o, bytes); rc != 0) {
      if (rc == -EPERM || rc == -EACCES)
        throw PrivilegeError(fmt::format("--set '{}': {} — needs CAP_NET_ADMIN", text, std::strerror(-rc)));
      throw UsageError(
          fmt::format("invalid --set '{}': the kernel refused it ({})", text, std::strerror(-rc)));
    }
    SetResult res;
    res.option = &o;
    // Setting the value the read path decodes (SO_RCVBUF's one field; SO_LINGER's seconds).
    res.requested = net::decode_option(o, bytes).back().second;
    const net::OptionReading back = net::read_option(s, o, false);
    res.effective = back.fields.empty() ? output::Json(nullptr) : back.fields.back().second;
    res.note = effective_note(o, res.requested, res.effective, limits);
    results.push_back(std::move(res));
  }
  return results;
}

}  // namespace nt::sockopt
