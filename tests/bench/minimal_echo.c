/* The baseline for tests/bench/tcp-echo.sh: the smallest reasonable epoll echo server. One thread,
 * level-triggered, accept4 non-blocking, read -> write into the same buffer; a short write keeps the
 * rest and waits for EPOLLOUT (not reading meanwhile). No limits, no timers, no records.
 *   minimal_echo PORT        (listens on 127.0.0.1:PORT until killed) */
#define _GNU_SOURCE
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#define BUF 65536
#define MAXFD 65536

struct pending {
  char *data;
  size_t off, len;
};
static struct pending pend[MAXFD];
static char buf[BUF];

static void drop(int ep, int fd) {
  epoll_ctl(ep, EPOLL_CTL_DEL, fd, NULL);
  free(pend[fd].data);
  memset(&pend[fd], 0, sizeof pend[fd]);
  close(fd);
}

static void set_events(int ep, int fd, unsigned events) {
  struct epoll_event ev = {.events = events, .data.fd = fd};
  epoll_ctl(ep, EPOLL_CTL_MOD, fd, &ev);
}

static void on_readable(int ep, int fd) {
  ssize_t n = read(fd, buf, BUF);
  if (n == 0 || (n < 0 && errno != EAGAIN)) return drop(ep, fd);
  if (n < 0) return;
  ssize_t w = write(fd, buf, (size_t)n);
  if (w < 0 && errno != EAGAIN) return drop(ep, fd);
  if (w < 0) w = 0;
  if (w == n) return;
  pend[fd].data = malloc((size_t)(n - w));
  memcpy(pend[fd].data, buf + w, (size_t)(n - w));
  pend[fd].off = 0;
  pend[fd].len = (size_t)(n - w);
  set_events(ep, fd, EPOLLOUT);
}

static void on_writable(int ep, int fd) {
  struct pending *p = &pend[fd];
  ssize_t w = write(fd, p->data + p->off, p->len - p->off);
  if (w < 0 && errno != EAGAIN) return drop(ep, fd);
  if (w > 0) p->off += (size_t)w;
  if (p->off < p->len) return;
  free(p->data);
  memset(p, 0, sizeof *p);
  set_events(ep, fd, EPOLLIN);
}

int main(int argc, char **argv) {
  if (argc != 2) return fprintf(stderr, "usage: minimal_echo PORT\n"), 2;
  int lfd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  int one = 1;
  setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((unsigned short)atoi(argv[1])),
                          .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
  if (bind(lfd, (struct sockaddr *)&a, sizeof a) != 0 || listen(lfd, 4096) != 0) return perror("listen"), 3;
  int ep = epoll_create1(EPOLL_CLOEXEC);
  struct epoll_event ev = {.events = EPOLLIN, .data.fd = lfd};
  epoll_ctl(ep, EPOLL_CTL_ADD, lfd, &ev);
  struct epoll_event events[256];
  for (;;) {
    int n = epoll_wait(ep, events, 256, -1);
    for (int i = 0; i < n; ++i) {
      int fd = events[i].data.fd;
      if (fd == lfd) {
        int c;
        while ((c = accept4(lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC)) >= 0) {
          if (c >= MAXFD) { close(c); continue; }
          setsockopt(c, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
          struct epoll_event cev = {.events = EPOLLIN, .data.fd = c};
          epoll_ctl(ep, EPOLL_CTL_ADD, c, &cev);
        }
      } else if (pend[fd].data) {
        on_writable(ep, fd);
      } else {
        on_readable(ep, fd);
      }
    }
  }
}
