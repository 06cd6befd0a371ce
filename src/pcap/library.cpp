#include "pcap/library.hpp"

#if NETTOOL_HAVE_PCAP
#include <dlfcn.h>

#include <array>
#include <string>

#include "sys/error.hpp"

namespace nt::capture {

namespace {

// Debian names the runtime libpcap.so.0.8 (its historic soname); other distributions libpcap.so.1.
constexpr std::array kSonames{"libpcap.so.0.8", "libpcap.so.1", "libpcap.so"};

void* open_library() {
  std::string tried;
  for (const char* name : kSonames) {
    if (void* handle = ::dlopen(name, RTLD_NOW | RTLD_LOCAL)) return handle;
    tried += std::string(tried.empty() ? "" : "; ") + ::dlerror();
  }
  throw RuntimeError("cannot load libpcap (install the libpcap0.8 package): " + tried);
}

template <typename Fn>
void bind(void* handle, const char* symbol, Fn& fn) {
  void* address = ::dlsym(handle, symbol);
  if (!address) throw RuntimeError(std::string("libpcap lacks ") + symbol + ": " + ::dlerror());
  fn = reinterpret_cast<Fn>(address);
}

PcapLibrary load() {
  void* h = open_library();  // never closed: the process keeps libpcap until it exits
  PcapLibrary lib{};
  bind(h, "pcap_create", lib.create);
  bind(h, "pcap_set_snaplen", lib.set_snaplen);
  bind(h, "pcap_set_promisc", lib.set_promisc);
  bind(h, "pcap_set_immediate_mode", lib.set_immediate_mode);
  bind(h, "pcap_set_buffer_size", lib.set_buffer_size);
  bind(h, "pcap_activate", lib.activate);
  bind(h, "pcap_setnonblock", lib.setnonblock);
  bind(h, "pcap_setdirection", lib.setdirection);
  bind(h, "pcap_datalink", lib.datalink);
  bind(h, "pcap_close", lib.close);
  bind(h, "pcap_compile", lib.compile);
  bind(h, "pcap_setfilter", lib.setfilter);
  bind(h, "pcap_freecode", lib.freecode);
  bind(h, "pcap_get_selectable_fd", lib.get_selectable_fd);
  bind(h, "pcap_dispatch", lib.dispatch);
  bind(h, "pcap_stats", lib.stats);
  bind(h, "pcap_geterr", lib.geterr);
  bind(h, "pcap_statustostr", lib.statustostr);
  bind(h, "pcap_dump_open", lib.dump_open);
  bind(h, "pcap_dump", lib.dump);
  bind(h, "pcap_dump_flush", lib.dump_flush);
  bind(h, "pcap_dump_close", lib.dump_close);
  bind(h, "pcap_offline_filter", lib.offline_filter);
  bind(h, "pcap_open_dead", lib.open_dead);
  bind(h, "pcap_set_timeout", lib.set_timeout);
  return lib;
}

}  // namespace

const PcapLibrary& pcap_library() {
  static const PcapLibrary library = load();
  return library;
}

}  // namespace nt::capture
#endif
