#include "subcommands/tcp_echo/records.hpp"

#include <fmt/format.h>

#include "sys/clock.hpp"

namespace nt::tcp_echo {

using output::Record;
using output::Tone;

namespace {

Record event(std::string_view type) {
  Record rec(type);
  rec.set("time", sys::now_rfc3339());
  return rec;
}

std::string plural(uint64_t n, std::string_view word) {
  return fmt::format("{} {}{}", n, word, n == 1 ? "" : "s");
}

std::string rtt_line(double min, double avg, double max, double mdev, double p50, double p90, double p99) {
  return fmt::format(
      "rtt min/avg/max/mdev = {:.3f}/{:.3f}/{:.3f}/{:.3f} ms, p50/p90/p99 = {:.3f}/{:.3f}/{:.3f} ms", min,
      avg, max, mdev, p50, p90, p99);
}

}  // namespace

double mb_per_s(uint64_t bytes, double seconds) noexcept {
  return seconds > 0 ? static_cast<double>(bytes) / 1e6 / seconds : 0;
}

Record ListeningEvent::to_record() const {
  Record rec = event("listening");
  rec.set("address", address).set("threads", threads).set("max_clients", max_clients);
  rec.set("max_per_ip", max_per_ip).set("idle_timeout_s", idle_timeout_s);
  std::string idle =
      idle_timeout_s > 0 ? fmt::format("idle timeout {} s", idle_timeout_s) : "no idle timeout";
  rec.with_text(fmt::format("listening on {} ({}, max {} clients, {})", address, plural(threads, "thread"),
                            max_clients, idle),
                Tone::bold);
  return rec.essential();
}

Record AcceptedEvent::to_record() const {
  Record rec = event("accepted");
  rec.as_event();  // one per connection: the json document keeps only the first ones
  rec.set("conn_id", conn_id).set("peer", peer).set("active", active);
  rec.with_text(fmt::format("accepted #{} from {} ({} active)", conn_id, peer, active));
  return rec;
}

Record ClosedEvent::to_record() const {
  Record rec = event("closed");
  rec.as_event();  // one per connection: the json document keeps only the first ones
  rec.set("conn_id", conn_id).set("peer", peer).set("bytes_in", bytes_in).set("bytes_out", bytes_out);
  rec.set("duration_s", duration_s).set("reason", reason);
  Tone tone = reason == "eof" || reason == "shutdown" ? Tone::plain : Tone::warn;
  rec.with_text(fmt::format("closed #{} {}: {} after {:.3f} s, {} in, {} out", conn_id, peer, reason,
                            duration_s, plural(bytes_in, "byte"), plural(bytes_out, "byte")),
                tone);
  return rec;
}

Record RefusedEvent::to_record() const {
  Record rec = event("refused");
  rec.as_event();  // one per connection: the json document keeps only the first ones
  rec.set("peer", peer).set("reason", reason).set("active", active);
  rec.with_text(fmt::format("refused {}: {} ({} active)", peer, reason, active), Tone::warn);
  return rec;
}

Record ServerSummary::to_record() const {
  Record rec("summary");
  rec.set("mode", "server").set("connections", connections).set("refused", refused);
  rec.set("idle_timeouts", idle_timeouts).set("bytes_in", bytes_in).set("bytes_out", bytes_out);
  rec.set("peak_concurrent", peak_concurrent).set("duration_s", duration_s).set("signal", signal);
  rec.with_text(fmt::format("--- tcp-echo server: {} (peak {} concurrent), {} refused, {} idle timeouts, "
                            "{} in, {} out, {:.3f} s ---",
                            plural(connections, "connection"), peak_concurrent, refused, idle_timeouts,
                            plural(bytes_in, "byte"), plural(bytes_out, "byte"), duration_s),
                Tone::bold);
  return rec.essential();
}

Record ConnectedEvent::to_record() const {
  Record rec = event("connected");
  rec.set("peer", peer).set("connect_ms", connect_ms).set("mode", mode).set("connections", connections);
  rec.with_text(fmt::format("TCP-ECHO {}: {} in {:.3f} ms ({} mode)", peer,
                            plural(static_cast<uint64_t>(connections), "connection"), connect_ms, mode),
                Tone::dim);
  return rec;
}

Record ReplyEvent::to_record() const {
  Record rec("reply");
  rec.set("peer", peer).set("seq", seq).set("bytes", bytes).set("rtt_ms", rtt_ms).set("match", match);
  rec.with_text(fmt::format("{} from {}: seq={} time={:.3f} ms{}", plural(bytes, "byte"), peer, seq, rtt_ms,
                            match ? "" : " (ECHO MISMATCH)"),
                match ? Tone::plain : Tone::bad);
  return rec;
}

Record ProbeSummary::to_record() const {
  Record rec("summary");
  rec.set("mode", "probe").set("peer", peer).set("sent", sent).set("received", received);
  rec.set("mismatches", mismatches);
  if (rtt) rtt->put(rec, "rtt_ms");
  std::string text = fmt::format("--- {} tcp-echo statistics ---\n{} sent, {} received, {} mismatch{}", peer,
                                 sent, received, mismatches, mismatches == 1 ? "" : "es");
  if (rtt && !rtt->empty()) {
    text += "\n" + rtt_line(rtt->min_ms(), rtt->avg_ms(), rtt->max_ms(), rtt->mdev_ms(),
                            rtt->percentile_ms(50), rtt->percentile_ms(90), rtt->percentile_ms(99));
  }
  bool ok = received == sent && mismatches == 0;
  return rec.with_text(text, ok ? Tone::good : Tone::bad).essential();
}

Record IntervalEvent::to_record() const {
  Record rec = event("interval");
  double rps = interval_s > 0 ? static_cast<double>(round_trips) / interval_s : 0;
  double mbs = mb_per_s(bytes, interval_s);
  rec.set("elapsed_s", elapsed_s).set("interval_s", interval_s).set("round_trips", round_trips);
  rec.set("round_trips_per_s", rps).set("bytes", bytes).set("mb_per_s", mbs).set("errors", errors);
  if (rtt) rtt->put(rec, "rtt_ms");
  std::string lat = rtt && rtt->count() ? fmt::format(", p50 {:.3f} ms, p99 {:.3f} ms",
                                                      rtt->percentile_ms(50), rtt->percentile_ms(99))
                                        : "";
  rec.with_text(fmt::format("{:6.1f} s  {:10.0f} round trips/s  {:9.2f} MB/s{}{}", elapsed_s, rps, mbs, lat,
                            errors ? fmt::format(", {} errors", errors) : ""));
  return rec;
}

Record LoadSummary::to_record() const {
  Record rec("summary");
  double rps = duration_s > 0 ? static_cast<double>(round_trips) / duration_s : 0;
  double mbs = mb_per_s(bytes, duration_s);
  rec.set("mode", mode).set("peer", peer).set("connections", connections).set("size_bytes", size);
  rec.set("pipeline", pipeline).set("duration_s", duration_s).set("round_trips", round_trips);
  rec.set("round_trips_per_s", rps).set("bytes", bytes).set("mb_per_s", mbs);
  rec.set("errors", errors).set("mismatches", mismatches);
  if (rtt) rtt->put(rec, "rtt_ms");
  std::string trips = rtt ? fmt::format("{} round trips ({:.0f}/s), ", round_trips, rps) : "";
  std::string text = fmt::format(
      "--- {} tcp-echo {} ---\n{}, {:.3f} s: {}{} ({:.2f} MB/s), {}, {} mismatch{}", peer, mode,
      plural(static_cast<uint64_t>(connections), "connection"), duration_s, trips, plural(bytes, "byte"), mbs,
      plural(errors, "error"), mismatches, mismatches == 1 ? "" : "es");
  if (rtt && rtt->count()) {
    text += "\n" + rtt_line(rtt->min_ms(), rtt->avg_ms(), rtt->max_ms(), rtt->mdev_ms(),
                            rtt->percentile_ms(50), rtt->percentile_ms(90), rtt->percentile_ms(99));
  }
  return rec.with_text(text, errors + mismatches == 0 ? Tone::good : Tone::bad).essential();
}

Record PipeSummary::to_record() const {
  Record rec("summary");
  rec.set("mode", "pipe")
      .set("peer", peer)
      .set("bytes_sent", bytes_sent)
      .set("bytes_verified", bytes_verified);
  rec.set("duration_s", duration_s).set("mb_per_s", mb_per_s(bytes_verified, duration_s));
  // Text mode's stdout carries the echoed bytes themselves: no text, or it would corrupt the data.
  return rec.essential();
}

}  // namespace nt::tcp_echo
