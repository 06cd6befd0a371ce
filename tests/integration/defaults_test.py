"""Every server starts with no options at all (issue 18.1) — inside a namespace this test creates, so
the default ports on every address never clash with anything on the host — and server-side usage
errors a new user hits first (issues 18.2, 18.14)."""
import subprocess

from ntlib import NETTOOL, Netns, assert_usage_error, nettool, run_tests, split_hostport, start_server, test

SERVERS = [
    ("tcp-echo", "server"),
    ("udp-time", "server"),
    ("udp-time", "server", "--protocol", "daytime"),
    ("udp-time", "server", "--protocol", "time"),
    ("udp-time", "server", "--stratum", "2"),
]


@test
def every_server_runs_with_no_options():
    with Netns(["srv"]) as ns:
        for args in SERVERS:
            srv, rec = start_server(*args, netns=ns["srv"])
            with srv:
                assert rec["type"] == "listening", (args, rec)
                code, _, err = srv.finish()
                assert code == 0, (args, code, err)


@test
def an_empty_listen_value_is_a_usage_error():
    assert_usage_error(nettool("tcp-echo", "server", "--listen", ""), "--listen")
    assert_usage_error(nettool("udp-time", "server", "--listen", ""), "''")


@test
def a_host_given_to_the_server_points_at_listen():
    assert_usage_error(nettool("udp-time", "server", "127.0.0.1:10500"), "takes no host", "--listen")



@test
def servers_exit_when_their_output_goes_away():
    # `nettool SERVER --jsonl | head -1`: read the listening record, close the pipe; the server must
    # exit on its own without any client arriving (it used to wait for the next connection).
    for args in (("tcp-echo", "server"), ("udp-time", "server")):
        proc = subprocess.Popen([NETTOOL, *args, "--listen", "127.0.0.1:0", "--jsonl"], stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE)
        try:
            assert b'"listening"' in proc.stdout.readline()
            proc.stdout.close()
            code = proc.wait(timeout=10)  # a hang guard only: the exit is prompt
            err = proc.stderr.read().decode()
            assert code == 0 and err == "", (args, code, err)
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
            proc.stderr.close()


@test
def list_format_prints_one_useful_item():
    srv, rec = start_server("udp-time", "server", "--listen", "127.0.0.1:0")
    with srv:
        out = nettool("udp-time", rec["address"], "--format", "list", check=0).stdout.split()
        assert len(out) == 1 and abs(float(out[0])) < 1000, out  # the offset in ms
    for args in (("udp-time", "server"), ("tcp-echo", "server")):
        proc = subprocess.Popen([NETTOOL, *args, "--listen", "127.0.0.1:0", "--format", "list"],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        try:
            line = proc.stdout.readline().strip()
            assert split_hostport(line)[0] == "127.0.0.1", line  # the listening address
            if args[0] == "tcp-echo":
                out = nettool("tcp-echo", "client", line, "--count", 1, "--interval", 0, "--format", "list",
                              check=0).stdout.split()
                assert out == [line], out  # the peer
        finally:
            proc.terminate()
            proc.wait(timeout=10)
            proc.stdout.close()
            proc.stderr.close()


run_tests()
