// Reasons for ICMP errors, worded as iputils prints them (ping/ping.c pr_icmph, ping6_common.c).
#include <fmt/format.h>

#include <array>
#include <string_view>

#include "icmp/codec.hpp"
#include "subcommands/ping/icmp_reasons.hpp"

namespace nt::ping {

using namespace icmp;

namespace {

constexpr std::array<std::string_view, 16> kUnreachV4{"Destination Net Unreachable",
                                                      "Destination Host Unreachable",
                                                      "Destination Protocol Unreachable",
                                                      "Destination Port Unreachable",
                                                      "Frag needed and DF set",
                                                      "Source Route Failed",
                                                      "Destination Net Unknown",
                                                      "Destination Host Unknown",
                                                      "Source Host Isolated",
                                                      "Destination Net Prohibited",
                                                      "Destination Host Prohibited",
                                                      "Destination Net Unreachable for Type of Service",
                                                      "Destination Host Unreachable for Type of Service",
                                                      "Packet filtered",
                                                      "Precedence Violation",
                                                      "Precedence Cutoff"};

constexpr std::array<std::string_view, 7> kUnreachV6{"No route",
                                                     "Administratively prohibited",
                                                     "Beyond scope of source address",
                                                     "Address unreachable",
                                                     "Port unreachable",
                                                     "Source address failed ingress/egress policy",
                                                     "Reject route to destination"};

constexpr std::array<std::string_view, 3> kParamV6{"Erroneous header field", "Unrecognized next header",
                                                   "Unrecognized IPv6 option"};

std::string describe_v4(uint8_t type, uint8_t code, uint32_t info) {
  switch (type) {
    case kDestUnreachV4:
      if (code == 4) return fmt::format("Frag needed and DF set (mtu = {})", info);
      if (code < kUnreachV4.size()) return std::string(kUnreachV4[code]);
      return fmt::format("Dest Unreachable, Bad Code: {}", code);
    case kSourceQuenchV4:
      return "Source Quench";
    case kTimeExceededV4:
      if (code == 0) return "Time to live exceeded";
      if (code == 1) return "Frag reassembly time exceeded";
      return fmt::format("Time exceeded, Bad Code: {}", code);
    case kParamProblemV4:
      return fmt::format("Parameter problem: pointer = {}", info);
    default:
      return fmt::format("ICMP type {} code {}", type, code);
  }
}

std::string describe_v6(uint8_t type, uint8_t code, uint32_t info) {
  switch (type) {
    case kDestUnreachV6:
      if (code < kUnreachV6.size()) return fmt::format("Destination unreachable: {}", kUnreachV6[code]);
      return fmt::format("Destination unreachable: unknown code {}", code);
    case kPacketTooBigV6:
      return fmt::format("Packet too big: mtu={}", info);
    case kTimeExceededV6:
      if (code == 0) return "Time exceeded: Hop limit";
      if (code == 1) return "Time exceeded: Defrag";
      return fmt::format("Time exceeded: unknown code {}", code);
    case kParamProblemV6:
      if (code < kParamV6.size()) return fmt::format("Parameter problem: {} at {}", kParamV6[code], info);
      return fmt::format("Parameter problem: unknown code {} at {}", code, info);
    default:
      return fmt::format("ICMPv6 type {} code {}", type, code);
  }
}

}  // namespace

std::string describe_error(int family, uint8_t type, uint8_t code, uint32_t info) {
  return family == AF_INET6 ? describe_v6(type, code, info) : describe_v4(type, code, info);
}

}  // namespace nt::ping
