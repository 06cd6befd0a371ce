#include "subcommands/sockopt/run.hpp"

#include <fmt/format.h>

#include "cli/validate.hpp"
#include "subcommands/sockopt/inspect.hpp"
#include "subcommands/sockopt/sources.hpp"
#include "sys/error.hpp"
#include "sys/privileges.hpp"
#include "sys/rlimits.hpp"

namespace nt::sockopt {

namespace {
struct Totals {
  int sockets = 0;
  int read = 0;
  int refused = 0;
};

void inspect_and_emit(const Acquired& a, cli::Runtime& rt, Totals& totals) {
  Inspection i = inspect_socket(net::SocketHandle(a.handle_fd), a.origin, a.sets);
  ++totals.sockets;
  totals.read += i.options_read;
  totals.refused += i.options_refused;
  rt.out.emit(std::move(i.record));
}

void emit_summary(const Totals& t, cli::Runtime& rt) {
  output::Record rec("summary");
  rec.set("sockets", t.sockets).set("options_read", t.read).set("options_refused", t.refused);
  rec.with_text(fmt::format("--- {} socket{}, {} options read, {} refused by the kernel or skipped ---",
                            t.sockets, t.sockets == 1 ? "" : "s", t.read, t.refused));
  rt.out.emit(std::move(rec));
}

std::vector<Acquired> acquire(const Options& o, Source source, const std::vector<SetRequest>& sets,
                              int family) {
  std::vector<Acquired> all;
  switch (source) {
    case Source::fresh:
      all.push_back(open_fresh(o, sets));
      break;
    case Source::inherited:
      all.push_back(borrow_inherited(*o.fd));
      break;
    case Source::process:
      sys::raise_fd_limit();  // a process with thousands of sockets: we hold a duplicate of each
      all = take_from_process(*o.pid, o.fd);
      break;
    case Source::connected:
      all.push_back(open_connected(o, sets, family));
      break;
    case Source::listening:
      all.push_back(open_listening(o, sets, family));
      break;
  }
  return all;
}
}  // namespace

int run_inspect(const Options& o, cli::Runtime& rt) {
  const Source source = validate(o);
  cli::check_seconds("--timeout", o.timeout_s, {0.001, 3600.0});
  std::vector<SetRequest> sets;
  for (const std::string& text : o.sets) sets.push_back(parse_set(text));
  std::vector<Acquired> all = acquire(o, source, sets, rt.global.family);
  sys::drop_privileges();  // every socket is in hand: reading options needs no capability
  Totals totals;
  for (const Acquired& a : all) inspect_and_emit(a, rt, totals);
  if (o.accept) {
    const auto timeout = std::chrono::milliseconds(static_cast<long long>(o.timeout_s * 1000));
    inspect_and_emit(accept_one(all.front(), timeout), rt, totals);
  }
  emit_summary(totals, rt);
  if (source == Source::process && totals.sockets == 0) {
    rt.warn(fmt::format("process {} holds no sockets", *o.pid));
    return kExitNegative;
  }
  return kExitOk;
}

}  // namespace nt::sockopt
