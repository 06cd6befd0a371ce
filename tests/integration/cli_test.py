"""The binary as a user meets it: help, version, typos, links, global options, exit codes."""
import os
import subprocess
import tempfile

from ntlib import NETTOOL, SOURCE_ROOT, assert_usage_error, jq_ok, nettool, run_tests, test

COMMANDS = ["chat-client", "chat-server", "fd-pass", "multicast", "ping", "portscan", "schema", "sockopt",
            "tcp-echo", "udp-time"]


@test
def help_lists_every_command_and_global_option():
    for args in ([], ["--help"]):
        p = nettool(*args, check=0)
        for name in COMMANDS + ["--format", "--json", "--jsonl", "--quiet", "--verbose", "--color", "-4", "-6"]:
            assert name in p.stdout, f"{name} missing from help"
        assert p.stderr == ""


@test
def help_cmd_is_cmd_help():
    for name in COMMANDS:
        a = nettool("help", name, check=0)
        b = nettool(name, "--help", check=0)
        assert a.stdout == b.stdout and a.stdout


@test
def version_comes_from_meson():
    build = open(os.path.join(SOURCE_ROOT, "meson.build")).read()
    version = build.split("version : '")[1].split("'")[0]
    assert nettool("--version", check=0).stdout.strip() == f"nettool {version}"


@test
def unknown_command_suggests_closest():
    p = nettool("pnig", "127.0.0.1")
    assert_usage_error(p, "unknown command 'pnig'", "did you mean 'ping'")


@test
def unknown_option_suggests_closest_in_every_command():
    for name in COMMANDS:
        sub = {"tcp-echo": ["tcp-echo", "client"], "udp-time": ["udp-time"],
               "multicast": ["multicast", "recv"]}.get(name, [name])
        p = nettool(*sub, "--verbsoe", "127.0.0.1")
        assert_usage_error(p, "--verbsoe", "did you mean '--verbose'")


@test
def misspelt_or_missing_subcommand_is_named():
    assert_usage_error(nettool("tcp-echo", "clinet", "127.0.0.1:7"), "'clinet'", "did you mean 'client'")
    assert_usage_error(nettool("tcp-echo"), "missing subcommand", "server", "client")
    assert_usage_error(nettool("tcp-echo", "client", "--bogus"), "unknown option '--bogus'")


@test
def bad_global_options_are_usage_errors():
    assert_usage_error(nettool("ping", "--format", "yaml", "127.0.0.1"), "--format", "yaml")
    assert_usage_error(nettool("ping", "--color", "sometimes", "127.0.0.1"), "--color")
    assert_usage_error(nettool("ping", "-4", "-6", "127.0.0.1"), "-4")
    assert_usage_error(nettool("ping", "--json", "--jsonl", "127.0.0.1"), "--json")


@test
def links_dispatch_by_argv0():
    with tempfile.TemporaryDirectory() as d:
        p = nettool("--install-links", d, check=0)
        assert f"created {len(COMMANDS)} links" in p.stdout
        for name in COMMANDS:
            link = os.path.join(d, f"nettool-{name}")
            assert os.path.islink(link)
            direct = subprocess.run([link, "--help"], capture_output=True, text=True, timeout=10)
            assert direct.returncode == 0
            assert direct.stdout == nettool(name, "--help", check=0).stdout
        bare = os.path.join(d, "tcp-echo")
        os.symlink(NETTOOL, bare)
        assert subprocess.run([bare, "--help"], capture_output=True, text=True).stdout == \
            nettool("tcp-echo", "--help").stdout


@test
def runtime_error_in_json_mode_is_one_document_with_error_record():
    # Port 1 on loopback: nothing listens there in a test environment, so connect is refused.
    p = nettool("tcp-echo", "client", "127.0.0.1:1", "--count", "1", "--json", input="")
    assert p.returncode == 3, p
    assert len(p.stderr.strip().splitlines()) == 1 and p.stderr.startswith("nettool tcp-echo")
    out = jq_ok(p.stdout, '.records[-1] | [.type, .exit_code] | @csv')
    assert out.strip() == '"\\"error\\",3"', out


@test
def usage_error_in_json_modes_is_still_valid_output():
    # CLI11 rejects these before any sink exists; stdout must still parse for `| jq`.
    p = nettool("--json", "ping", "-c", "x", "127.0.0.1", check=2)
    assert p.returncode == 2 and len(p.stderr.strip().splitlines()) == 1, p
    assert jq_ok(p.stdout, '.records[-1] | [.type, .exit_code] | @csv').strip() == '"\\"error\\",2"', p.stdout
    p = nettool("ping", "--jsonl", "--cuont", "3", "127.0.0.1", check=2)
    assert p.returncode == 2, p
    assert jq_ok(p.stdout, '.message').strip() == '"unknown option \'--cuont\' (did you mean \'--count\'?)"', p.stdout
    p = nettool("ping", "-c", "x", "127.0.0.1", check=2)  # text: stderr only
    assert p.returncode == 2 and p.stdout == "", p


@test
def completions_are_valid_shell_and_in_sync():
    for shell, path in (("bash", "nettool.bash"), ("zsh", "_nettool"), ("fish", "nettool.fish")):
        generated = nettool("--generate-completion", shell, check=0).stdout
        committed = open(os.path.join(SOURCE_ROOT, "completions", path)).read()
        assert generated == committed, f"completions/{path} is stale: run scripts/regen-completions"
    script = os.path.join(SOURCE_ROOT, "completions", "nettool.bash")
    subprocess.run(["bash", "-n", script], check=True)
    probe = f'source {script}; COMP_WORDS=(nettool tcp-echo se); COMP_CWORD=2; _nettool; echo "${{COMPREPLY[@]}}"'
    out = subprocess.run(["bash", "-c", probe], capture_output=True, text=True, check=True).stdout
    assert "server" in out, out
    subprocess.run(["zsh", "-n", os.path.join(SOURCE_ROOT, "completions", "_nettool")], check=True)
    fish = os.path.join(SOURCE_ROOT, "completions", "nettool.fish")
    subprocess.run(["fish", "-n", fish], check=True)
    out = subprocess.run(["fish", "-c", f"source {fish}; complete -C 'nettool tcp-echo server --li'"],
                         capture_output=True, text=True, check=True).stdout
    assert "--listen" in out, out


@test
def usage_lines_name_the_whole_command():
    for words, usage in ((["tcp-echo", "server"], "nettool tcp-echo server [OPTIONS]"),
                         (["udp-time", "server"], "nettool udp-time server [OPTIONS]"),
                         (["ping"], "nettool ping [OPTIONS]")):
        out = nettool(*words, "--help", check=0).stdout
        assert f"Usage: {usage}" in out, out[:200]


@test
def help_for_an_unknown_command_is_a_usage_error():
    assert_usage_error(nettool("help", "pnig"), "unknown command 'pnig'", "did you mean 'ping'")
    assert_usage_error(nettool("bogus", "--help"), "unknown command 'bogus'")


@test
def a_positional_close_to_a_subcommand_is_not_resolved_as_a_host():
    # "serve" would be a DNS query for a host named serve; it is the misspelt subcommand.
    assert_usage_error(nettool("udp-time", "serve", timeout=5), "'serve'", "did you mean 'server'")
    assert_usage_error(nettool("tcp-echo", "clent", timeout=5), "did you mean 'client'")


@test
def install_links_refuses_to_replace_a_file_and_an_empty_dir():
    assert_usage_error(nettool("--install-links", ""), "--install-links")
    with tempfile.TemporaryDirectory() as d:
        precious = os.path.join(d, "nettool-ping")
        with open(precious, "w") as f:
            f.write("keep me")
        assert_usage_error(nettool("--install-links", d), precious, "--force")
        assert open(precious).read() == "keep me" and not os.path.exists(os.path.join(d, "nettool-portscan"))
        nettool("--install-links", d, "--force", check=0)
        assert os.path.islink(precious)
        nettool("--install-links", d, check=0)  # our own links are replaced quietly


@test
def terminal_escapes_in_arguments_are_shown_escaped():
    p = nettool("portscan", "a\x1b[2Jb", "-p", "1", timeout=10)
    assert p.returncode == 2, p
    assert "\x1b" not in p.stderr and "\\x1b[2Jb" in p.stderr, repr(p.stderr)
    with tempfile.NamedTemporaryFile("w", suffix=".txt") as hosts:
        hosts.write("\x1b]0;pwned\x07\n")
        hosts.flush()
        p = nettool("ping", "-c", "1", "--file", hosts.name, timeout=10)
        assert "\x1b" not in p.stderr and "\x07" not in p.stderr, repr(p.stderr)


@test
def closed_stdout_is_named():
    p = subprocess.run(f"exec {NETTOOL} ping -c 1 127.0.0.1 >&-", shell=True, capture_output=True, text=True,
                       timeout=10)
    assert p.returncode == 3 and "stdout is closed" in p.stderr, p


def bash_complete(*words):
    script = os.path.join(SOURCE_ROOT, "completions", "nettool.bash")
    quoted = " ".join(f"'{w}'" for w in words)
    probe = f'source {script}; COMP_WORDS=({quoted}); COMP_CWORD={len(words) - 1}; _nettool; echo "${{COMPREPLY[@]}}"'
    return subprocess.run(["bash", "-c", probe], capture_output=True, text=True, check=True).stdout.split()


@test
def completion_after_an_option_offers_its_values_not_option_names():
    assert set(bash_complete("nettool", "ping", "--format", "")) == {"text", "json", "jsonl", "list"}
    assert bash_complete("nettool", "ping", "--color", "al") == ["always"]
    assert "lo" in bash_complete("nettool", "ping", "-I", "")
    assert bash_complete("nettool", "ping", "-c", "") == []  # a number: nothing to offer, no option names
    with tempfile.TemporaryDirectory() as d:
        open(os.path.join(d, "hosts.txt"), "w").close()
        assert bash_complete("nettool", "ping", "--file", d + "/ho") == [d + "/hosts.txt"]
    fish = os.path.join(SOURCE_ROOT, "completions", "nettool.fish")
    out = subprocess.run(["fish", "-c", f"source {fish}; complete -C 'nettool ping --format '"],
                         capture_output=True, text=True, check=True).stdout
    assert "jsonl" in out and "--count" not in out, out
    zsh = os.path.join(SOURCE_ROOT, "completions", "_nettool")
    assert "'ping --format') compadd -- text json jsonl list; return" in open(zsh).read()


@test
def every_option_that_takes_a_value_states_its_default():
    import re
    for words in (["ping"], ["portscan"], ["tcp-echo", "server"], ["tcp-echo", "client"], ["udp-time"],
                  ["udp-time", "server"], ["multicast", "send"], ["multicast", "recv"]):
        out = nettool(*words, "--help", check=0).stdout
        own = out.split("Options:")[1].split("Global options")[0]
        for line in own.splitlines():
            m = re.match(r"^  (-\S+) ([A-Za-z|]+)", line)  # an option followed by its value label
            if m and m.group(1) not in ("-h,--help",):
                assert "default" in line, f"{' '.join(words)}: {line.strip()}"


@test
def color_only_when_asked_or_terminal():
    p = nettool("ping", "--help", check=0, env={"NO_COLOR": "1"})
    assert "\x1b[" not in p.stdout


run_tests()
