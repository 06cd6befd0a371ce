#include "subcommands/fd_pass/records.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "sys/clock.hpp"

namespace nt::fd_pass {

using output::Record;
using output::Tone;

namespace {
Record event(std::string_view type) {
  Record rec(type);
  rec.set("time", sys::now_rfc3339());
  return rec;
}
std::string plural(std::size_t n, std::string_view word) {
  return fmt::format("{} {}{}", n, word, n == 1 ? "" : "s");
}
}  // namespace

Record ListeningEvent::to_record() const {
  Record rec = event("listening");
  rec.set("address", address).set("what", what);
  rec.list_item = address;
  rec.with_text(what == "tcp" ? fmt::format("listening on {} (to hand over)", address)
                              : fmt::format("waiting on {}", address),
                Tone::bold);
  return rec.essential();
}

Record PeerEvent::to_record() const {
  Record rec = event("peer");
  rec.set("socket", socket).set("pid", pid).set("uid", uid).set("gid", gid).set("pidfd", pidfd);
  if (!pidfd_note.empty()) rec.set("pidfd_note", pidfd_note);
  rec.with_text(fmt::format("peer on {}: pid {} uid {} gid {}{}", socket, pid, uid, gid,
                            pidfd_note.empty() ? "" : fmt::format(" (pidfd: {})", pidfd_note)));
  return rec;
}

Record MessageEvent::to_record() const {
  Record rec = event("message");
  rec.set("direction", direction).set("part", part).set("parts", parts);
  rec.set("descriptors", descriptors).set("bytes", bytes);
  if (sender_pid)
    rec.set("sender_pid", *sender_pid).set("sender_uid", *sender_uid).set("sender_gid", *sender_gid);
  std::string from = sender_pid ? fmt::format(" from pid {} uid {}", *sender_pid, *sender_uid) : "";
  rec.with_text(
      fmt::format("{} message {}/{}: {}{}", direction, part, parts, plural(descriptors, "descriptor"), from),
      Tone::dim);
  return rec;
}

Record ExecEvent::to_record() const {
  Record rec = event("exec");
  rec.set("pid", pid)
      .set("command", command)
      .set("listen_fds", listen_fds)
      .set("listen_fdnames", listen_fdnames);
  rec.with_text(fmt::format("started pid {}: {} (LISTEN_FDS={} LISTEN_FDNAMES={})", pid,
                            fmt::join(command, " "), listen_fds, listen_fdnames),
                Tone::bold);
  return rec.essential();
}

Record RefusedEvent::to_record() const {
  Record rec = event("refused");
  rec.set("uid", uid).set("allowed_uid", allowed_uid);
  rec.with_text(fmt::format("refused: the sender is uid {}, only uid {} is allowed", uid, allowed_uid),
                Tone::bad);
  return rec.essential();
}

Record Summary::to_record() const {
  Record rec("summary");
  rec.set("mode", mode).set("descriptors", descriptors).set("messages", messages);
  rec.set("peer_pid", peer_pid).set("peer_uid", peer_uid).set("duration_s", duration_s);
  if (exit_status) rec.set("exit_status", *exit_status);
  std::string tail = exit_status ? fmt::format(", command exited {}", *exit_status) : "";
  rec.with_text(fmt::format("--- fd-pass {}: {} in {}, peer pid {} uid {}, {:.3f} s{} ---", mode,
                            plural(descriptors, "descriptor"), plural(messages, "message"), peer_pid,
                            peer_uid, duration_s, tail),
                Tone::bold);
  return rec.essential();
}

}  // namespace nt::fd_pass
