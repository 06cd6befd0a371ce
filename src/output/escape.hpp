// Text that came from outside (the network, a hosts file, the command line) made safe for a terminal:
// control characters (C0, DEL, C1) and bytes that are not valid UTF-8 become \xNN, so an escape
// sequence in a daytime reply or a crafted host name cannot move the cursor, retitle the window or
// hide the rest of the line. Valid UTF-8 text (names, the em dash in our own messages) is kept.
#pragma once
#include <string>
#include <string_view>

namespace nt::output {

std::string escape_for_terminal(std::string_view text);

}  // namespace nt::output
