#include "tls/socket_bio.hpp"

#include <sys/socket.h>

#include <cerrno>

namespace nt::tls {
namespace {

int fd_of(BIO* bio) {
  return static_cast<int>(reinterpret_cast<intptr_t>(BIO_get_data(bio)));
}

bool would_block(int err) {
  return err == EAGAIN || err == EWOULDBLOCK || err == EINTR;
}

int write_ex(BIO* bio, const char* data, std::size_t len, std::size_t* written) {
  BIO_clear_retry_flags(bio);
  const ssize_t n = ::send(fd_of(bio), data, len, MSG_DONTWAIT | MSG_NOSIGNAL);
  if (n >= 0) {
    *written = static_cast<std::size_t>(n);
    return 1;
  }
  if (would_block(errno)) BIO_set_retry_write(bio);
  return 0;
}

int read_ex(BIO* bio, char* data, std::size_t len, std::size_t* read) {
  BIO_clear_retry_flags(bio);
  const ssize_t n = ::recv(fd_of(bio), data, len, MSG_DONTWAIT);
  if (n > 0) {
    *read = static_cast<std::size_t>(n);
    return 1;
  }
  if (n < 0 && would_block(errno)) BIO_set_retry_read(bio);
  if (n == 0) errno = 0;  // end of stream: OpenSSL tells it from an error by errno == 0
  return 0;
}

long ctrl(BIO* bio, int cmd, long, void* ptr) {
  switch (cmd) {
    case BIO_CTRL_FLUSH:
      return 1;  // nothing is buffered here
    case BIO_C_GET_FD:
      if (ptr) *static_cast<int*>(ptr) = fd_of(bio);
      return fd_of(bio);
    default:
      return 0;
  }
}

const BIO_METHOD* method() {
  static BIO_METHOD* const meth = [] {
    BIO_METHOD* m =
        BIO_meth_new(BIO_get_new_index() | BIO_TYPE_SOURCE_SINK | BIO_TYPE_DESCRIPTOR, "nettool socket");
    if (m) {
      BIO_meth_set_write_ex(m, write_ex);
      BIO_meth_set_read_ex(m, read_ex);
      BIO_meth_set_ctrl(m, ctrl);
      BIO_meth_set_create(m, [](BIO* bio) {
        BIO_set_init(bio, 1);
        return 1;
      });
    }
    return m;
  }();
  return meth;
}

}  // namespace

BIO* new_socket_bio(int fd) noexcept {
  const BIO_METHOD* meth = method();
  BIO* bio = meth ? BIO_new(meth) : nullptr;
  if (bio) BIO_set_data(bio, reinterpret_cast<void*>(static_cast<intptr_t>(fd)));
  return bio;
}

}  // namespace nt::tls
