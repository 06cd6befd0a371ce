#include "subcommands/udp_time/records.hpp"

#include <fmt/format.h>

#include <cmath>
#include <numeric>

#include "output/escape.hpp"
#include "sys/clock.hpp"

namespace nt::udp_time {

namespace tp = timeproto;
using output::Json;
using output::Record;
using output::Tone;

namespace {
std::string time_text(int64_t unix_ns) {
  struct timespec ts {};
  ts.tv_sec = static_cast<time_t>(unix_ns / tp::kNsPerS);
  ts.tv_nsec = static_cast<long>(unix_ns % tp::kNsPerS);
  if (ts.tv_nsec < 0) {
    ts.tv_nsec += tp::kNsPerS;
    ts.tv_sec -= 1;
  }
  return sys::rfc3339(ts);
}

Json ms_or_null(const Sample& s, double seconds) {
  return s.has_offset ? Json(seconds * 1e3) : Json(nullptr);
}

void put_ntp_fields(Record& rec, const tp::NtpPacket& p) {
  rec.set("stratum", p.stratum)
      .set("refid", tp::refid_text(p.reference_id, p.stratum))
      .set("leap", tp::leap_name(p.leap))
      .set("version", p.version)
      .set("precision_log2", p.precision)
      .set("root_delay_ms", tp::seconds_from_short(p.root_delay) * 1e3)
      .set("root_dispersion_ms", tp::seconds_from_short(p.root_dispersion) * 1e3);
}

std::string ntp_text(const tp::NtpPacket& p) {
  return fmt::format(
      "stratum {}, refid {}, leap {}, precision 2^{} s, root delay {:.3f} ms, root dispersion {:.3f} ms",
      p.stratum, tp::refid_text(p.reference_id, p.stratum), tp::leap_name(p.leap), p.precision,
      tp::seconds_from_short(p.root_delay) * 1e3, tp::seconds_from_short(p.root_dispersion) * 1e3);
}
}  // namespace

Record ListeningRecord::to_record() const {
  Record rec("listening");
  rec.set("address", address).set("protocol", tp::protocol_name(protocol));
  if (protocol == tp::Protocol::sntp) rec.set("stratum", stratum).set("refid", refid);
  rec.set("rate_limit_per_s", rate_limit).set("rate_burst", rate_burst).set("limit_action", limit_action);
  rec.set("max_sources", max_sources);
  std::string limit = rate_limit > 0 ? fmt::format("rate limit {:g}/s per source, burst {:g}, then {}",
                                                   rate_limit, rate_burst, limit_action)
                                     : std::string("no rate limit");
  std::string ntp =
      protocol == tp::Protocol::sntp ? fmt::format("stratum {}, refid {}, ", stratum, refid) : "";
  rec.with_text(
      fmt::format("udp-time server: {} on {} ({}{})", tp::protocol_name(protocol), address, ntp, limit),
      Tone::bold);
  return rec.essential();
}

Record RequestRecord::to_record() const {
  Record rec("request");
  rec.set("source", source).set("protocol", tp::protocol_name(protocol)).set("action", action);
  rec.set("reason", reason == tp::DropReason::none ? Json(nullptr) : Json(tp::drop_reason_name(reason)));
  rec.set("request_bytes", request_bytes).set("reply_bytes", reply_bytes);
  std::string why = reason == tp::DropReason::none ? "" : fmt::format(" ({})", tp::drop_reason_name(reason));
  rec.with_text(fmt::format("{} {} bytes: {}{}", source, request_bytes, action, why),
                action == "reply" ? Tone::plain : Tone::warn);
  rec.level = output::Level::verbose;
  rec.as_event();  // one per datagram: the json document keeps only the first ones
  return rec;
}

uint64_t ServerCounters::dropped_total() const noexcept {
  return std::accumulate(dropped.begin(), dropped.end(), uint64_t{0});
}

Record ServerSummary::to_record() const {
  Record rec("summary");
  const ServerCounters& c = counters;
  Json dropped = Json::object();
  std::string drop_text;
  for (std::size_t i = 1; i < c.dropped.size(); ++i) {
    auto name = tp::drop_reason_name(static_cast<tp::DropReason>(i));
    dropped[name] = c.dropped[i];
    if (c.dropped[i] > 0)
      drop_text += fmt::format("{}{} {}", drop_text.empty() ? "" : ", ", c.dropped[i], name);
  }
  dropped["send_error"] = c.send_errors;
  rec.set("final", final).set("duration_s", duration_s).set("requests", c.requests).set("replies", c.replies);
  rec.set("kod_sent", c.kod_sent).set("rate_limited", c.rate_limited).set("dropped_total", c.dropped_total());
  rec.set("dropped", std::move(dropped)).set("sources_tracked", sources_tracked);
  rec.set("source_evictions", source_evictions);
  rec.with_text(fmt::format("{}: {} requests, {} replies, {} KoD, {} dropped{} in {:.1f} s",
                            final ? "summary" : "so far", c.requests, c.replies, c.kod_sent,
                            c.dropped_total(), drop_text.empty() ? "" : " (" + drop_text + ")", duration_s));
  if (final) rec.essential();
  return rec;
}

Record SampleRecord::to_record() const {
  const Sample& s = sample;
  Record rec("sample");
  rec.set("seq", s.seq)
      .set("attempt", s.attempt)
      .set("server", server)
      .set("protocol", tp::protocol_name(protocol));
  rec.set("offset_ms", ms_or_null(s, s.offset_s)).set("delay_ms", s.delay_s * 1e3);
  rec.set("server_time", s.has_offset ? Json(time_text(s.server_time_ns)) : Json(nullptr));
  if (s.packet) put_ntp_fields(rec, *s.packet);
  if (protocol == tp::Protocol::daytime) rec.set("text", s.text);
  std::string offset = s.has_offset ? fmt::format("{:+.3f} ms", s.offset_s * 1e3) : "unknown";
  rec.with_text(fmt::format("sample {}: offset {}, delay {:.3f} ms", s.seq, offset, s.delay_s * 1e3));
  return rec;
}

Record ClientEventRecord::to_record() const {
  Record rec(type);
  rec.set("seq", seq).set("attempt", attempt).set("reason", reason);
  if (backoff_s) rec.set("backoff_ms", *backoff_s * 1e3);
  std::string what = type == "retry"
                         ? fmt::format("{}, retrying in {:.0f} ms", reason, backoff_s.value_or(0) * 1e3)
                     : type == "rejected" ? fmt::format("rejected a reply: {}", reason)
                                          : fmt::format("kiss-o'-death: {}", reason);
  rec.with_text(fmt::format("sample {} attempt {}: {}", seq, attempt, what), Tone::warn);
  rec.level = type == "kod" ? output::Level::essential : output::Level::verbose;
  if (type == "kod") rec.tone = Tone::bad;
  return rec;
}

Record ResultRecord::to_record() const {
  Record rec("result");
  bool ok = best != nullptr && kod.empty() && !offset_exceeded;
  rec.set("ok", ok).set("server", server).set("protocol", tp::protocol_name(protocol));
  rec.set("offset_ms", best ? ms_or_null(*best, best->offset_s) : Json(nullptr));
  rec.set("delay_ms", best ? Json(best->delay_s * 1e3) : Json(nullptr));
  rec.set("server_time", best && best->has_offset ? Json(time_text(best->server_time_ns)) : Json(nullptr));
  if (protocol == tp::Protocol::sntp) {
    if (best && best->packet) {
      put_ntp_fields(rec, *best->packet);
    } else {
      for (const char* k :
           {"stratum", "refid", "leap", "version", "precision_log2", "root_delay_ms", "root_dispersion_ms"}) {
        rec.set(k, nullptr);
      }
    }
  }
  if (best && protocol == tp::Protocol::daytime) rec.set("text", best->text);
  rec.set("samples", samples).set("sent", sent).set("kod", kod.empty() ? Json(nullptr) : Json(kod));
  rec.set("max_offset_ms", max_offset_s ? Json(*max_offset_s * 1e3) : Json(nullptr));
  rec.set("offset_exceeded", offset_exceeded);
  rec.set("failure", failure.empty() ? Json(nullptr) : Json(failure));
  std::string text = fmt::format("{} ({})", server, tp::protocol_name(protocol));
  if (best) {
    text += fmt::format("\n  server time  {}", best->has_offset ? time_text(best->server_time_ns)
                                                                : output::escape_for_terminal(best->text));
    if (best->has_offset) text += fmt::format("\n  offset       {:+.3f} ms", best->offset_s * 1e3);
    text += fmt::format("\n  delay        {:.3f} ms", best->delay_s * 1e3);
    if (best->packet) text += "\n  " + ntp_text(*best->packet);
    text += fmt::format("\n  {} of {} samples valid", samples, sent);
  } else {
    text += fmt::format(": no valid reply ({} sent{})", sent, failure.empty() ? "" : ", last: " + failure);
  }
  if (!kod.empty()) text += fmt::format("\n  kiss-o'-death {}", kod);
  if (offset_exceeded) text += fmt::format("\n  offset exceeds --max-offset {:g} s", *max_offset_s);
  rec.with_text(text, ok ? Tone::good : Tone::bad);
  return rec.essential();
}

}  // namespace nt::udp_time
