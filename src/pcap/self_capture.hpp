// --pcap FILE: a capture of this command's own traffic. run_command opens it before the subcommand
// runs (so a missing CAP_NET_RAW is exit 4 before any socket exists, and the handle is open before the
// subcommand drops its capabilities); the subcommand calls Runtime::capture once its sockets exist and
// before it sends; run_command stops it after the subcommand returned (normally, on SIGINT/SIGTERM,
// which arrive through the signalfd as ordinary events, or with an exception).
//
// The packets are written by a thread of its own rather than from the subcommands' event loops: each
// subcommand runs a different loop (epoll, blocking streams, one loop per server thread), and a thread
// keeps the hook down to one call. The kernel filter decides what enters the ring, so the thread adds
// no work to the command's own path; a mutex guards the handle while the filter is replaced.
#pragma once
#include <cstdint>
#include <memory>
#include <string>

#include "pcap/traffic_filter.hpp"

namespace nt::capture {

class SelfCapture {
 public:
  // Checks CAP_NET_RAW (PrivilegeError, exit 4), activates a capture on "any" that matches nothing yet
  // and creates FILE (UsageError naming it when it cannot be written). RuntimeError for libpcap failures;
  // UsageError when nettool was built without libpcap.
  explicit SelfCapture(const std::string& path);
  ~SelfCapture();
  SelfCapture(const SelfCapture&) = delete;
  SelfCapture& operator=(const SelfCapture&) = delete;

  // Installs the traffic's filter in the kernel (replacing an earlier one: a client narrows to its local
  // port once known) and starts the writer on the first call. Packets sent after this returns are captured.
  void record(const TrafficFilter& traffic);

  // Writes what the kernel still holds (waiting up to kSettle for stragglers such as the peer's last FIN),
  // flushes and closes FILE. Idempotent. Throws RuntimeError when FILE could not be written.
  void stop();

  uint64_t packets_written() const noexcept;
  // Packets the kernel dropped because the ring was full (the file misses them), known after stop().
  uint64_t packets_dropped() const noexcept;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace nt::capture
