// Pieces the sink implementations share. Not for subcommands.
#pragma once
#include <cstdio>
#include <memory>
#include <string_view>

#include "output/record_log.hpp"
#include "output/sink.hpp"

namespace nt::output::detail {

// Flushes `out`; a failed write throws std::system_error (EPIPE: the reader left; main stays quiet).
void check_stream(std::FILE* out);
inline void write_all(std::FILE* out, std::string_view s) {
  if (!s.empty()) std::fwrite(s.data(), 1, s.size(), out);
}

// `log` (may be null) also gets the finished document (NETTOOL_RECORD_LOG).
std::unique_ptr<Sink> make_json_sink(std::FILE* out, const SinkOptions& opts,
                                     std::shared_ptr<const RecordLog> log);
std::unique_ptr<Sink> make_jsonl_sink(std::FILE* out, const SinkOptions& opts);

}  // namespace nt::output::detail
