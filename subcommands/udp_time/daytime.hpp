// RFC 867 daytime text. The RFC fixes no syntax; we send the classic inetd line (ctime(3) in UTC,
// "Wed Nov 25 06:07:27 2026") or RFC 3339, each ended by CRLF, and read back the formats servers
// commonly send (ctime with or without a zone word, RFC 3339 with Z or ±hh:mm).
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace nt::timeproto {

enum class DaytimeStyle { ctime, iso };

// Never longer than kDaytimeMaxReply bytes (CRLF included).
std::string format_daytime(int64_t unix_ns, DaytimeStyle style);
inline constexpr std::size_t kDaytimeMaxReply = 40;

// Unix nanoseconds for a daytime reply in one of the formats above (surrounding whitespace and a
// trailing "UTC"/"GMT" allowed), nullopt if the text is not one of them.
std::optional<int64_t> parse_daytime(std::string_view text);

}  // namespace nt::timeproto
