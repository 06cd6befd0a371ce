// Text mode of a `socket` record: a heading line, then aligned NAME VALUE rows grouped by level
// (SOL_SOCKET, IPPROTO_IP, …), then TCP_INFO / TCP_CC_INFO field by field and the --set results.
#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "net/sockopt_value.hpp"
#include "output/record.hpp"
#include "subcommands/sockopt/set.hpp"

namespace nt::sockopt {

// A value as people read it: booleans on/off, strings escaped for the terminal, null as "-",
// objects as key=value pairs; `unit` appended to numbers (" bytes", " s").
std::string value_text(const output::Json& v, std::string_view unit = {});
// " bytes", " s", " ms", " us", " bytes/s" or "".
std::string_view unit_text(net::Unit u) noexcept;

class TextTable {
 public:
  explicit TextTable(std::string heading) : heading_(std::move(heading)) {}
  void add_option(const net::SocketOption& o, const net::OptionReading& r);
  void add_section(std::string_view title, const output::Json& fields);
  void add_sets(const std::vector<SetResult>& sets);
  std::string render() const;

 private:
  void group(std::string_view title);
  std::string heading_;
  std::string current_group_;
  std::vector<std::pair<std::string, std::string>> rows_;  // name "" = a group heading in value
};

}  // namespace nt::sockopt
