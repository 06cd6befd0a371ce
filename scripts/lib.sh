# Shared by scripts/run and scripts/test: install what is missing (Debian 12, as root), configure, build.
# Build output goes to stderr so stdout carries only nettool's records.

NETTOOL_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

BUILD_PACKAGES=(meson ninja-build g++ pkg-config libcli11-dev libfmt-dev nlohmann-json3-dev doctest-dev
  libpcap-dev libssl-dev scdoc libedit-dev)
# Peers the tests run against, and the tools the tests use to build networks.
TEST_PACKAGES=(python3 socat netcat-openbsd ncat nmap chrony jq nftables iproute2 fping iperf3 iperf iputils-ping
  sntp ntpsec-ntpdate util-linux procps zsh fish openssl ca-certificates tmux
  systemd bc hyperfine busybox python3-jsonschema python3-dpkt tcpdump)
# systemd: systemd-socket-activate (sockopt, fd-pass pass a listening socket); bc: the fd-pass benchmark;
# hyperfine and busybox: tests/bench/startup.sh; python3-jsonschema: every record against schemas/;
# python3-dpkt: the --pcap tests read the files; tcpdump: the --pcap benchmark's peer
# tests/package (run by scripts/test unless NETTOOL_SKIP_PACKAGE=1): builds, lints, installs the .deb; setcap
PACKAGE_TEST_PACKAGES=(dpkg-dev debhelper lintian libcap2-bin ccache)

missing_packages() {
  local p
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' || echo "$p"
  done
}

ensure_packages() {
  local missing
  missing=$(missing_packages "$@")
  [[ -z $missing ]] && return 0
  if [[ $(id -u) -ne 0 ]]; then
    echo "nettool: missing packages (run as root to install them): $missing" >&2
    return 1
  fi
  echo "installing: $missing" >&2
  # Package scripts must not start services (chronyd would start steering the clock): policy-rc.d says no.
  local policy=/usr/sbin/policy-rc.d made_policy=0
  if [[ ! -e $policy ]]; then
    printf '#!/bin/sh\nexit 101\n' >"$policy" && chmod +x "$policy" && made_policy=1
  fi
  export DEBIAN_FRONTEND=noninteractive
  { apt-get update -qq && apt-get install -y -qq --no-install-recommends $missing; } >&2
  local rc=$?
  [[ $made_policy -eq 1 ]] && rm -f "$policy"
  return $rc
}

# build DIR [meson options…]: configure once, then build incrementally.
build_nettool() {
  local dir=$1
  shift
  cd "$NETTOOL_ROOT" || return 1
  if [[ ! -f $dir/build.ninja ]]; then
    meson setup "$dir" "$@" >&2 || return 1
  elif [[ $# -gt 0 ]]; then
    # A directory configured earlier (by scripts/run, without -Dwerror=true) gets this call's options.
    meson setup --reconfigure "$dir" "$@" >&2 || return 1
  fi
  # NETTOOL_BUILD_TARGETS: scripts/run builds the binary alone, not the unit tests.
  # shellcheck disable=SC2086
  ninja -C "$dir" ${NETTOOL_BUILD_TARGETS:-} >&2
}
