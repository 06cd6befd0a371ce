#include "subcommands/portscan/run.hpp"

#include "subcommands/portscan/connect_scan.hpp"
#include "subcommands/portscan/engine.hpp"
#include "subcommands/portscan/progress.hpp"
#include "subcommands/portscan/report.hpp"
#include "subcommands/portscan/syn_scan.hpp"
#include "subcommands/portscan/udp_scan.hpp"
#include "sys/clock.hpp"
#include "sys/error.hpp"
#include "sys/privileges.hpp"

#include <linux/capability.h>

namespace nt::portscan {

namespace {

// SYN when asked for or possible; connect (with a notice) when SYN was only the default.
Method choose_method(const Plan& plan, Reporter& reporter) {
  if (plan.method != Method::syn) return plan.method;
  std::string why;
  if (syn_scan_possible(&why)) return Method::syn;
  if (plan.method_chosen) throw PrivilegeError(why + ", or use --connect");
  reporter.notice(why + "; using a connect scan");
  return Method::connect;
}

std::unique_ptr<Transport> make_transport(Method method, event::EventLoop& loop, Engine& engine,
                                          const Plan& plan) {
  switch (method) {
    case Method::udp:
      return std::make_unique<UdpScanner>(loop, engine, plan);
    case Method::syn:
#if NETTOOL_HAVE_PCAP
      return std::make_unique<SynScanner>(loop, engine, plan);
#else
      throw PrivilegeError("this nettool was built without libpcap, which a SYN scan needs");
#endif
    case Method::connect:
      break;
  }
  return std::make_unique<ConnectScanner>(loop, engine, plan);
}

// Probes in flight: connect scans hold one descriptor each; SYN and UDP probes hold none, so their
// window only bounds the state table (and --rate bounds the wire).
std::size_t window_for(Method method, const Plan& plan) {
  if (method == Method::connect || plan.banner) return connection_budget(plan);
  return plan.concurrency ? plan.concurrency : 65536;
}

}  // namespace

int run(const Options& opts, cli::Runtime& rt) {
  const Plan plan = build_plan(opts, rt.global);
  Reporter reporter(rt.out, plan, scan::ServiceTable::load());
  const Method method = choose_method(plan, reporter);
  event::EventLoop loop;
  Engine engine(loop, plan, reporter, window_for(method, plan));
  auto transport = make_transport(method, loop, engine, plan);
  if (method != Method::syn && sys::has_capability(CAP_NET_RAW)) sys::drop_all_capabilities();
  reporter.start(method);
  Progress progress(rt.global.quiet);
  std::function<void()> tick = [&] {
    progress.update(engine.finished(), plan.probes(), engine.packets_sent());
    loop.add_timer(std::chrono::milliseconds(250), tick);
  };
  loop.add_timer(std::chrono::milliseconds(250), tick);
  const auto start = sys::MonoClock::now();
  engine.run(*transport);
  progress.clear();
  transport.reset();
  const ScanTotals totals{sys::to_seconds(sys::MonoClock::now() - start), engine.packets_sent(),
                          engine.retransmissions(), engine.interrupted()};
  return reporter.finish(method, totals);
}

}  // namespace nt::portscan
