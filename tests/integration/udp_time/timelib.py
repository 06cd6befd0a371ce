"""Helpers for the udp-time integration tests: raw SNTP/daytime/time clients in python3, a chronyd
run as a local-stratum server on loopback, and a fake SNTP server for spoofing/KoD tests."""
import contextlib
import os
import socket
import struct
import subprocess
import tempfile
import threading
import time

from ntlib import terminate

NTP_UNIX_OFFSET = 2208988800


def free_udp_port(host="127.0.0.1"):
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.bind((host, 0))
        return s.getsockname()[1]


def sntp_request(version=4, mode=3, xmit=None):
    xmit = xmit if xmit is not None else os.urandom(8)
    pkt = bytearray(48)
    pkt[0] = (version << 3) | mode
    pkt[2] = 6
    pkt[40:48] = xmit
    return bytes(pkt)


def parse_sntp(data):
    first = data[0]
    return {
        "leap": first >> 6, "version": (first >> 3) & 7, "mode": first & 7, "stratum": data[1],
        "poll": data[2], "refid": data[12:16], "origin": data[24:32], "receive": data[32:40],
        "transmit": data[40:48], "size": len(data),
    }


def ntp_to_unix(raw8):
    secs, frac = struct.unpack("!II", raw8)
    # Era nearest to now (2036 and later are era 1).
    now_ntp = int(time.time()) + NTP_UNIX_OFFSET
    full = now_ntp + ((secs - now_ntp + 2**31) % 2**32) - 2**31
    return full - NTP_UNIX_OFFSET + frac / 2**32


def exchange(port, payload, host="127.0.0.1", timeout=1.0, bind=None):
    """Sends one datagram, returns the first reply (bytes) or None on timeout."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        if bind:
            s.bind((bind, 0))
        s.settimeout(timeout)
        s.sendto(payload, (host, port))
        try:
            return s.recv(4096)
        except socket.timeout:
            return None


def replies_to(port, payloads, host="127.0.0.1", wait=0.5, bind=None):
    """Sends every payload from one socket; returns all replies that arrive within `wait`."""
    got = []
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        if bind:
            s.bind((bind, 0))
        for p in payloads:
            s.sendto(p, (host, port))
        deadline = time.monotonic() + wait
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                return got
            s.settimeout(left)
            try:
                got.append(s.recv(4096))
            except socket.timeout:
                return got


@contextlib.contextmanager
def chronyd(port, stratum=8, extra=""):
    """chronyd as a loopback local-stratum server on `port`; never touches the clock (-x)."""
    with tempfile.TemporaryDirectory(prefix="nt-chrony-") as d:
        os.chmod(d, 0o777)  # chronyd drops to its own user after start
        conf = os.path.join(d, "chrony.conf")
        with open(conf, "w") as f:
            f.write(f"port {port}\nlocal stratum {stratum}\nallow 127.0.0.1\nbindaddress 127.0.0.1\n"
                    f"cmdport 0\npidfile {d}/chronyd.pid\ndriftfile {d}/drift\n{extra}\n")
        proc = subprocess.Popen(["chronyd", "-x", "-d", "-f", conf], stdout=subprocess.DEVNULL,
                                stderr=subprocess.PIPE)
        try:
            deadline = time.monotonic() + 10
            while time.monotonic() < deadline:
                assert proc.poll() is None, f"chronyd exited: {proc.stderr.read().decode()}"
                if exchange(port, sntp_request(), timeout=0.2):
                    break
            else:
                raise TimeoutError("chronyd did not answer")
            yield proc
        finally:
            terminate(proc)
            proc.stderr.close()


class FakeSntpServer:
    """Answers each SNTP request with the packets `respond(request) -> [bytes]` returns."""

    def __init__(self, respond):
        self.respond = respond
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.settimeout(0.1)
        self.port = self.sock.getsockname()[1]
        self.requests = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self):
        while not self._stop.is_set():
            try:
                data, peer = self.sock.recvfrom(2048)
            except socket.timeout:
                continue
            self.requests += 1
            for reply in self.respond(data):
                self.sock.sendto(reply, peer)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join(timeout=5)
        self.sock.close()


def server_reply(request, origin=None, stratum=3, leap=0, mode=4, refid=b"\x7f\x00\x00\x01", offset_s=0.0):
    """A reply a server would send to `request` (origin defaults to its transmit timestamp)."""
    now = time.time() + offset_s + NTP_UNIX_OFFSET
    ts = struct.pack("!II", int(now) % 2**32, int((now % 1) * 2**32))
    pkt = bytearray(48)
    pkt[0] = (leap << 6) | (((request[0] >> 3) & 7) << 3) | mode
    pkt[1] = stratum
    pkt[2] = 6
    pkt[3] = 0xec
    pkt[12:16] = refid
    pkt[16:24] = ts
    pkt[24:32] = request[40:48] if origin is None else origin
    pkt[32:40] = ts
    pkt[40:48] = ts
    return bytes(pkt)
