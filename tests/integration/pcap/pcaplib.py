"""Helpers of the --pcap tests: privilege, the capture file read back with python3-dpkt, background
peers and unrelated traffic (which must never appear in a capture)."""
import os
import socket
import subprocess
import sys
import tempfile
import time

from ntlib import require_peer, skip, terminate


def _dpkt():
    try:
        import dpkt
    except ImportError:
        # Debian's python3-dpkt is pure Python in dist-packages; the interpreter meson found may be another.
        sys.path.append("/usr/lib/python3/dist-packages")
        try:
            import dpkt
        except ImportError:
            skip("python3-dpkt is not installed")
    return dpkt


def _require_capture_privilege():
    if os.geteuid() != 0:
        skip("--pcap needs CAP_NET_RAW: run as root")


def read_packets(path):
    """[(ip, transport)] of every packet in the file, through the Linux cooked header."""
    dpkt = _dpkt()
    with open(path, "rb") as f:
        reader = dpkt.pcap.Reader(f)
        assert reader.datalink() == dpkt.pcap.DLT_LINUX_SLL, reader.datalink()
        packets = []
        for _, buf in reader:
            frame = dpkt.sll.SLL(buf)
            packets.append(frame.data)
    return packets


class Workdir:
    def __enter__(self):
        self.dir = tempfile.TemporaryDirectory(prefix="nettool-pcap-")
        return self.dir.name

    def __exit__(self, *exc):
        self.dir.cleanup()


def _background(cmd):
    return subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def _stop(proc):
    terminate(proc)


def _socat_echo():
    require_peer("socat")
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    proc = _background(["socat", f"TCP-LISTEN:{port},bind=127.0.0.1,reuseaddr,fork", "EXEC:cat"])
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return proc, port
        except OSError:
            time.sleep(0.05)
    _stop(proc)
    raise AssertionError("socat echo server did not start")


def _unrelated_tcp(port, stop):
    """Connections to another echo server while nettool runs: none may appear in the file."""
    while not stop.is_set():
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1) as s:
                s.sendall(b"unrelated\n")
                s.recv(64)
        except OSError:
            pass
        time.sleep(0.05)
