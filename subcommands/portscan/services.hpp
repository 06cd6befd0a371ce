// Service names for ports (/etc/services, services(5)), and banner text made safe to print.
#pragma once
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>

namespace nt::scan {

class ServiceTable {
 public:
  // Reads /etc/services (or `path`); a missing file gives an empty table (names are a nicety).
  static ServiceTable load(const char* path = "/etc/services");
  // services(5) syntax: "name port/proto [aliases…] [# comment]". The first name for a port wins.
  static ServiceTable parse(std::string_view text);
  // Empty when unknown.
  std::string_view lookup(uint16_t port, std::string_view proto) const;

 private:
  std::unordered_map<uint32_t, std::string> names_;  // key: port << 1 | (proto == udp)
};

// Printable ASCII stays; \n \r \t \\ and \" are escaped C-style, every other byte as \xNN. The result is
// valid UTF-8 (ASCII) and one line.
std::string escape_bytes(std::span<const std::byte> data);

}  // namespace nt::scan
