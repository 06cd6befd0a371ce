// TCP SYN scan ("half-open"): crafted SYNs through raw sockets (IPv4 and IPv6, headers included),
// replies read with libpcap through a BPF filter on this scan's own source port. Needs CAP_NET_RAW,
// which is dropped once the sockets and the capture are open. Handshakes are never completed: the
// kernel answers each SYN-ACK with a RST, because no socket is connected on our port (we hold the
// port bound, unlistened, so nothing else on this host uses it meanwhile).
#pragma once
#include "config.h"

#include <memory>
#include <vector>

#include "net/fd.hpp"
#include "subcommands/portscan/banner.hpp"
#include "subcommands/portscan/engine.hpp"
#include "subcommands/portscan/syn_batch.hpp"

#if NETTOOL_HAVE_PCAP
#include "pcap/capture.hpp"
#endif

namespace nt::portscan {

// Whether a SYN scan can run here: libpcap compiled in and CAP_NET_RAW held. `why` says what is missing.
bool syn_scan_possible(std::string* why);

#if NETTOOL_HAVE_PCAP
class SynScanner : public Transport {
 public:
  // Opens raw sockets for the families in the plan, binds the source port, opens the capture. The
  // caller drops CAP_NET_RAW once every worker's scanner is open.
  SynScanner(event::EventLoop& loop, Engine& engine, const Plan& plan);
  ~SynScanner() override;
  SendResult send(const Probe& probe) override;
  void flush() override;
  void settle_ready() override;  // reads the capture ring
  std::size_t extra_work() const override { return banners_ ? banners_->pending() : 0; }
  uint16_t source_port() const noexcept { return source_port_; }

 private:
  void on_frame(std::span<const std::byte> frame);
  uint32_t sequence_for(const ProbeKey& key) const noexcept;
  const scan::IpAddress& source_for(uint64_t host_index);

  event::EventLoop& loop_;
  Engine& engine_;
  const Plan& plan_;
  net::UniqueFd raw4_, raw6_, port_holder_;
  uint16_t source_port_ = 0;
  std::vector<std::optional<scan::IpAddress>> sources_;  // per target range
  std::unique_ptr<capture::PcapCapture> capture_;
  std::unique_ptr<BannerReader> banners_;
  SynBatch batch_;
};
#endif

}  // namespace nt::portscan
