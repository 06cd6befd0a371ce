#include "subcommands/chat/protocol.hpp"

#include <nlohmann/json.hpp>

#include <type_traits>
#include <utility>

#include "subcommands/chat/overloaded.hpp"

namespace nt::chat {

namespace {

using json = nlohmann::json;
using ojson = nlohmann::ordered_json;  // output keeps `type` first, for people reading the wire

struct FieldError {
  std::string what;
};

// The fields of one message: the top-level object, or its `data` object (the nested form).
class Fields {
 public:
  explicit Fields(const json& obj) : obj_(obj) {}

  const json* find(const char* key) const {
    auto it = obj_.find(key);
    return it == obj_.end() || it->is_null() ? nullptr : &*it;
  }
  std::optional<std::string> opt_str(const char* key) const {
    const json* v = find(key);
    if (v == nullptr) return std::nullopt;
    if (!v->is_string()) throw FieldError{std::string("'") + key + "' must be a string"};
    return v->get<std::string>();
  }
  std::string str(const char* key) const { return required(opt_str(key), key); }
  std::optional<uint64_t> opt_uint(const char* key) const {
    const json* v = find(key);
    if (v == nullptr) return std::nullopt;
    if (!v->is_number_unsigned()) throw FieldError{std::string("'") + key + "' must be a whole number ≥ 0"};
    return v->get<uint64_t>();
  }
  uint64_t uint(const char* key) const { return required(opt_uint(key), key); }
  std::optional<std::vector<std::string>> opt_strings(const char* key) const {
    const json* v = find(key);
    if (v == nullptr) return std::nullopt;
    std::vector<std::string> out;
    if (!v->is_array()) throw FieldError{std::string("'") + key + "' must be an array of strings"};
    for (const json& e : *v) {
      if (!e.is_string()) throw FieldError{std::string("'") + key + "' must be an array of strings"};
      out.push_back(e.get<std::string>());
    }
    return out;
  }

 private:
  template <class T>
  static T required(std::optional<T> v, const char* key) {
    if (!v) throw FieldError{std::string("missing '") + key + "'"};
    return std::move(*v);
  }
  const json& obj_;
};

int error_code(const Fields& f) {
  uint64_t c = f.uint("code");
  if (c > 999) throw FieldError{"'code' must be between 0 and 999"};
  return static_cast<int>(c);
}

std::optional<Message> decode(std::string_view type, const Fields& f) {
  if (type == "join") return Join{f.str("name")};
  if (type == "list") return List{};
  if (type == "nick") return Nick{f.str("name"), f.opt_str("old"), f.opt_uint("id")};
  if (type == "message")
    return ChatMessage{f.str("text"), f.opt_str("from"), f.opt_str("to"), f.opt_uint("id")};
  if (type == "welcome") return Welcome{f.uint("id"), f.opt_str("name")};
  if (type == "user_joined") return UserJoined{f.str("name"), f.uint("id")};
  if (type == "user_left") return UserLeft{f.str("name"), f.uint("id")};
  if (type == "user_list") return UserList{f.opt_strings("users").value_or(std::vector<std::string>{})};
  if (type == "error") return Error{error_code(f), f.opt_str("message").value_or("")};
  if (type == "ping") return Ping{};
  if (type == "pong") return Pong{};
  if (type == "hello")
    return Hello{f.opt_strings("capabilities").value_or(std::vector<std::string>{}), f.opt_str("software")};
  return std::nullopt;
}

// Nesting depth outside strings: refused before the parser builds anything from it.
int max_depth(std::string_view s) noexcept {
  int depth = 0, deepest = 0;
  bool in_string = false, escaped = false;
  for (char c : s) {
    if (in_string) {
      if (escaped)
        escaped = false;
      else if (c == '\\')
        escaped = true;
      else if (c == '"')
        in_string = false;
    } else if (c == '"') {
      in_string = true;
    } else if (c == '{' || c == '[') {
      deepest = std::max(deepest, ++depth);
    } else if (c == '}' || c == ']') {
      --depth;
    }
  }
  return deepest;
}

ParseResult failed(ParseResult::Status status, std::string error, std::string type = {}) {
  ParseResult r;
  r.status = status;
  r.error = std::move(error);
  r.type = std::move(type);
  return r;
}

std::string parser_words(const json::parse_error& e) {
  std::string_view w = e.what();
  auto end = w.find("] ");  // "[json.exception.parse_error.101] parse error at …"
  return std::string(end == std::string_view::npos ? w : w.substr(end + 2));
}

}  // namespace

ParseResult parse_message_json(std::string_view line) {
  using S = ParseResult::Status;
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  if (!valid_utf8(line)) return failed(S::invalid_utf8, "not valid UTF-8");
  if (max_depth(line) > kMaxDepth) return failed(S::invalid_json, "JSON nested too deeply");
  json doc;
  try {
    doc = json::parse(line);
  } catch (const json::parse_error& e) {
    return failed(S::invalid_json, "not JSON: " + parser_words(e));
  } catch (const json::out_of_range&) {
    // 1e999: json::parse throws out_of_range.406 for a number no double holds (found by fuzz-chat;
    // before, one such line terminated the server).
    return failed(S::invalid_json, "not JSON: a number out of range");
  }
  if (!doc.is_object()) return failed(S::not_object, "not a JSON object");
  auto t = doc.find("type");
  if (t == doc.end() || !t->is_string()) return failed(S::bad_type, "'type' missing or not a string");
  std::string type = t->get<std::string>();
  auto data = doc.find("data");
  if (data != doc.end() && !data->is_object() && !data->is_null()) {
    return failed(S::bad_field, "'data' must be an object", type);
  }
  bool nested = data != doc.end() && data->is_object();
  try {
    std::optional<Message> m = decode(type, Fields(nested ? *data : doc));
    if (!m) return failed(S::unknown_type, "unknown type '" + type + "'", type);
    ParseResult r;
    r.message = std::move(m);
    r.type = std::move(type);
    return r;
  } catch (const FieldError& e) {
    return failed(S::bad_field, type + ": " + e.what, type);
  } catch (const json::exception& e) {
    return failed(S::bad_field, type + ": " + e.what(), type);
  }
}

std::string_view type_name(const Message& m) noexcept {
  return std::visit(Overloaded{
                        [](const Join&) { return "join"; },
                        [](const List&) { return "list"; },
                        [](const Nick&) { return "nick"; },
                        [](const ChatMessage&) { return "message"; },
                        [](const Welcome&) { return "welcome"; },
                        [](const UserJoined&) { return "user_joined"; },
                        [](const UserLeft&) { return "user_left"; },
                        [](const UserList&) { return "user_list"; },
                        [](const Error&) { return "error"; },
                        [](const Ping&) { return "ping"; },
                        [](const Pong&) { return "pong"; },
                        [](const Hello&) { return "hello"; },
                    },
                    m);
}

namespace {
template <class T>
void put(ojson& j, const char* key, const std::optional<T>& v) {
  if (v) j[key] = *v;
}

void fill(ojson& j, const Message& m) {
  std::visit(Overloaded{
                 [&](const Join& x) { j["name"] = x.name; },
                 [](const List&) {},
                 [&](const Nick& x) {
                   j["name"] = x.name;
                   put(j, "old", x.old);
                   put(j, "id", x.id);
                 },
                 [&](const ChatMessage& x) {
                   put(j, "from", x.from);
                   put(j, "to", x.to);
                   put(j, "id", x.id);
                   j["text"] = x.text;
                 },
                 [&](const Welcome& x) {
                   j["id"] = x.id;
                   put(j, "name", x.name);
                 },
                 [&](const UserJoined& x) { j["name"] = x.name, j["id"] = x.id; },
                 [&](const UserLeft& x) { j["name"] = x.name, j["id"] = x.id; },
                 [&](const UserList& x) { j["users"] = x.users; },
                 [&](const Error& x) { j["code"] = x.code, j["message"] = x.message; },
                 [](const Ping&) {},
                 [](const Pong&) {},
                 [&](const Hello& x) {
                   j["capabilities"] = x.capabilities;
                   put(j, "software", x.software);
                 },
             },
             m);
}
}  // namespace

std::string json_string(std::string_view s) {
  return ojson(s).dump(-1, ' ', false, ojson::error_handler_t::replace);
}

std::string to_line_json(const Message& m) {
  ojson j;
  j["type"] = type_name(m);
  fill(j, m);
  std::string line = j.dump(-1, ' ', false, ojson::error_handler_t::replace);
  line += '\n';
  return line;
}

}  // namespace nt::chat
