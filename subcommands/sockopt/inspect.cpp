#include "subcommands/sockopt/inspect.hpp"

#include <fmt/format.h>
#include <netinet/in.h>

#include "net/socket_description.hpp"
#include "net/sockopt_value.hpp"
#include "net/tcp_info.hpp"
#include "subcommands/sockopt/text.hpp"

namespace nt::sockopt {

namespace {
bool own_section(const net::SocketOption& o) {
  return o.name == "TCP_INFO" || o.name == "TCP_CC_INFO";  // decoded in their own sections
}

void walk_options(net::SocketHandle s, const net::SocketDescription& d, bool foreign, Inspection& out,
                  TextTable& text) {
  output::Json options = output::Json::object();
  output::Json errors = output::Json::object();
  for (const net::SocketOption& o : net::socket_options()) {
    if (!net::applies_to(o, d.family, d.type) || own_section(o)) continue;
    const net::OptionReading r = net::read_option(s, o, foreign);
    const std::string group(net::level_group(o.level));
    for (const auto& [key, value] : r.fields) options[group][key] = value;
    if (r.error == 0 && r.skipped.empty()) {
      ++out.options_read;
    } else {
      ++out.options_refused;
      errors[group][r.fields.back().first] = r.skipped.empty() ? net::errno_name(r.error) : "skipped";
    }
    text.add_option(o, r);
  }
  out.record.set("options", std::move(options));
  out.record.set("option_errors", std::move(errors));
}

void add_tcp_sections(net::SocketHandle s, Inspection& out, TextTable& text) {
  output::Json info, cc;
  if (const int rc = net::read_tcp_info(s, info); rc != 0) {
    info = nullptr;
    out.record.data["option_errors"]["tcp"]["info"] = net::errno_name(-rc);
  }
  if (const int rc = net::read_tcp_cc_info(s, cc); rc != 0) {
    cc = nullptr;
    out.record.data["option_errors"]["tcp"]["cc_info"] = net::errno_name(-rc);
  }
  text.add_section("TCP_INFO", info);
  text.add_section("TCP_CC_INFO", cc);
  out.record.set("tcp_info", std::move(info));
  out.record.set("tcp_cc_info", std::move(cc));
}
}  // namespace

Inspection inspect_socket(net::SocketHandle s, const Origin& origin, const std::vector<SetResult>& sets) {
  Inspection out;
  const net::SocketDescription d = net::describe_socket(s);
  out.record.set("source", origin.source);
  out.record.set("pid", origin.pid ? output::Json(*origin.pid) : output::Json(nullptr));
  out.record.set("fd", origin.fd);
  d.add_to(out.record);
  TextTable text(fmt::format("fd {}{}: {} (inode {})", origin.fd,
                             origin.pid ? fmt::format(" of pid {}", *origin.pid) : "", d.summary(), d.inode));
  walk_options(s, d, origin.foreign, out, text);
  const bool tcp =
      (d.family == AF_INET || d.family == AF_INET6) && d.type == SOCK_STREAM && d.protocol == IPPROTO_TCP;
  if (tcp) add_tcp_sections(s, out, text);
  if (!sets.empty()) {
    output::Json set = output::Json::array();
    for (const SetResult& r : sets) set.push_back(r.to_json());
    out.record.set("set", std::move(set));
    text.add_sets(sets);
  }
  out.record.with_text(text.render());
  out.record.essential();
  return out;
}

}  // namespace nt::sockopt
