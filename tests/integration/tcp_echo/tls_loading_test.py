"""OpenSSL is loaded on first use (x86-64, src/tls/openssl_loader.hpp): commands without TLS never map
libssl (the start-up budget of issue 17), a TLS command loads it and works, and a machine without
libssl gets one line and exit 3, not a crash."""
import os
import platform
import subprocess
import tempfile

from echo_util import echo_server
from ntlib import NETTOOL, have, nettool, run_tests, skip, test
from tls_util import Pki

PKI = Pki()


def lazy_build():
    if platform.machine() != "x86_64":
        skip("OpenSSL is linked, not loaded on first use, on this architecture")


def loaded_libraries(proc):
    """The shared objects the dynamic loader opened, from LD_DEBUG=files on stderr."""
    return [line.strip() for line in proc.stderr.splitlines() if "file=" in line]


def mentions_openssl(lines):
    return any("libssl" in line or "libcrypto" in line for line in lines)


@test
def commands_without_tls_never_load_openssl():
    lazy_build()
    for args in (["--version"], ["ping", "-c", "1", "-q", "127.0.0.1"], ["tcp-echo", "--help"]):
        proc = nettool(*args, env={"LD_DEBUG": "files"}, check=0)
        assert not mentions_openssl(loaded_libraries(proc)), f"{args}: {loaded_libraries(proc)}"


@test
def a_tls_client_loads_openssl_and_echoes():
    lazy_build()
    with echo_server("--tls", "--cert", PKI.cert("server"), "--key", PKI.key("server")) as (_, host, port):
        proc = nettool("tcp-echo", "client", f"{host}:{port}", "--tls", "--ca", PKI.cert("ca"), "--count", "3",
                       "--interval", "0.01", "--jsonl", env={"LD_DEBUG": "files"}, check=0)
        assert mentions_openssl(loaded_libraries(proc)), proc.stderr[-2000:]
        assert '"type":"summary"' in proc.stdout, proc.stdout


def real_path_of_libssl():
    out = subprocess.run(["ldconfig", "-p"], capture_output=True, text=True, check=True).stdout
    for line in out.splitlines():
        if line.strip().startswith("libssl.so.3 ") and "x86-64" in line:
            return os.path.realpath(line.split("=>")[1].strip())
    skip("ldconfig does not list libssl.so.3")


@test
def without_libssl_a_tls_command_says_so_and_exits_3():
    lazy_build()
    if os.geteuid() != 0 or not have("unshare"):
        skip("needs root and unshare(1) for a private mount namespace")
    with tempfile.NamedTemporaryFile(prefix="nettool-no-libssl-") as empty:
        # Only this mount namespace sees the empty file over libssl; it goes away with the process.
        script = 'mount --bind "$1" "$2" && shift 2 && exec "$@"'
        cmd = ["unshare", "--mount", "--propagation", "private", "sh", "-c", script, "sh", empty.name,
               real_path_of_libssl(), NETTOOL, "tcp-echo", "server", "--listen", "127.0.0.1:0", "--tls",
               "--cert", PKI.cert("server"), "--key", PKI.key("server")]
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=30)
    assert proc.returncode == 3, f"exit {proc.returncode}; stderr={proc.stderr!r}"
    lines = [ln for ln in proc.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1 and "cannot load OpenSSL (install libssl3)" in lines[0], lines
    assert "libssl.so.3" in lines[0], lines


if __name__ == "__main__":
    run_tests()
