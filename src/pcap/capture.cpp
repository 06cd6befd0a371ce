#include "pcap/capture.hpp"

#if NETTOOL_HAVE_PCAP

#include <utility>

#include "pcap/library.hpp"
#include "sys/error.hpp"

namespace nt::capture {

namespace {

const PcapLibrary& lib() {
  return pcap_library();
}

class PcapCategory : public std::error_category {
 public:
  const char* name() const noexcept override { return "pcap"; }
  std::string message(int code) const override { return lib().statustostr(code); }
};

[[noreturn]] void fail(const std::string& context, int status, const char* detail) {
  const std::string what = detail && *detail ? std::string(detail) : std::string(lib().statustostr(status));
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
  handle_ = lib().create(device_.c_str(), errbuf);
  if (!handle_) fail(context, PCAP_ERROR, errbuf);
  lib().set_snaplen(handle_, opts.snaplen);
  lib().set_promisc(handle_, 0);
  lib().set_immediate_mode(handle_, opts.immediate ? 1 : 0);  // SYN scan: each reply now, not per block
  if (!opts.immediate) lib().set_timeout(handle_, opts.timeout_ms);
  lib().set_buffer_size(handle_, opts.buffer_bytes);
  const int status = lib().activate(handle_);
  if (status < 0) {
    const std::string detail = lib().geterr(handle_);
    lib().close(std::exchange(handle_, nullptr));
    fail(context, status, detail.c_str());
  }
  if (lib().setnonblock(handle_, 1, errbuf) != 0) {
    lib().close(std::exchange(handle_, nullptr));
    fail(context, PCAP_ERROR, errbuf);
  }
  // Replies only: libpcap turns this into PACKET_IGNORE_OUTGOING, so the kernel stops copying our own
  // probes (and, on loopback, the outgoing twin of every reply) into the ring at all.
  if (opts.inbound_only) (void)lib().setdirection(handle_, PCAP_D_IN);
  dlt_ = lib().datalink(handle_);
}

PcapCapture::~PcapCapture() {
  if (handle_) lib().close(handle_);
}

PcapCapture::PcapCapture(PcapCapture&& other) noexcept
    : handle_(std::exchange(other.handle_, nullptr)), dlt_(other.dlt_), device_(std::move(other.device_)) {}

void PcapCapture::set_filter(const std::string& expression) {
  bpf_program program{};
  if (lib().compile(handle_, &program, expression.c_str(), 1, PCAP_NETMASK_UNKNOWN) != 0)
    fail("compiling capture filter '" + expression + "'", PCAP_ERROR, lib().geterr(handle_));
  const int rc = lib().setfilter(handle_, &program);
  lib().freecode(&program);
  if (rc != 0) fail("installing capture filter '" + expression + "'", PCAP_ERROR, lib().geterr(handle_));
}

int PcapCapture::selectable_fd() const {
  return lib().get_selectable_fd(handle_);
}

int PcapCapture::dispatch(const FrameFn& fn) {
  auto callback = [](u_char* user, const pcap_pkthdr* header, const u_char* bytes) {
    const auto* frame_fn = reinterpret_cast<const FrameFn*>(user);
    (*frame_fn)({reinterpret_cast<const std::byte*>(bytes), header->caplen});
  };
  const int n = lib().dispatch(handle_, -1, callback, reinterpret_cast<u_char*>(const_cast<FrameFn*>(&fn)));
  if (n == PCAP_ERROR) fail("reading capture on " + device_, PCAP_ERROR, lib().geterr(handle_));
  return n < 0 ? 0 : n;
}

int PcapCapture::dispatch(pcap_handler handler, u_char* user) {
  const int n = lib().dispatch(handle_, -1, handler, user);
  if (n == PCAP_ERROR) fail("reading capture on " + device_, PCAP_ERROR, lib().geterr(handle_));
  return n < 0 ? 0 : n;
}

bool filter_accepts(const std::string& expression, int dlt, std::span<const std::byte> frame) {
  pcap* dead = lib().open_dead(dlt, 262144);
  if (!dead) throw RuntimeError("pcap_open_dead failed");
  bpf_program program{};
  if (lib().compile(dead, &program, expression.c_str(), 1, PCAP_NETMASK_UNKNOWN) != 0) {
    const std::string why = lib().geterr(dead);
    lib().close(dead);
    throw RuntimeError("compiling capture filter '" + expression + "': " + why);
  }
  pcap_pkthdr header{};
  header.caplen = header.len = static_cast<bpf_u_int32>(frame.size());
  const bool accepted =
      lib().offline_filter(&program, &header, reinterpret_cast<const u_char*>(frame.data())) != 0;
  lib().freecode(&program);
  lib().close(dead);
  return accepted;
}

uint64_t PcapCapture::kernel_drops() const {
  pcap_stat stats{};
  if (lib().stats(handle_, &stats) != 0) return 0;
  return stats.ps_drop;
}

}  // namespace nt::capture
#endif
