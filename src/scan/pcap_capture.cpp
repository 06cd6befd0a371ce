#include "scan/pcap_capture.hpp"

#if NETTOOL_HAVE_PCAP
#include <pcap/pcap.h>

#include <utility>

#include "sys/error.hpp"

namespace nt::scan {

namespace {

class PcapCategory : public std::error_category {
 public:
  const char* name() const noexcept override { return "pcap"; }
  std::string message(int code) const override { return pcap_statustostr(code); }
};

[[noreturn]] void fail(const std::string& context, int status, const char* detail) {
  const std::string what = detail && *detail ? std::string(detail) : std::string(pcap_statustostr(status));
  if (status == PCAP_ERROR_PERM_DENIED)
    throw PrivilegeError(context + ": " + what +
                         " (needs CAP_NET_RAW: run as root or setcap cap_net_raw+ep)");
  try {
    throw std::system_error(status, pcap_category(), what);
  } catch (...) {
    std::throw_with_nested(RuntimeError(context));
  }
}

}  // namespace

const std::error_category& pcap_category() noexcept {
  static const PcapCategory category;
  return category;
}

PcapCapture::PcapCapture(const CaptureOptions& opts) : device_(opts.device) {
  char errbuf[PCAP_ERRBUF_SIZE] = {};
  const std::string context = "opening capture on " + device_;
  handle_ = pcap_create(device_.c_str(), errbuf);
  if (!handle_) fail(context, PCAP_ERROR, errbuf);
  pcap_set_snaplen(handle_, opts.snaplen);
  pcap_set_promisc(handle_, 0);
  pcap_set_immediate_mode(handle_, 1);  // deliver each reply now, not when a buffer block fills
  pcap_set_buffer_size(handle_, opts.buffer_bytes);
  const int status = pcap_activate(handle_);
  if (status < 0) {
    const std::string detail = pcap_geterr(handle_);
    pcap_close(std::exchange(handle_, nullptr));
    fail(context, status, detail.c_str());
  }
  if (pcap_setnonblock(handle_, 1, errbuf) != 0) {
    pcap_close(std::exchange(handle_, nullptr));
    fail(context, PCAP_ERROR, errbuf);
  }
  // Replies only: libpcap turns this into PACKET_IGNORE_OUTGOING, so the kernel stops copying our own
  // probes (and, on loopback, the outgoing twin of every reply) into the ring at all.
  (void)pcap_setdirection(handle_, PCAP_D_IN);
  dlt_ = pcap_datalink(handle_);
}

PcapCapture::~PcapCapture() {
  if (handle_) pcap_close(handle_);
}

PcapCapture::PcapCapture(PcapCapture&& other) noexcept
    : handle_(std::exchange(other.handle_, nullptr)), dlt_(other.dlt_), device_(std::move(other.device_)) {}

void PcapCapture::set_filter(const std::string& expression) {
  bpf_program program{};
  if (pcap_compile(handle_, &program, expression.c_str(), 1, PCAP_NETMASK_UNKNOWN) != 0)
    fail("compiling capture filter '" + expression + "'", PCAP_ERROR, pcap_geterr(handle_));
  const int rc = pcap_setfilter(handle_, &program);
  pcap_freecode(&program);
  if (rc != 0) fail("installing capture filter '" + expression + "'", PCAP_ERROR, pcap_geterr(handle_));
}

int PcapCapture::selectable_fd() const {
  return pcap_get_selectable_fd(handle_);
}

int PcapCapture::dispatch(const FrameFn& fn) {
  auto callback = [](u_char* user, const pcap_pkthdr* header, const u_char* bytes) {
    const auto* frame_fn = reinterpret_cast<const FrameFn*>(user);
    (*frame_fn)({reinterpret_cast<const std::byte*>(bytes), header->caplen});
  };
  const int n = pcap_dispatch(handle_, -1, callback, reinterpret_cast<u_char*>(const_cast<FrameFn*>(&fn)));
  if (n == PCAP_ERROR) fail("reading capture on " + device_, PCAP_ERROR, pcap_geterr(handle_));
  return n < 0 ? 0 : n;
}

uint64_t PcapCapture::kernel_drops() const {
  pcap_stat stats{};
  if (pcap_stats(handle_, &stats) != 0) return 0;
  return stats.ps_drop;
}

}  // namespace nt::scan
#endif
