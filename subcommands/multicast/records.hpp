// The records `multicast` emits (documented in man/nettool-multicast.1.scd, OUTPUT).
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "output/record.hpp"
#include "subcommands/multicast/group.hpp"
#include "subcommands/multicast/stats.hpp"

namespace nt::multicast {

struct JoinedRecord {
  const Group& group;
  std::vector<std::string> sources;  // empty: any source
  std::string bound;                 // the address the socket is bound to
  output::Record to_record() const;
};

struct SendingRecord {
  const Group& group;
  const SendOptions& opts;
  uint32_t sender_id;
  std::string local;  // the address datagrams leave from
  output::Record to_record() const;
};

struct DatagramRecord {  // -v only
  const SenderStats& sender;
  uint64_t seq;
  std::size_t bytes;
  double delay_ms;
  Arrival arrival;
  output::Record to_record() const;
};

struct ForeignRecord {
  const ForeignStats& foreign;
  bool final;  // false: the first datagram from this source
  output::Record to_record() const;
};

struct RecvIntervalRecord {
  SenderStats& sender;  // its interval marks move on
  double elapsed_s;
  double interval_s;
  bool from_zero;
  uint64_t expected;
  output::Record to_record() const;
};

struct SenderSummaryRecord {
  const SenderStats& sender;
  bool from_zero;
  uint64_t expected;  // 0: no --expect
  output::Record to_record() const;
};

struct RecvResultRecord {
  bool ok;
  std::size_t senders;
  std::size_t complete;  // senders that delivered --expect
  std::optional<uint64_t> expect;
  int senders_needed;
  uint64_t foreign;
  uint64_t untracked;
  double duration_s;
  bool timed_out;
  output::Record to_record() const;
};

struct SendCounters {
  uint64_t sent = 0;
  uint64_t errors = 0;
  uint64_t bytes = 0;
  int last_error = 0;
};

struct SendIntervalRecord {
  double elapsed_s;
  uint64_t sent;  // in this interval
  double interval_s;
  output::Record to_record() const;
};

struct SendSummaryRecord {
  const SendCounters& counters;
  uint32_t sender_id;
  double duration_s;
  output::Record to_record() const;
};

}  // namespace nt::multicast
