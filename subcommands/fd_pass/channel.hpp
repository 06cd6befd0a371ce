// The unix stream socket fd-pass talks over: connect to --socket, or listen on it for one peer.
#pragma once
#include <chrono>
#include <functional>
#include <string>
#include <utility>

#include "net/address.hpp"
#include "net/fd.hpp"

namespace nt::fd_pass {

class Channel {
 public:
  // Connects (blocking socket; `timeout` 0: forever). Throws UsageError (exit 2) when the path does not
  // exist or is not a socket, RuntimeError (exit 3) when nobody listens there.
  static Channel connect(const net::SocketAddress& addr, std::chrono::milliseconds timeout,
                         bool pass_credentials);
  // Listens on addr (a stale socket file is replaced, any other file refused), calls `listening` once
  // it can be connected to, and accepts one peer. The socket file is removed when the Channel goes.
  static Channel accept_one(const net::SocketAddress& addr, std::chrono::milliseconds timeout,
                            bool pass_credentials, const std::function<void()>& listening);

  Channel(Channel&& other) noexcept
      : listener_(std::move(other.listener_)),
        conn_(std::move(other.conn_)),
        unlink_path_(std::exchange(other.unlink_path_, {})) {}
  Channel& operator=(Channel&&) = delete;
  ~Channel();

  int fd() const noexcept { return conn_.get(); }

 private:
  Channel() = default;
  net::UniqueFd listener_;
  net::UniqueFd conn_;
  std::string unlink_path_;
};

}  // namespace nt::fd_pass
