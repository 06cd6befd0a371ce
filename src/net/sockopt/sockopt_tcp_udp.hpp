// IPPROTO_TCP (netinet/tcp.h) and IPPROTO_UDP (netinet/udp.h) options, for the table in net/sockopt.hpp.
#pragma once
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <netinet/udp.h>

#include <array>

#include "net/sockopt/option.hpp"

namespace nt::net::sockopt_table {

inline constexpr EnumName kRepairModes[] = {{0, "off"}, {1, "on"}, {-1, "off_no_window_probes"}};
inline constexpr EnumName kRepairQueues[] = {{0, "no_queue"}, {1, "recv_queue"}, {2, "send_queue"}};
inline constexpr EnumName kUdpEncaps[] = {{0, "none"},
                                          {UDP_ENCAP_ESPINUDP_NON_IKE, "espinudp_non_ike"},
                                          {UDP_ENCAP_ESPINUDP, "espinudp"},
                                          {UDP_ENCAP_L2TPINUDP, "l2tpinudp"},
                                          {UDP_ENCAP_GTP0, "gtp0"},
                                          {UDP_ENCAP_GTP1U, "gtp1u"},
                                          {6, "rxrpc"}};

#define NT_TCP(opt, type, unit, access, ...)                                                  \
  SocketOption {                                                                              \
#opt, IPPROTO_TCP, opt, OptionType::type, Unit::unit, kInet, kStream, access, __VA_ARGS__ \
  }
#define NT_UDP(opt, type, unit, access, ...)                                                 \
  SocketOption {                                                                             \
#opt, IPPROTO_UDP, opt, OptionType::type, Unit::unit, kInet, kDgram, access, __VA_ARGS__ \
  }

inline constexpr auto kTcpUdp = std::to_array<SocketOption>({
    NT_TCP(TCP_NODELAY, boolean, none, kReadWrite),
    NT_TCP(TCP_MAXSEG, integer, bytes, kReadWrite),
    NT_TCP(TCP_CORK, boolean, none, kReadWrite),
    NT_TCP(TCP_KEEPIDLE, integer, seconds, kReadWrite),
    NT_TCP(TCP_KEEPINTVL, integer, seconds, kReadWrite),
    NT_TCP(TCP_KEEPCNT, integer, count, kReadWrite),
    NT_TCP(TCP_SYNCNT, integer, count, kReadWrite),
    NT_TCP(TCP_LINGER2, integer, seconds, kReadWrite),
    NT_TCP(TCP_DEFER_ACCEPT, integer, seconds, kReadWrite),
    NT_TCP(TCP_WINDOW_CLAMP, integer, bytes, kReadWrite),
    NT_TCP(TCP_INFO, tcp_info, none, kRead),
    NT_TCP(TCP_QUICKACK, boolean, none, kReadWrite),
    NT_TCP(TCP_CONGESTION, string, none, kReadWrite),
    NT_TCP(TCP_MD5SIG, structure, none, kWrite),
    NT_TCP(TCP_COOKIE_TRANSACTIONS, structure, none, kWrite),  // removed from Linux 3.10: EINVAL/ENOPROTOOPT
    NT_TCP(TCP_THIN_LINEAR_TIMEOUTS, boolean, none, kReadWrite),
    NT_TCP(TCP_THIN_DUPACK, boolean, none, kReadWrite),
    NT_TCP(TCP_USER_TIMEOUT, integer, milliseconds, kReadWrite),
    NT_TCP(TCP_REPAIR, integer, none, kReadWrite, kRepairModes),
    NT_TCP(TCP_REPAIR_QUEUE, integer, none, kReadWrite, kRepairQueues),
    NT_TCP(TCP_QUEUE_SEQ, u32, none, kReadWrite),
    NT_TCP(TCP_REPAIR_OPTIONS, structure, none, kWrite),
    NT_TCP(TCP_FASTOPEN, integer, count, kReadWrite),  // listen queue length for TFO requests
    NT_TCP(TCP_TIMESTAMP, u32, none, kReadWrite),
    NT_TCP(TCP_NOTSENT_LOWAT, integer, bytes, kReadWrite),
    NT_TCP(TCP_CC_INFO, structure, none, kRead),  // union tcp_cc_info
    NT_TCP(TCP_SAVE_SYN, boolean, none, kReadWrite),
    NT_TCP(TCP_SAVED_SYN, structure, none, kRead),  // the SYN headers, as hex
    NT_TCP(TCP_REPAIR_WINDOW, structure, none, kReadWrite),
    NT_TCP(TCP_FASTOPEN_CONNECT, boolean, none, kReadWrite),
    NT_TCP(TCP_ULP, string, none, kReadWrite),
    NT_TCP(TCP_MD5SIG_EXT, structure, none, kWrite),
    NT_TCP(TCP_FASTOPEN_KEY, structure, none, kReadWrite),
    NT_TCP(TCP_FASTOPEN_NO_COOKIE, boolean, none, kReadWrite),
    NT_TCP(TCP_ZEROCOPY_RECEIVE, structure, none, kRead),
    NT_TCP(TCP_INQ, boolean, none, kReadWrite),  // == TCP_CM_INQ
    NT_TCP(TCP_TX_DELAY, integer, microseconds, kReadWrite),
    NT_UDP(UDP_CORK, boolean, none, kReadWrite),
    NT_UDP(UDP_ENCAP, integer, none, kReadWrite, kUdpEncaps),
    NT_UDP(UDP_NO_CHECK6_TX, boolean, none, kReadWrite),
    NT_UDP(UDP_NO_CHECK6_RX, boolean, none, kReadWrite),
    NT_UDP(UDP_SEGMENT, integer, bytes, kReadWrite),
    NT_UDP(UDP_GRO, boolean, none, kReadWrite),
});

#undef NT_TCP
#undef NT_UDP

}  // namespace nt::net::sockopt_table
