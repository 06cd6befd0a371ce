#include "event/threads.hpp"

#include <exception>
#include <mutex>
#include <thread>
#include <vector>

namespace nt::event {

void run_on_threads(std::span<const std::function<void()>> tasks, const std::function<void()>& stop_all) {
  std::exception_ptr failure;
  std::mutex failure_mu;
  auto guarded = [&](const std::function<void()>& task) {
    try {
      task();
    } catch (...) {
      {
        std::lock_guard lock(failure_mu);
        if (!failure) failure = std::current_exception();
      }
      stop_all();
    }
  };
  std::vector<std::thread> threads;
  threads.reserve(tasks.size());
  for (std::size_t i = 1; i < tasks.size(); ++i) threads.emplace_back(guarded, std::cref(tasks[i]));
  if (!tasks.empty()) guarded(tasks[0]);
  for (auto& t : threads) t.join();
  if (failure) std::rethrow_exception(failure);
}

int run_loops(std::span<EventLoop* const> loops) {
  if (loops.empty()) return 0;
  int signo = 0;
  // EventLoop::stop() sets a flag run() checks first, so a loop told to stop before its thread
  // entered run() still returns at once.
  auto stop_all = [loops] {
    for (EventLoop* l : loops) l->stop();
  };
  loops[0]->on_signal([&](int s) {
    signo = s;
    stop_all();
  });
  std::vector<std::function<void()>> tasks;
  for (EventLoop* l : loops) {
    tasks.emplace_back([l, &stop_all] {
      l->run();
      stop_all();  // one loop ending (stop(), or nothing left to wait for) ends the group
    });
  }
  run_on_threads(tasks, stop_all);
  return signo;
}

}  // namespace nt::event
