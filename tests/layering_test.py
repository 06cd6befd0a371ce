#!/usr/bin/env python3
"""Layering: the core (src/) never includes subcommands/, and no subcommand calls a socket syscall
itself: they go through src/net (SocketHandle, cmsg, batches) and src/event (loop, readiness group).

Run as a meson test; `--count` prints the raw socket calls per file instead (the figure the core v2
issue reports before/after). Grep-based: a call is `::name(`, or a bare `name(` after `=`, `(`, `!`,
`?`, `&`, `|`, `return` or at the start of a statement; `obj.name(`, `ns::name(`, `Class::name(`,
member initialisers and declarations such as `int connect(` are not calls of the syscall.
"""
import pathlib
import re
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
SOURCES = ("*.cpp", "*.hpp", "*.h", "*.cc")

SYSCALLS = (
    "socket|socketpair|bind|connect|listen|accept|accept4|send|sendto|sendmsg|sendmmsg|recv|recvfrom|"
    "recvmsg|recvmmsg|setsockopt|getsockopt|shutdown|getsockname|getpeername|epoll_[a-z_]+"
)
CALL = re.compile(
    r"(?:(?<![\w:.>])::|(?:[=(!;{}?&|]|\breturn)\s*)(?P<name>" + SYSCALLS + r")\s*\(", re.MULTILINE
)
INCLUDE_SUBCOMMANDS = re.compile(r'^\s*#\s*include\s*[<"]subcommands/', re.MULTILINE)

# Not yet moved onto the core: remove an entry once its subcommand is.
EXCLUDED = {}


def strip_comments(text):
    text = re.sub(r"/\*.*?\*/", lambda m: "\n" * m.group(0).count("\n"), text, flags=re.S)
    text = re.sub(r"//[^\n]*", "", text)
    return re.sub(r'"(?:\\.|[^"\\\n])*"', '""', text)


def files(folder):
    for pattern in SOURCES:
        yield from sorted((ROOT / folder).rglob(pattern))


def raw_calls(path):
    text = strip_comments(path.read_text(encoding="utf-8", errors="replace"))
    for m in CALL.finditer(text):
        yield text.count("\n", 0, m.start("name")) + 1, m.group("name")


def excluded(rel):
    return any(rel == d or rel.startswith(d + "/") for d in EXCLUDED)


def self_check():
    """The patterns must still tell calls from look-alikes, or the test could pass on anything."""
    calls = ["x = ::socket(1);", "if (connect(fd, a, l) < 0)", "return sendto(a);", "{\n  bind(fd);",
             "n = ::epoll_wait(e, v, 1, 0);", "(void)::setsockopt(fd, 1, 2, &v, 4);"]
    others = ["ok = obj.connect(a);", "int connect(int);", "  : socket(i) {}", "net::bind(x);",
              "Scanner::send(p)", "// ::socket(", "x = \"::recv(\";"]
    for text in calls:
        assert CALL.search(strip_comments(text)), f"layering self-check: missed a call in {text!r}"
    for text in others:
        assert not CALL.search(strip_comments(text)), f"layering self-check: false call in {text!r}"
    assert INCLUDE_SUBCOMMANDS.search('#include "subcommands/ping/ping.hpp"')


def main():
    self_check()
    count_mode = "--count" in sys.argv
    failures = []
    for path in files("src"):
        if path.name == "main.cpp" and path.parent.name == "src":
            continue  # main.cpp dispatches to the subcommands: the one file that may see them
        text = strip_comments(path.read_text(encoding="utf-8", errors="replace"))
        for m in INCLUDE_SUBCOMMANDS.finditer(text):
            line = text.count("\n", 0, m.start()) + 1
            failures.append(f"{path.relative_to(ROOT)}:{line}: src/ includes subcommands/")
    total = 0
    for path in files("subcommands"):
        rel = path.relative_to(ROOT).as_posix()
        calls = list(raw_calls(path))
        total += len(calls)
        if count_mode:
            if calls:
                print(f"{len(calls):3d} {rel}: {', '.join(name for _, name in calls)}")
            continue
        if excluded(rel):
            continue
        for line, name in calls:
            failures.append(f"{rel}:{line}: raw socket call {name}() (use src/net or src/event)")
    if count_mode:
        print(f"total raw socket calls in subcommands/: {total}")
        return 0
    for f in failures:
        print(f, file=sys.stderr)
    if failures:
        print(f"layering: {len(failures)} violation(s)", file=sys.stderr)
        return 1
    print("layering: ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())
