#include "subcommands/chat/records.hpp"

#include <fmt/format.h>

#include "output/escape.hpp"
#include "sys/clock.hpp"

namespace nt::chat {

using output::Record;
using output::Tone;

namespace {
Record event(std::string_view type) {
  Record rec(type);
  rec.set("time", sys::now_rfc3339());
  return rec;
}
}  // namespace

Record ListeningEvent::to_record() const {
  Record rec = event("listening");
  rec.set("address", address).set("max_clients", max_clients).set("max_line", max_line);
  rec.set("rate", rate).set("idle_timeout_s", idle_timeout_s).set("tls", tls);
  rec.list_item = address;
  rec.with_text(fmt::format("chat server listening on {}{} (max {} clients)", address, tls ? " (TLS)" : "",
                            max_clients),
                Tone::bold);
  return rec.essential();
}

Record JoinedEvent::to_record() const {
  Record rec = event("joined");
  rec.as_event();
  rec.set("id", id).set("name", name).set("peer", peer).set("members", members);
  rec.with_text(fmt::format("#{} {} joined from {} ({} in the room)", id, output::escape_for_terminal(name),
                            peer, members));
  return rec;
}

Record LeftEvent::to_record() const {
  Record rec = event("left");
  rec.as_event();
  rec.set("id", id);
  if (name) rec.set("name", *name);
  rec.set("peer", peer).set("reason", reason).set("messages_in", messages_in);
  rec.set("bytes_in", bytes_in).set("bytes_out", bytes_out).set("duration_s", duration_s);
  bool normal = reason == "quit" || reason == "eof" || reason == "shutdown";
  std::string who = name ? output::escape_for_terminal(*name) : std::string("(not joined)");
  rec.with_text(
      fmt::format("#{} {} left: {} after {:.3f} s, {} messages", id, who, reason, duration_s, messages_in),
      normal ? Tone::plain : Tone::warn);
  return rec;
}

Record NickEvent::to_record() const {
  Record rec = event("nick");
  rec.as_event();
  rec.set("id", id).set("old", old_name).set("name", name);
  rec.with_text(fmt::format("#{} {} is now {}", id, output::escape_for_terminal(old_name),
                            output::escape_for_terminal(name)));
  return rec;
}

Record RefusedEvent::to_record() const {
  Record rec = event("refused");
  rec.as_event();
  rec.set("peer", peer).set("reason", reason).set("active", active);
  rec.with_text(fmt::format("refused {}: {} ({} connected)", peer, reason, active), Tone::warn);
  return rec;
}

Record ChatStats::to_record(bool final) const {
  Record rec = final ? Record("summary") : event("stats");
  if (final) rec.set("schema_version", output::kSchemaVersion);
  rec.set("clients", clients).set("members", members).set("peak", peak);
  rec.set("connections", connections).set("refused", refused).set("messages_in", messages_in);
  rec.set("deliveries_out", deliveries_out).set("dropped_clients", dropped_clients);
  rec.set("bytes_in", bytes_in).set("bytes_out", bytes_out).set("duration_s", duration_s);
  if (final && !signal.empty()) rec.set("signal", signal);
  std::string text = fmt::format(
      "{} {} clients ({} joined, peak {}), {} connections, {} refused, {} messages in, {} deliveries "
      "out, {} dropped, {} bytes in, {} bytes out in {:.1f} s",
      final ? "summary:" : "stats:", clients, members, peak, connections, refused, messages_in,
      deliveries_out, dropped_clients, bytes_in, bytes_out, duration_s);
  if (!final) {
    rec.as_event();
    return rec.with_text(text, Tone::dim);
  }
  return rec.with_text(text, Tone::bold).essential();
}

}  // namespace nt::chat
