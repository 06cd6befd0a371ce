#include "subcommands/portscan/run.hpp"

#include <linux/capability.h>

#include <algorithm>
#include <atomic>
#include <exception>
#include <thread>

#include "event/threads.hpp"
#include "pcap/traffic_filter.hpp"
#include "subcommands/portscan/connect_scan.hpp"
#include "subcommands/portscan/engine.hpp"
#include "subcommands/portscan/progress.hpp"
#include "subcommands/portscan/report.hpp"
#include "subcommands/portscan/syn_scan.hpp"
#include "subcommands/portscan/udp_scan.hpp"
#include "sys/clock.hpp"
#include "sys/error.hpp"
#include "sys/privileges.hpp"

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

// Most of a TCP scan's cost is the kernel's work per packet, done in the sending thread: one loop per
// core (DESIGN.md) scales it. UDP stays single: ICMP rate limits, not CPU, bound it.
std::size_t worker_count(Method method, const Plan& plan) {
  if (method == Method::udp || plan.probes() < 8192) return 1;
  return std::clamp<std::size_t>(std::thread::hardware_concurrency(), 1, 4);
}

struct Worker {
  std::unique_ptr<event::EventLoop> loop;
  std::unique_ptr<Engine> engine;
  std::unique_ptr<Transport> transport;
};

std::vector<Worker> make_workers(Method method, const Plan& plan, Reporter& reporter) {
  const std::size_t n = worker_count(method, plan);
  const std::size_t window = window_for(method, plan);
  std::vector<Worker> workers(n);
  for (std::size_t i = 0; i < n; ++i) {
    auto& w = workers[i];
    w.loop = std::make_unique<event::EventLoop>(false);
    w.engine = std::make_unique<Engine>(*w.loop, plan, reporter, std::max<std::size_t>(1, window / n),
                                        WorkerSlice{i, n}, plan.rate / static_cast<double>(n));
    w.transport = make_transport(method, *w.loop, *w.engine, plan);
  }
  return workers;
}

// Runs every worker on its own thread; this thread's loop watches signals and draws progress.
ScanTotals run_workers(std::vector<Worker>& workers, const Plan& plan, Reporter& reporter, bool quiet) {
  event::EventLoop supervisor;
  std::atomic<bool> interrupted{false};
  std::atomic<std::size_t> done{0};
  std::function<void()> interrupt_all = [&] {
    for (auto& w : workers) w.engine->interrupt();
  };
  supervisor.on_signal([&](int) {
    interrupted = true;
    interrupt_all();
  });
  auto packets = [&] {
    uint64_t sum = 0, retx = 0;
    for (auto& w : workers) sum += w.engine->packets_sent(), retx += w.engine->retransmissions();
    return std::pair{sum, retx};
  };
  Progress progress(quiet);
  std::function<void()> tick = [&] {
    progress.update(reporter.finished(), plan.probes(), packets().first);
    supervisor.add_timer(std::chrono::milliseconds(250), tick);
  };
  supervisor.add_timer(std::chrono::milliseconds(250), tick);
  const auto start = sys::MonoClock::now();
  // Task 0 (this thread) is the supervisor; each worker runs on a thread of its own.
  std::vector<std::function<void()>> tasks{[&] { supervisor.run(); }};
  for (auto& w : workers) {
    tasks.emplace_back([&, &w = w] {
      auto finished = [&] {
        if (++done == workers.size()) supervisor.stop();
      };
      try {
        w.engine->run(*w.transport);
      } catch (...) {
        finished();
        throw;
      }
      finished();
    });
  }
  event::run_on_threads(tasks, interrupt_all);
  progress.clear();
  const auto [sent, retx] = packets();
  return {sys::to_seconds(sys::MonoClock::now() - start), sent, retx, interrupted.load()};
}

// --pcap: every target × the scanned ports (probes, replies) and the ICMP errors quoting a probe.
capture::TrafficFilter own_traffic(const Plan& plan, Method method) {
  std::vector<capture::AddressRange> targets;
  for (const auto& r : plan.targets.ranges()) {
    if (r.count > 0) targets.push_back({r.at(0), r.at(r.count - 1)});
  }
  std::vector<uint16_t> ports = plan.ports;
  std::sort(ports.begin(), ports.end());
  const auto transport = method == Method::udp ? capture::Transport::udp : capture::Transport::tcp;
  return capture::TrafficFilter().scan(transport, targets, capture::port_runs(ports));
}

}  // namespace

int run(const Options& opts, cli::Runtime& rt) {
  const Plan plan = build_plan(opts, rt.global);
  Reporter reporter(rt.out, plan, scan::ServiceTable::load());
  const Method method = choose_method(plan, reporter);
  auto workers = make_workers(method, plan, reporter);
  // Every raw socket and capture is open: no capability is needed from here on (threads created
  // below inherit the emptied sets).
  sys::drop_privileges();
  rt.capture(own_traffic(plan, method));  // sockets open, nothing sent yet
  reporter.start(method);
  const ScanTotals totals = run_workers(workers, plan, reporter, rt.global.quiet);
  workers.clear();
  return reporter.finish(method, totals);
}

}  // namespace nt::portscan
