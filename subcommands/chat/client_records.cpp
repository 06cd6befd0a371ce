#include "subcommands/chat/client_records.hpp"

#include <fmt/color.h>
#include <fmt/format.h>

#include <array>
#include <variant>

#include "output/escape.hpp"
#include "sys/clock.hpp"

namespace nt::chat {

namespace {

using output::Level;
using output::Record;
using output::Tone;

std::string esc(std::string_view text) {
  return output::escape_for_terminal(text);
}

// FNV-1a: stable across runs and machines, so a name keeps its colour in every session.
std::size_t name_hash(std::string_view name) {
  uint64_t h = 1469598103934665603ull;
  for (unsigned char c : name) h = (h ^ c) * 1099511628211ull;
  return static_cast<std::size_t>(h);
}

void describe(const Join& m, Record& r, const TextStyle& s) {
  r.set("name", m.name).with_text(fmt::format("* {} joins", sender_text(m.name, s)), Tone::dim);
}
void describe(const List&, Record& r, const TextStyle&) {
  r.with_text("* (a list request)", Tone::dim).level = Level::verbose;
}
void describe(const Nick& m, Record& r, const TextStyle& s) {
  r.set("name", m.name);
  if (m.old) r.set("old", *m.old);
  if (m.id) r.set("id", *m.id);
  r.with_text(fmt::format("* {} is now known as {}", m.old ? sender_text(*m.old, s) : "someone",
                          sender_text(m.name, s)),
              Tone::dim);
}
void describe(const ChatMessage& m, Record& r, const TextStyle& s) {
  if (m.from) r.set("from", *m.from);
  if (m.to) r.set("to", *m.to);
  r.set("text", m.text);
  if (m.id) r.set("id", *m.id);
  std::string who = m.from ? sender_text(*m.from, s) : "?";
  std::string to = m.to ? fmt::format(" → {}", sender_text(*m.to, s)) : "";
  r.with_text(fmt::format("<{}{}> {}", who, to, esc(m.text)));
}
void describe(const Welcome& m, Record& r, const TextStyle& s) {
  r.set("id", m.id);
  if (m.name) r.set("name", *m.name);
  std::string as = m.name ? fmt::format(" as {}", sender_text(*m.name, s)) : "";
  r.with_text(fmt::format("* welcome{} (id {})", as, m.id), Tone::good);
}
void describe(const UserJoined& m, Record& r, const TextStyle& s) {
  r.set("name", m.name)
      .set("id", m.id)
      .with_text(fmt::format("* {} joined", sender_text(m.name, s)), Tone::dim);
}
void describe(const UserLeft& m, Record& r, const TextStyle& s) {
  r.set("name", m.name)
      .set("id", m.id)
      .with_text(fmt::format("* {} left", sender_text(m.name, s)), Tone::dim);
}
void describe(const UserList& m, Record& r, const TextStyle& s) {
  r.set("users", m.users);
  std::string names;
  for (const std::string& user : m.users) names += (names.empty() ? "" : ", ") + sender_text(user, s);
  r.with_text(fmt::format("* {} online: {}", m.users.size(), names));
}
void describe(const Error& m, Record& r, const TextStyle&) {
  r.set("code", m.code).set("message", m.message);
  r.with_text(fmt::format("! error {}: {}", m.code, esc(m.message)), Tone::bad).essential();
}
void describe(const Ping&, Record& r, const TextStyle&) {
  r.with_text("* ping", Tone::dim).level = Level::verbose;
}
void describe(const Pong&, Record& r, const TextStyle&) {
  r.with_text("* pong", Tone::dim).level = Level::verbose;
}
void describe(const Hello& m, Record& r, const TextStyle&) {
  r.set("capabilities", m.capabilities);
  if (m.software) r.set("software", *m.software);
  std::string caps;
  for (const std::string& cap : m.capabilities) caps += (caps.empty() ? "" : ", ") + esc(cap);
  r.with_text(fmt::format("* server {} ({})", esc(m.software.value_or("?")), caps), Tone::dim).level =
      Level::verbose;
}

}  // namespace

std::string sender_text(std::string_view name, const TextStyle& style) {
  static constexpr std::array kPalette{fmt::terminal_color::red,     fmt::terminal_color::green,
                                       fmt::terminal_color::yellow,  fmt::terminal_color::blue,
                                       fmt::terminal_color::magenta, fmt::terminal_color::cyan};
  std::string text = esc(name);
  if (!style.color) return text;
  return fmt::format(fmt::fg(kPalette[name_hash(name) % kPalette.size()]), "{}", text);
}

Record event_record(const Message& message, const TextStyle& style) {
  Record r(type_name(message));
  r.set("time", sys::now_rfc3339());
  std::visit([&](const auto& m) { describe(m, r, style); }, message);
  return r.as_event();
}

Record unknown_type_record(std::string_view type) {
  Record r(type);
  r.set("time", sys::now_rfc3339()).set("unknown", true);
  r.with_text(fmt::format("* a '{}' message (not a type this client knows)", esc(type)), Tone::dim).level =
      Level::verbose;
  return r.as_event();
}

Record invalid_line_record(std::string_view problem, std::size_t bytes) {
  Record r("invalid_line");
  r.set("time", sys::now_rfc3339()).set("problem", problem).set("bytes", bytes);
  return r
      .with_text(fmt::format("! the server sent a line that is not the protocol: {}", esc(problem)),
                 Tone::warn)
      .as_event();
}

Record overlong_line_record(std::size_t max_line) {
  Record r("invalid_line");
  r.set("time", sys::now_rfc3339()).set("problem", "too long").set("max_bytes", max_line);
  return r
      .with_text(fmt::format("! the server sent a line longer than {} bytes: skipped", max_line), Tone::warn)
      .as_event();
}

Record connected_record(const std::string& peer, const std::string& name) {
  Record r("connected");
  r.set("time", sys::now_rfc3339()).set("peer", peer).set("name", name);
  return r.with_text(fmt::format("* connected to {}, joining as {}", peer, esc(name)), Tone::dim);
}

Record disconnected_record(const std::string& peer, const std::string& reason) {
  Record r("disconnected");
  r.set("time", sys::now_rfc3339()).set("peer", peer).set("reason", reason);
  return r.with_text(fmt::format("* disconnected from {}: {}", peer, reason), Tone::warn).essential();
}

Record reconnecting_record(int attempt, double delay_s, const std::string& target,
                           const std::string& reason) {
  Record r("reconnecting");
  r.set("time", sys::now_rfc3339()).set("target", target).set("attempt", attempt).set("delay_s", delay_s);
  r.set("reason", reason);
  return r
      .with_text(fmt::format("* {}; reconnecting to {} in {:.1f} s (attempt {})", esc(reason), esc(target),
                             delay_s, attempt),
                 Tone::dim)
      .essential();
}

Record ClientSummary::to_record() const {
  Record r("summary");
  r.set("peer", peer).set("messages_sent", sent).set("messages_received", received);
  r.set("reconnects", reconnects).set("duration_s", duration_s);
  return r.with_text(fmt::format("--- chat-client {}: {} sent, {} received, {} reconnects, {:.3f} s ---",
                                 peer, sent, received, reconnects, duration_s));
}

}  // namespace nt::chat
