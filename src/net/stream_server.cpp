#include "net/stream_server.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>

#include "event/output_watch.hpp"
#include "event/threads.hpp"
#include "net/server_loop.hpp"
#include "net/socket.hpp"
#include "net/unix_socket_file.hpp"

namespace nt::net {

namespace {
std::vector<UniqueFd> open_listeners(const SocketAddress& addr, const StreamServerConfig& cfg) {
  ListenOptions lo;
  lo.v6_only = cfg.v6_only;
  lo.reuse_port = addr.is_inet() && cfg.threads > 1;
  std::vector<UniqueFd> listeners;
  listeners.push_back(listen_on(addr, lo));
  // Unix sockets have no SO_REUSEPORT: their loops share the one listener.
  if (!addr.is_inet()) return listeners;
  SocketAddress bound = net::local_address(listeners[0].get());  // port 0 → the kernel's choice
  for (int i = 1; i < cfg.threads; ++i) listeners.push_back(listen_on(bound, lo));
  return listeners;
}
}  // namespace

StreamServer::StreamServer(const SocketAddress& addr, StreamServerConfig config,
                           const HandlerFactory& make_handler)
    : config_(std::move(config)) {
  config_.threads = std::max(config_.threads, 1);
  if (!config_.stream_factory) config_.stream_factory = plain_stream;
  listeners_ = open_listeners(addr, config_);
  if (addr.is_unix() && !addr.is_abstract()) unix_path_ = addr.host();
  start_loops(make_handler);
}

StreamServer::StreamServer(UniqueFd listener, StreamServerConfig config, const HandlerFactory& make_handler)
    : config_(std::move(config)) {
  config_.threads = std::max(config_.threads, 1);
  if (!config_.stream_factory) config_.stream_factory = plain_stream;
  set_nonblocking(listener.get());
  listeners_.push_back(std::move(listener));
  start_loops(make_handler);
}

void StreamServer::start_loops(const HandlerFactory& make_handler) {
  shared_ = std::make_unique<ServerShared>(config_);
  shared_->spare.reset(::open("/dev/null", O_RDONLY | O_CLOEXEC));
  bool shared_listener = listeners_.size() == 1 && config_.threads > 1;
  for (int i = 0; i < config_.threads; ++i) {
    auto index = static_cast<std::size_t>(i);
    handlers_.push_back(make_handler(index));
    int fd = listeners_[std::min(index, listeners_.size() - 1)].get();
    loops_.push_back(std::make_unique<ServerLoop>(*shared_, *handlers_.back(), fd, i == 0, shared_listener));
  }
}

// Removes the socket file of a unix listener however the server ends, so the next start does not
// meet a stale file.
StreamServer::~StreamServer() {
  loops_.clear();
  listeners_.clear();
  if (!unix_path_.empty()) (void)unlink_socket_file(unix_path_);
}

SocketAddress StreamServer::local_address() const {
  return net::local_address(listeners_[0].get());
}

event::EventLoop& StreamServer::loop(std::size_t index) {
  return loops_.at(index)->loop();
}

int StreamServer::run() {
  std::vector<event::EventLoop*> loops;
  for (auto& l : loops_) loops.push_back(&l->loop());
  // One loop ending ends them all (run_loops), so the first loop watching stdout is enough.
  if (shared_->config.stop_when_output_gone) (void)event::stop_when_output_gone(*loops.front());
  int signo = event::run_loops(loops);
  for (auto& l : loops_) l->shutdown_all();
  return signo;
}

void StreamServer::stop() noexcept {
  for (auto& l : loops_) l->loop().stop();
}

ServerTotals StreamServer::totals() const {
  ServerTotals sum;
  for (const auto& l : loops_) {
    const ServerTotals& t = l->totals();
    sum.connections += t.connections;
    sum.idle_timeouts += t.idle_timeouts;
    sum.bytes_in += t.bytes_in;
    sum.bytes_out += t.bytes_out;
  }
  sum.refused = shared_->refused.load();
  sum.peak_concurrent = shared_->peak.load();
  return sum;
}

}  // namespace nt::net
