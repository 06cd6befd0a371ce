#include "net/endpoint.hpp"

#include <arpa/inet.h>
#include <fmt/format.h>

#include <algorithm>
#include <cctype>

#include "net/address.hpp"
#include "sys/error.hpp"

namespace nt::net {

namespace {
[[noreturn]] void bad_address(std::string_view text, std::string_view problem) {
  throw UsageError(fmt::format("invalid address '{}': {}", text, problem));
}

bool all_digits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return std::isdigit((unsigned char)c); });
}

bool looks_numeric(std::string_view s) {
  return !s.empty() &&
         std::all_of(s.begin(), s.end(), [](char c) { return std::isdigit((unsigned char)c) || c == '.'; });
}

bool valid_dns_name(std::string_view host, std::string* problem) {
  if (host.size() > 253) {
    if (problem) *problem = "host name longer than 253 characters";
    return false;
  }
  std::size_t start = 0;
  while (start <= host.size()) {
    std::size_t dot = host.find('.', start);
    std::string_view label = host.substr(start, dot == std::string_view::npos ? host.npos : dot - start);
    bool last = dot == std::string_view::npos;
    if (label.empty() && !(last && start > 0)) {  // a trailing dot (FQDN) is fine
      if (problem) *problem = "empty label in host name";
      return false;
    }
    if (label.size() > 63) {
      if (problem) *problem = "host name label longer than 63 characters";
      return false;
    }
    for (char c : label) {
      if (!std::isalnum((unsigned char)c) && c != '-' && c != '_') {
        if (problem) *problem = fmt::format("character '{}' not allowed in a host name", c);
        return false;
      }
    }
    if (last) break;
    start = dot + 1;
  }
  return true;
}
}  // namespace

uint16_t parse_port(std::string_view text) {
  if (text.empty()) throw UsageError("invalid port '': empty");
  if (!all_digits(text)) throw UsageError(fmt::format("invalid port '{}': not a number", text));
  if (text.size() > 5 || std::stoul(std::string(text)) > 65535) {
    throw UsageError(fmt::format("invalid port '{}': out of range 0-65535", text));
  }
  return static_cast<uint16_t>(std::stoul(std::string(text)));
}

bool valid_host(std::string_view host, std::string* problem) {
  if (host.empty()) {
    if (problem) *problem = "empty host";
    return false;
  }
  try {
    if (SocketAddress::from_ip(host)) return true;
  } catch (const UsageError& e) {  // an IPv6 literal whose %scope names no interface (found by fuzz-endpoint)
    if (problem) *problem = e.what();
    return false;
  }
  if (host.find(':') != std::string_view::npos) {
    if (problem) *problem = "not a valid IPv6 address";
    return false;
  }
  if (looks_numeric(host)) {
    if (problem) *problem = "not a valid IPv4 address (expected four numbers 0-255 like 192.0.2.1)";
    return false;
  }
  return valid_dns_name(host, problem);
}

namespace {
Endpoint parse_local(std::string_view text, const EndpointRules& rules) {
  if (!rules.allow_local) bad_address(text, "unix and abstract sockets are not supported here");
  Endpoint ep;
  bool abstract = text.front() == '@';
  ep.kind = abstract ? Endpoint::Kind::abstract : Endpoint::Kind::unix_path;
  ep.host = std::string(text.substr(abstract ? 1 : 5));
  if (ep.host.empty()) bad_address(text, abstract ? "empty abstract socket name" : "empty unix socket path");
  (void)(abstract ? SocketAddress::abstract(ep.host) : SocketAddress::unix_path(ep.host));  // length check
  return ep;
}

void split_host_port(std::string_view text, std::string_view& host, std::string_view& port, bool& has_port) {
  if (text.front() == '[') {
    auto close = text.find(']');
    if (close == std::string_view::npos) bad_address(text, "missing ']' after IPv6 address");
    host = text.substr(1, close - 1);
    std::string_view rest = text.substr(close + 1);
    if (!rest.empty() && rest.front() != ':') bad_address(text, "expected ':PORT' after ']'");
    has_port = !rest.empty();
    port = has_port ? rest.substr(1) : std::string_view{};
    if (host.empty()) bad_address(text, "empty IPv6 address in brackets");
    if (!SocketAddress::from_ip(host) || host.find(':') == std::string_view::npos) {
      bad_address(text, "not a valid IPv6 address in brackets");
    }
    return;
  }
  auto colon = text.rfind(':');
  if (colon != std::string_view::npos && text.find(':') != colon) {
    host = text;  // several colons and no brackets: a bare IPv6 address
    has_port = false;
    return;
  }
  has_port = colon != std::string_view::npos;
  host = has_port ? text.substr(0, colon) : text;
  port = has_port ? text.substr(colon + 1) : std::string_view{};
}
}  // namespace

Endpoint parse_endpoint(std::string_view text, const EndpointRules& rules) {
  if (text.empty()) bad_address(text, "empty");
  if (text.front() == '@' || text.starts_with("unix:")) return parse_local(text, rules);
  Endpoint ep;
  if (rules.allow_port_only && all_digits(text)) {
    ep.port = parse_port(text);
    ep.has_port = true;
    return ep;
  }
  std::string_view host, port;
  split_host_port(text, host, port, ep.has_port);
  std::string problem;
  if (host.empty() && !rules.allow_empty_host) bad_address(text, "empty host");
  if (!host.empty() && !valid_host(host, &problem)) bad_address(text, problem);
  if (ep.has_port) {
    try {
      ep.port = parse_port(port);
    } catch (const UsageError& e) {
      bad_address(text, port.empty() ? "empty port after ':'" : std::string(e.what()).substr(8));
    }
  } else if (rules.default_port) {
    ep.port = *rules.default_port;
  } else if (rules.require_port) {
    bad_address(text, "missing port (expected HOST:PORT or [IPv6]:PORT)");
  }
  ep.host = std::string(host);
  return ep;
}

}  // namespace nt::net
