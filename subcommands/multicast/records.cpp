#include "subcommands/multicast/records.hpp"

#include <fmt/format.h>
#include <net/if.h>

#include <cstring>

#include "subcommands/multicast/options.hpp"

namespace nt::multicast {

using output::Json;
using output::Record;
using output::Tone;

namespace {
Json or_null(int v) {
  return v >= 0 ? Json(v) : Json(nullptr);
}

std::string ifname(int index) {
  char name[IF_NAMESIZE] = {};
  if (index <= 0 || ::if_indextoname(static_cast<unsigned>(index), name) == nullptr) return {};
  return name;
}

Json ifname_or_null(int index) {
  std::string n = ifname(index);
  return n.empty() ? Json(nullptr) : Json(n);
}

void put_interface(Record& rec, const Group& g) {
  rec.set("interface", g.iface ? Json(g.iface->name) : Json(nullptr));
  rec.set("ifindex", g.iface ? Json(g.iface->index) : Json(nullptr));
}

double loss_percent(uint64_t lost, uint64_t unique) {
  return lost + unique ? 100.0 * static_cast<double>(lost) / static_cast<double>(lost + unique) : 0.0;
}

std::string sender_name(const SenderStats& s) {
  return fmt::format("{} #{:08x}", s.source, s.sender_id);
}
}  // namespace

Record JoinedRecord::to_record() const {
  Record rec("joined");
  rec.set("group", group.address.host()).set("port", group.address.port());
  rec.set("mode", group.broadcast ? "broadcast" : sources.empty() ? "asm" : "ssm");
  rec.set("sources", sources);
  put_interface(rec, group);
  rec.set("bound", bound);
  rec.list_item = group.address.to_string();
  std::string from = sources.empty() ? "any source" : fmt::format("sources {}", fmt::join(sources, ", "));
  rec.with_text(group.broadcast
                    ? fmt::format("listening for broadcast on {} ({})", bound, interface_text(group))
                    : fmt::format("joined {} port {} on {}, {}", group.address.host(), group.address.port(),
                                  interface_text(group), from),
                Tone::bold);
  return rec.essential();
}

Record SendingRecord::to_record() const {
  Record rec("sending");
  rec.set("group", group.address.host()).set("port", group.address.port());
  rec.set("mode", group.broadcast ? "broadcast" : "multicast").set("local", local);
  put_interface(rec, group);
  rec.set("sender_id", sender_id).set(group.address.family() == AF_INET6 ? "hops" : "ttl", opts.hops);
  rec.set("loop", parse_on_off("--loop", opts.loop)).set("tos", opts.tos).set("size_bytes", opts.size);
  rec.set("rate_pps", opts.rate).set("count", opts.count ? Json(opts.count) : Json(nullptr));
  rec.set("duration_s", opts.duration_s > 0 ? Json(opts.duration_s) : Json(nullptr));
  std::string rate = opts.rate > 0 ? fmt::format("{:g}/s", opts.rate) : std::string("as fast as possible");
  rec.with_text(fmt::format("sending to {} from {} on {}: {} bytes, {}, ttl {}, sender #{:08x}",
                            group.address.to_string(), local, interface_text(group), opts.size, rate,
                            opts.hops, sender_id),
                Tone::bold);
  return rec.essential();
}

Record DatagramRecord::to_record() const {
  Record rec("datagram");
  rec.set("sender", sender.source).set("sender_id", sender.sender_id).set("seq", seq).set("bytes", bytes);
  rec.set("delay_ms", delay_ms).set("ttl", or_null(sender.last.ttl)).set("tos", or_null(sender.last.tos));
  rec.set("ifindex", sender.last.ifindex).set("arrival", arrival_name(arrival));
  rec.with_text(fmt::format("{} seq={} {} bytes ttl={} delay={:.3f} ms {}", sender_name(sender), seq, bytes,
                            sender.last.ttl, delay_ms, arrival_name(arrival)),
                arrival == Arrival::in_order || arrival == Arrival::first ? Tone::plain : Tone::warn);
  rec.level = output::Level::verbose;
  return rec.as_event();
}

Record ForeignRecord::to_record() const {
  Record rec("foreign");
  rec.set("source", foreign.source).set("datagrams", foreign.datagrams).set("bytes", foreign.bytes);
  rec.set("reason", rejection_name(foreign.reason)).set("final", final);
  rec.with_text(final ? fmt::format("foreign: {} datagrams ({} bytes) from {} without our header",
                                    foreign.datagrams, foreign.bytes, foreign.source)
                      : fmt::format("foreign datagram from {} ({}, {} bytes)", foreign.source,
                                    rejection_name(foreign.reason), foreign.bytes),
                Tone::warn);
  if (final) rec.essential();
  return rec;
}

Record RecvIntervalRecord::to_record() const {
  Record rec("interval");
  const uint64_t lost = sender.seq.lost(from_zero, 0);
  const uint64_t received = sender.seq.received() - sender.marked_received;
  const uint64_t lost_now = lost > sender.marked_lost ? lost - sender.marked_lost : 0;
  sender.marked_received = sender.seq.received();
  sender.marked_lost = lost;
  rec.set("elapsed_s", elapsed_s).set("sender", sender.source).set("sender_id", sender.sender_id);
  rec.set("received", received)
      .set("lost", lost_now)
      .set("rate_pps", static_cast<double>(received) / interval_s);
  rec.set("total_received", sender.seq.received()).set("total_lost", lost);
  rec.with_text(fmt::format("{:6.1f} s  {}: {} received ({:.0f}/s), {} lost", elapsed_s, sender_name(sender),
                            received, static_cast<double>(received) / interval_s, lost_now));
  (void)expected;
  return rec;
}

Record SenderSummaryRecord::to_record() const {
  const SequenceTracker& q = sender.seq;
  const uint64_t lost = q.lost(from_zero, expected);
  Record rec("summary");
  rec.set("role", "recv").set("sender", sender.source).set("sender_id", sender.sender_id);
  rec.set("received", q.received()).set("unique", q.unique()).set("lost", lost);
  rec.set("loss_percent", loss_percent(lost, q.unique())).set("duplicated", q.duplicated());
  rec.set("reordered", q.reordered())
      .set("gaps", q.gaps())
      .set("first_seq", q.lowest())
      .set("last_seq", q.highest());
  rec.set("bytes", sender.bytes);
  sender.delay.put(rec, "delay_ms");
  rec.set("ttl", or_null(sender.last.ttl)).set("tos", or_null(sender.last.tos));
  rec.set("ifindex", sender.last.ifindex).set("interface", ifname_or_null(sender.last.ifindex));
  rec.set("expected", expected ? Json(expected) : Json(nullptr));
  rec.set("complete", expected ? Json(q.unique() >= expected) : Json(nullptr));
  rec.list_item = sender.source;
  rec.with_text(
      fmt::format("--- {} ---\n{} received, {} unique, {} lost ({:.2f}%), {} duplicated, {} reordered, {} "
                  "gaps\none-way delay min/avg/p99 = {:.3f}/{:.3f}/{:.3f} ms, ttl {}, tos {:#04x}, {}",
                  sender_name(sender), q.received(), q.unique(), lost, loss_percent(lost, q.unique()),
                  q.duplicated(), q.reordered(), q.gaps(), sender.delay.min_ms(), sender.delay.avg_ms(),
                  sender.delay.percentile_ms(99), sender.last.ttl, std::max(sender.last.tos, 0),
                  ifname(sender.last.ifindex)),
      lost ? Tone::warn : Tone::good);
  return rec.essential();
}

Record RecvResultRecord::to_record() const {
  Record rec("result");
  rec.set("ok", ok).set("senders", senders).set("complete_senders", complete);
  rec.set("expect", expect ? Json(*expect) : Json(nullptr))
      .set("senders_needed", expect ? Json(senders_needed) : Json(nullptr));
  rec.set("foreign_datagrams", foreign).set("untracked_datagrams", untracked);
  rec.set("duration_s", duration_s).set("timed_out", timed_out);
  std::string verdict = !expect ? fmt::format("{} senders in {:.1f} s", senders, duration_s)
                        : ok    ? fmt::format("{} of {} senders delivered {} datagrams in {:.1f} s", complete,
                                              senders_needed, *expect, duration_s)
                                : fmt::format("only {} of {} senders delivered {} datagrams{}", complete,
                                              senders_needed, *expect, timed_out ? " before the timeout" : "");
  if (foreign) verdict += fmt::format(", {} foreign datagrams", foreign);
  rec.with_text(verdict, ok ? Tone::good : Tone::bad);
  return rec.essential();
}

Record SendIntervalRecord::to_record() const {
  Record rec("interval");
  rec.set("elapsed_s", elapsed_s).set("sent", sent).set("rate_pps", static_cast<double>(sent) / interval_s);
  rec.with_text(
      fmt::format("{:6.1f} s  {} sent ({:.0f}/s)", elapsed_s, sent, static_cast<double>(sent) / interval_s));
  return rec;
}

Record SendSummaryRecord::to_record() const {
  Record rec("summary");
  const double pps = duration_s > 0 ? static_cast<double>(counters.sent) / duration_s : 0.0;
  rec.set("role", "send")
      .set("sender_id", sender_id)
      .set("sent", counters.sent)
      .set("errors", counters.errors);
  rec.set("last_error", counters.last_error ? Json(std::strerror(counters.last_error)) : Json(nullptr));
  rec.set("bytes", counters.bytes).set("duration_s", duration_s).set("rate_pps", pps);
  std::string errors = counters.errors ? fmt::format(", {} errors (last: {})", counters.errors,
                                                     std::strerror(counters.last_error))
                                       : std::string();
  rec.with_text(fmt::format("--- sender #{:08x}: {} datagrams sent ({} bytes) in {:.3f} s, {:.0f}/s{} ---",
                            sender_id, counters.sent, counters.bytes, duration_s, pps, errors),
                counters.errors ? Tone::warn : Tone::good);
  return rec.essential();
}

}  // namespace nt::multicast
