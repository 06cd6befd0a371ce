"""chat-client: bad input exits 2 with one stderr line naming it; a server that cannot be reached exits 3."""
from client_util import free_port
from ntlib import assert_usage_error, jsonl, nettool, of_type, run_tests, test


@test
def bad_input_exits_2_with_one_line():
    cases = [
        (("1.2.3:4", "-n", "al"), "1.2.3:4"),
        (("127.0.0.1:", "-n", "al"), "127.0.0.1:"),
        (("127.0.0.1:99999", "-n", "al"), "99999"),
        (("[::1", "-n", "al"), "[::1"),
        (("127.0.0.1:4", "-n", "a\x1bb"), "invalid --name 'a\\x1bb'"),
        (("127.0.0.1:4", "-n", "x" * 33), "--name"),
        (("127.0.0.1:4", "-n", "   "), "--name"),
        (("127.0.0.1:4", "-n", "al", "--timeout", "nan"), "--timeout"),
        (("127.0.0.1:4", "-n", "al", "--timeout", "0"), "--timeout"),
        (("127.0.0.1:4", "-n", "al", "--wait-for", "type"), "invalid --wait-for 'type'"),
        (("127.0.0.1:4", "-n", "al", "--wait-for", ""), "--wait-for"),
        (("127.0.0.1:4", "-n", "al", "--reconnect-attempts", "3"), "needs --reconnect"),
        (("127.0.0.1:4", "-n", "al", "--exit", "--stay"), "--exit and --stay"),
        (("127.0.0.1:4", "-n", "al", "--send", "x" * 4000), "--send"),
        (("127.0.0.1:4", "-n", "al", "--insecure"), "--insecure"),
        (("127.0.0.1:4", "-n", "al", "--bogus"), "--bogus"),
        (("-n", "al"), "target"),
    ]
    for args, needle in cases:
        proc = nettool("chat-client", *args, input="")
        try:
            assert_usage_error(proc, needle)
        except AssertionError as e:
            raise AssertionError(f"chat-client {args!r}: {e}") from None


@test
def name_defaults_to_user_and_is_required_without_it():
    proc = nettool("chat-client", "127.0.0.1:4", input="", env={"USER": ""})
    assert_usage_error(proc, "--name is required")


@test
def unreachable_server_exits_3_with_one_line():
    port = free_port()
    proc = nettool("chat-client", f"127.0.0.1:{port}", "-n", "al", input="")
    assert proc.returncode == 3, (proc.returncode, proc.stderr)
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and "refused" in lines[0], lines
    # --reconnect keeps trying, up to --reconnect-attempts failures in a row.
    proc = nettool("chat-client", f"127.0.0.1:{port}", "-n", "al", "--reconnect", "--reconnect-attempts", "2",
                   "--jsonl", input="")
    assert proc.returncode == 3, (proc.returncode, proc.stderr)
    assert "giving up after 2 attempts" in proc.stderr, proc.stderr
    records = jsonl(proc.stdout)
    assert len(of_type(records, "reconnecting")) == 1 and records[-1]["type"] == "error", records
    assert records[-1]["exit_code"] == 3


run_tests()
