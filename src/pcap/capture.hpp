// RAII over a libpcap capture handle, with libpcap's status codes as a std::error_category, so a
// failure reads "opening capture on any: pcap: socket: Operation not permitted". Only built with pcap.
#pragma once
#include "config.h"

#if NETTOOL_HAVE_PCAP
#include <cstddef>
#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <system_error>

struct pcap;
struct pcap_pkthdr;

namespace nt::capture {

// PCAP_ERROR_* (negative) and PCAP_WARNING_* (positive) status codes; message from pcap_statustostr.
const std::error_category& pcap_category() noexcept;

struct CaptureOptions {
  std::string device = "any";
  int snaplen = 256;  // headers only: IP + TCP + an ICMP quote fit in 256
  // Replies arrive in bursts of at most a few pumps (~1,000 frames), read every loop turn. A small ring
  // stays in the CPU caches; 32 MiB meant a cache miss on every frame.
  int buffer_bytes = 4 * 1024 * 1024;
  // The SYN scan wants replies only (PCAP_D_IN); --pcap keeps both directions.
  bool inbound_only = true;
  // Immediate mode: fixed-size frames (each as large as the snap length), handed over one by one.
  // Without it (timeout_ms > 0), TPACKET_V3 packs packets by their real size into blocks handed over
  // when full or after timeout_ms: far more small packets fit in the same buffer.
  bool immediate = true;
  int timeout_ms = 0;
};

class PcapCapture {
 public:
  // Opens, activates (immediate mode, non-blocking). Throws std::system_error (pcap_category) wrapped
  // in RuntimeError("opening capture on DEVICE"), or PrivilegeError when activation says EPERM.
  explicit PcapCapture(const CaptureOptions& opts);
  ~PcapCapture();
  PcapCapture(PcapCapture&& other) noexcept;
  PcapCapture& operator=(PcapCapture&&) = delete;
  PcapCapture(const PcapCapture&) = delete;

  // Compiles and installs a BPF filter (pcap-filter(7)). Throws RuntimeError naming the expression.
  void set_filter(const std::string& expression);
  int selectable_fd() const;
  int datalink() const noexcept { return dlt_; }

  using FrameFn = std::function<void(std::span<const std::byte> frame)>;
  // Delivers every frame waiting now (non-blocking). Returns frames delivered; throws on error.
  int dispatch(const FrameFn& fn);
  // The same with libpcap's own callback (header with timestamp and lengths), for pcap_dump.
  int dispatch(void (*handler)(unsigned char*, const struct pcap_pkthdr*, const unsigned char*),
               unsigned char* user);
  // The libpcap handle, for what needs it directly (pcap_dump_open, pcap_compile).
  pcap* native() const noexcept { return handle_; }
  // Frames the kernel dropped for lack of buffer space (pcap_stats ps_drop), or 0 when unknown.
  uint64_t kernel_drops() const;

 private:
  pcap* handle_ = nullptr;
  int dlt_ = 0;
  std::string device_;
};

// Whether a filter expression accepts one frame of link type `dlt`, judged by libpcap's own compiler
// and BPF interpreter on a dead handle (no capture, no privilege). Throws RuntimeError when the
// expression does not compile. For tests of filter builders.
bool filter_accepts(const std::string& expression, int dlt, std::span<const std::byte> frame);

}  // namespace nt::capture
#endif
