// The chat protocol: newline-delimited JSON, one object per line, UTF-8 (issue 12). Every message has a
// string `type`; the other fields are either flat beside it ({"type":"join","name":"Alice"}) or nested in
// a `data` object ({"type":"join","data":{"name":"Alice"}}, the textbook implementation's form). We
// accept both and send the flat form. Unknown fields are ignored; unknown types are reported as such,
// so a peer can ignore extensions it does not know.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace nt::chat {

// client → server
struct Join {
  std::string name;
};
struct List {};
// Extension: rename (client → server: `name`); the server announces it to all with `old` and `id`.
struct Nick {
  std::string name;
  std::optional<std::string> old;
  std::optional<uint64_t> id;
};
// Both directions. Client → server: `text`, and `to` for a private message (extension). Server →
// client: `from` and `text`, `to` (the recipient) on a private message, `id` of the sender (extension).
struct ChatMessage {
  std::string text;
  std::optional<std::string> from;
  std::optional<std::string> to;
  std::optional<uint64_t> id;
};

// server → client
struct Welcome {
  uint64_t id = 0;
  std::optional<std::string> name;  // extension: the name joined under
};
struct UserJoined {
  std::string name;
  uint64_t id = 0;
};
struct UserLeft {
  std::string name;
  uint64_t id = 0;
};
struct UserList {
  std::vector<std::string> users;
};
struct Error {
  int code = 0;
  std::string message;
};

// Extensions, both directions: heartbeats and the capability exchange a nettool peer may send first.
struct Ping {};
struct Pong {};
struct Hello {
  std::vector<std::string> capabilities;
  std::optional<std::string> software;
};

using Message = std::variant<Join, List, Nick, ChatMessage, Welcome, UserJoined, UserLeft, UserList, Error,
                             Ping, Pong, Hello>;

// The wire name of each type ("join", "message", "user_list", …).
std::string_view type_name(const Message& m) noexcept;

struct ParseResult {
  enum class Status {
    ok,
    invalid_utf8,  // the line is not valid UTF-8 (overlong forms, surrogates, > U+10FFFF, truncated)
    invalid_json,  // not JSON, trailing garbage, or nested deeper than kMaxDepth
    not_object,    // valid JSON but not an object
    bad_type,      // `type` missing or not a string
    unknown_type,  // `type` is a string we do not know: `type` holds it; ignore or answer 400
    bad_field,     // a known type with a field missing or of the wrong type: `error` names it
  };
  Status status = Status::ok;
  std::optional<Message> message;  // set when ok
  std::string type;                // the `type` string when there was one
  std::string error;               // words for the problem, for an error reply or a diagnostic

  bool ok() const noexcept { return status == Status::ok; }
};

inline constexpr int kMaxDepth = 16;  // JSON nesting accepted in one line

// Parses one line (without its '\n'; a trailing '\r' is tolerated). Never throws.
ParseResult parse_message(std::string_view line);

// The flat form of `m`, one line ending in '\n'. Invalid UTF-8 inside a string is replaced (U+FFFD)
// rather than thrown: a line always comes out.
std::string to_line(const Message& m);

// The general paths of the two above, through nlohmann::json. parse_message and to_line take a
// shortcut for the plain chat message line (protocol_fast.cpp); tests check that both paths agree.
ParseResult parse_message_json(std::string_view line);
std::string to_line_json(const Message& m);
// `s` as one JSON string, quotes included (invalid UTF-8 replaced by U+FFFD).
std::string json_string(std::string_view s);

// True when `text` is well-formed UTF-8 (RFC 3629: no overlong forms, no surrogates, ≤ U+10FFFF).
bool valid_utf8(std::string_view text) noexcept;

// Name rules: 1–32 characters (code points), valid UTF-8, no control characters (C0, DEL, C1, U+2028,
// U+2029), not only spaces. Returns the problem, or nullopt when the name is fine.
inline constexpr std::size_t kMaxNameChars = 32;
std::optional<std::string> name_problem(std::string_view name);

// Error codes the server sends (documented in nettool-chat-server(1)).
namespace code {
inline constexpr int bad_request = 400;   // unparsable line, wrong field types, bad name, unknown type
inline constexpr int not_joined = 401;    // message/list/nick before join
inline constexpr int not_found = 404;     // private message to a name nobody has
inline constexpr int idle = 408;          // no input (not even a pong) within the idle timeout
inline constexpr int conflict = 409;      // name taken, or join twice
inline constexpr int too_long = 413;      // line longer than the maximum
inline constexpr int rate_limited = 429;  // messages faster than the rate limit
inline constexpr int unavailable = 503;   // the server is shutting down, or full
inline constexpr int slow_reader = 507;   // output queue over its bound: dropped
}  // namespace code

}  // namespace nt::chat
