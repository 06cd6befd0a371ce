#include "subcommands/multicast/stats.hpp"

namespace nt::multicast {

Arrival SenderStats::add(const Header& h, std::size_t n, const ArrivalInfo& info) {
  const Arrival a = seq.add(h.sequence);
  bytes += n;
  if (a != Arrival::duplicate) {
    const int64_t delay_ns = info.receive_ns - h.send_ns;
    delay.add_ns(delay_ns > 0 ? static_cast<uint64_t>(delay_ns) : 0);
  }
  last = info;
  return a;
}

std::size_t SourceKeyHash::operator()(const SourceKey& k) const noexcept {
  return net::IpAddressHash{}(k.addr) ^ (std::size_t{k.port} << 32) ^
         (std::size_t{k.id} * 0x9e3779b97f4a7c15ULL);
}

}  // namespace nt::multicast
