// libpcap, loaded when a capture is first opened. Linked the usual way, Debian's libpcap (built with
// D-Bus capture) brings dbus, systemd, gcrypt, lzma, zstd, lz4, libcap and gpg-error along: nine
// more shared objects mapped and relocated at every start, about 3 ms of a 12 ms `nettool ping -c 1`.
// Only a SYN scan and --pcap capture, so only they pay. The header still types every pointer.
#pragma once
#include "config.h"

#if NETTOOL_HAVE_PCAP
#include <pcap/pcap.h>

namespace nt::capture {

struct PcapLibrary {
  decltype(&::pcap_create) create;
  decltype(&::pcap_set_snaplen) set_snaplen;
  decltype(&::pcap_set_promisc) set_promisc;
  decltype(&::pcap_set_immediate_mode) set_immediate_mode;
  decltype(&::pcap_set_buffer_size) set_buffer_size;
  decltype(&::pcap_activate) activate;
  decltype(&::pcap_setnonblock) setnonblock;
  decltype(&::pcap_setdirection) setdirection;
  decltype(&::pcap_datalink) datalink;
  decltype(&::pcap_close) close;
  decltype(&::pcap_compile) compile;
  decltype(&::pcap_setfilter) setfilter;
  decltype(&::pcap_freecode) freecode;
  decltype(&::pcap_get_selectable_fd) get_selectable_fd;
  decltype(&::pcap_dispatch) dispatch;
  decltype(&::pcap_stats) stats;
  decltype(&::pcap_geterr) geterr;
  decltype(&::pcap_statustostr) statustostr;
  // --pcap FILE: writing what was captured
  decltype(&::pcap_dump_open) dump_open;
  decltype(&::pcap_dump) dump;
  decltype(&::pcap_dump_flush) dump_flush;
  decltype(&::pcap_dump_close) dump_close;
  decltype(&::pcap_offline_filter) offline_filter;
  decltype(&::pcap_open_dead) open_dead;
  decltype(&::pcap_set_timeout) set_timeout;
};

// The library, loaded on the first call (thread-safe). Throws RuntimeError naming the shared objects
// tried and dlerror() when none loads or one lacks a symbol.
const PcapLibrary& pcap_library();

}  // namespace nt::capture
#endif
