"""The Debian package (debian/): dpkg-buildpackage builds nettool_*.deb from a copy of the source tree,
lintian finds no error in it, dpkg --root installs it into a temporary root (its postinst runs there and
grants cap_net_raw), and the installed files work: --version, a loopback ping, a TLS echo (libssl is
loaded on first use, so the package names it in Depends), a SYN scan by an unprivileged user (uid 65534) through the file capability, the nettool-CMD links, man pages and completions.

One build serves every check (it is the slow part: ccache keeps repeat runs short), so the checks are
steps of one test. Prerequisites (dpkg-dev, debhelper, lintian, libcap2-bin, git) are in scripts/lib.sh
TEST_PACKAGES; without them the test skips, unless NETTOOL_REQUIRE_PEERS=1.
"""
import contextlib
import glob
import json
import os
import shutil
import subprocess
import tempfile
import time

from ntlib import Process, require_peer, run_tests, skip, split_hostport, test

SOURCE = os.environ.get("NETTOOL_SOURCE_ROOT", os.getcwd())
BUILD_TIMEOUT_S = 1500


def copy_source(dest):
    """Copies tracked and untracked-but-not-ignored files, so an uncommitted tree builds as it is."""
    listed = subprocess.run(["git", "-C", SOURCE, "ls-files", "-co", "--exclude-standard", "-z"],
                            capture_output=True, check=True).stdout
    for rel in filter(None, listed.decode().split("\0")):
        src = os.path.join(SOURCE, rel)
        if not os.path.lexists(src):  # deleted but not yet committed
            continue
        os.makedirs(os.path.join(dest, os.path.dirname(rel)), exist_ok=True)
        shutil.copy2(src, os.path.join(dest, rel), follow_symlinks=False)


def build_env(tree):
    """ccache when present; the temporary path must not change ccache's key between runs: base_dir makes
    paths relative, and -ffile-prefix-map (Debian's fixfilepath, which maps this very path to '.') is
    left out of the hash since the object it yields is the same wherever the tree lies."""
    env = dict(os.environ, DEB_BUILD_OPTIONS=f"parallel={min(os.cpu_count() or 1, 2)}", LC_ALL="C.UTF-8")
    if shutil.which("ccache"):
        env.update(CC="ccache gcc", CXX="ccache g++", CCACHE_BASEDIR=tree, CCACHE_NOHASHDIR="1",
                   CCACHE_IGNOREOPTIONS="-ffile-prefix-map=*", CCACHE_DIR=ccache_dir())
    return env


def ccache_dir():
    """The user's cache, named explicitly: debhelper (compat 13) points HOME into the build tree, so
    ccache's default directory would be a new, empty one inside the tree each run."""
    found = subprocess.run(["ccache", "-k", "cache_dir"], capture_output=True, text=True).stdout.strip()
    return found or os.path.expanduser("~/.cache/ccache")


def build_package(work):
    tree = os.path.join(work, "nettool")
    copy_source(tree)
    start = time.monotonic()
    proc = subprocess.run(["dpkg-buildpackage", "-us", "-uc", "-b"], cwd=tree, env=build_env(tree),
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                          timeout=BUILD_TIMEOUT_S)
    print(f"dpkg-buildpackage: {time.monotonic() - start:.0f} s", flush=True)
    assert proc.returncode == 0, proc.stdout[-6000:]
    debs = glob.glob(os.path.join(work, "nettool_*.deb"))
    assert len(debs) == 1, debs
    return debs[0], proc.stdout


def check_build_log(log):
    # Debian's flags reached the compiler (hardening) and no unit test ran (-Dtests=false).
    assert "-D_FORTIFY_SOURCE=2" in log and "-fstack-protector-strong" in log, "hardening flags missing"
    assert "unit-tests" not in log, "the package build compiled the unit tests"


def check_lintian(deb):
    proc = subprocess.run(["lintian", "--info", "--display-info", deb], capture_output=True, text=True,
                          timeout=300)
    tags = [line for line in proc.stdout.splitlines() if line[:2] in ("E:", "W:", "I:")]
    for line in tags:
        print(f"lintian: {line}", flush=True)
    errors = [line for line in tags if line.startswith("E:")]
    assert not errors and proc.returncode == 0, proc.stdout + proc.stderr


def make_dpkg_root(root):
    admin = os.path.join(root, "var", "lib", "dpkg")
    for sub in ("info", "updates"):
        os.makedirs(os.path.join(admin, sub))
    for name in ("status", "available"):
        open(os.path.join(admin, name), "w").close()
    # The unprivileged SYN scan below executes the installed binary: every directory above it opens.
    os.chmod(os.path.dirname(root), 0o755)
    os.chmod(root, 0o755)


def install(deb, root):
    """dpkg --root with the maintainer scripts run outside a chroot (the root holds no /bin/sh): the
    postinst gets DPKG_ROOT and applies setcap to the binary inside the root. --force-depends: the
    empty database knows none of the dependencies."""
    make_dpkg_root(root)
    cmd = ["dpkg", f"--root={root}", "--force-depends", "--force-not-root", "--force-script-chrootless",
           "--log=/dev/null", "-i", deb]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return proc.stdout + proc.stderr


def filesystem_takes_caps(root):
    probe = os.path.join(root, "setcap-probe")
    open(probe, "w").close()
    ok = subprocess.run(["setcap", "cap_net_raw+ep", probe], capture_output=True).returncode == 0
    os.unlink(probe)
    return ok


def command_names():
    """The commands, from the man pages in the source tree (the registry test keeps them complete)."""
    pages = glob.glob(os.path.join(SOURCE, "man", "nettool-*.1.scd"))
    names = sorted(os.path.basename(p)[len("nettool-"):-len(".1.scd")] for p in pages)
    assert "ping" in names and "portscan" in names, names
    return names


def check_files(root):
    usr = os.path.join(root, "usr")
    share = os.path.join(usr, "share")
    assert os.access(os.path.join(usr, "bin", "nettool"), os.X_OK)
    assert os.path.isfile(os.path.join(share, "man", "man1", "nettool.1.gz"))
    assert os.path.isfile(os.path.join(share, "bash-completion", "completions", "nettool"))
    # Debian's zsh reads /usr/share/zsh/vendor-completions (debian/rules moves the file there).
    assert os.path.isfile(os.path.join(share, "zsh", "vendor-completions", "_nettool"))
    assert os.path.isfile(os.path.join(share, "fish", "vendor_completions.d", "nettool.fish"))
    assert os.path.isfile(os.path.join(share, "doc", "nettool", "copyright"))
    for name in command_names():
        link = os.path.join(usr, "bin", f"nettool-{name}")
        assert os.readlink(link) == "nettool", link
        assert os.path.isfile(os.path.join(share, "man", "man1", f"nettool-{name}.1.gz")), name
        assert os.path.lexists(os.path.join(share, "bash-completion", "completions", f"nettool-{name}"))
    schemas = os.path.join(SOURCE, "schemas")
    for schema in glob.glob(os.path.join(schemas, "*.json")):  # when the tree has them, meson installs them
        assert os.path.isfile(os.path.join(share, "nettool", "schemas", os.path.basename(schema))), schema


def run_installed(root, *args, user=None):
    cmd = [os.path.join(root, "usr", "bin", args[0]), *args[1:]]
    if user:  # a numeric id (Debian has no group "nobody"); the file's cap_net_raw+ep applies on exec
        cmd = ["setpriv", f"--reuid={user}", f"--regid={user}", "--clear-groups", *cmd]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=60)


def check_capability(root, dpkg_output):
    binary = os.path.join(root, "usr", "bin", "nettool")
    caps = subprocess.run(["getcap", binary], capture_output=True, text=True).stdout
    if not filesystem_takes_caps(root):
        assert caps.strip() == "" and "setcap cap_net_raw+ep failed" in dpkg_output, dpkg_output
        skip("this filesystem holds no file capabilities; the postinst said so")
    assert "cap_net_raw=ep" in caps or "cap_net_raw+ep" in caps, caps
    # An unprivileged user gets CAP_NET_RAW from the file: a SYN scan needs it (exit 4 without).
    scan = run_installed(root, "nettool", "portscan", "--syn", "127.0.0.1", "-p", "1", "--json",
                         user=65534)
    assert scan.returncode in (0, 1), scan.stdout + scan.stderr
    methods = {r.get("method") for r in json.loads(scan.stdout)["records"]} - {None}
    assert methods == {"syn"}, scan.stdout


def run_postinst(fake_setcap):
    """debian/postinst as dpkg runs it (configure), against a fake root, with PATH holding only a shell
    and, when fake_setcap is given, a setcap script with that body."""
    with tempfile.TemporaryDirectory(prefix="nettool-postinst-") as work:
        bindir = os.path.join(work, "bin")
        os.makedirs(bindir)
        os.makedirs(os.path.join(work, "root", "usr", "bin"))
        open(os.path.join(work, "root", "usr", "bin", "nettool"), "w").close()
        if fake_setcap is not None:
            with open(os.path.join(bindir, "setcap"), "w") as f:
                f.write(f"#!/bin/sh\n{fake_setcap}\n")
            os.chmod(os.path.join(bindir, "setcap"), 0o755)
        env = {"PATH": bindir, "DPKG_ROOT": os.path.join(work, "root")}
        return subprocess.run(["/bin/sh", os.path.join(SOURCE, "debian", "postinst"), "configure", "0.1.0"],
                              env=env, capture_output=True, text=True, timeout=30)


@test
def postinst_survives_a_failing_setcap():
    # A filesystem without extended attributes (tmpfs without xattr, some overlays): say so, go on.
    proc = run_postinst('echo "Failed to set capabilities on file: Operation not supported" >&2; exit 1')
    assert proc.returncode == 0, proc.stderr
    assert "setcap cap_net_raw+ep failed" in proc.stderr and "/root/usr/bin/nettool" in proc.stderr, proc.stderr


@test
def postinst_survives_a_missing_setcap():
    proc = run_postinst(None)
    assert proc.returncode == 0, proc.stderr
    assert "setcap is not installed" in proc.stderr, proc.stderr


@test
def postinst_applies_setcap_inside_dpkg_root():
    proc = run_postinst('echo "$@" >&2')
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr.startswith("cap_net_raw+ep ") and proc.stderr.rstrip().endswith("/root/usr/bin/nettool")


@contextlib.contextmanager
def work_dir():
    """The same path on every run (meson's build dir gives NETTOOL_PACKAGE_WORKDIR): compiler command lines
    carry it (-ffile-prefix-map, debug info), so only a stable path lets ccache hit on the next run."""
    fixed = os.environ.get("NETTOOL_PACKAGE_WORKDIR")
    if not fixed:
        with tempfile.TemporaryDirectory(prefix="nettool-package-") as work:
            yield work
        return
    shutil.rmtree(fixed, ignore_errors=True)
    os.makedirs(fixed)
    try:
        yield fixed
    finally:
        shutil.rmtree(fixed, ignore_errors=True)


def check_tls(deb, root, work):
    """The installed binary dlopen()s libssl on its first TLS call (src/tls/openssl_loader.hpp), which
    dpkg-shlibdeps cannot see: Depends names libssl3, and an echo over TLS works."""
    depends = subprocess.run(["dpkg-deb", "-f", deb, "Depends"], capture_output=True, text=True, check=True).stdout
    assert "libssl3" in depends, depends
    cert, key = os.path.join(work, "tls.pem"), os.path.join(work, "tls.key")
    subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                    "-subj", "/CN=localhost", "-addext", "subjectAltName=IP:127.0.0.1", "-days", "1",
                    "-keyout", key, "-out", cert], capture_output=True, check=True)
    binary = os.path.join(root, "usr", "bin", "nettool")
    with Process(raw_cmd=[binary, "tcp-echo", "server", "--listen", "127.0.0.1:0", "--tls", "--cert", cert,
                          "--key", key, "--jsonl"]) as server:
        _, port = split_hostport(server.wait_for("listening")["address"])
        echo = run_installed(root, "nettool", "tcp-echo", "client", f"127.0.0.1:{port}", "--tls", "--ca", cert,
                             "-c", "1")
        assert echo.returncode == 0, echo.stdout + echo.stderr


@test
def package_builds_lints_installs_and_runs():
    for program in ("git", "dpkg-buildpackage", "dh", "lintian", "setcap", "getcap", "setpriv", "openssl"):
        require_peer(program)
    if subprocess.run(["git", "-C", SOURCE, "rev-parse"], capture_output=True).returncode != 0:
        skip("the source tree is not a git checkout (the copy lists its files with git ls-files)")
    start = time.monotonic()
    with work_dir() as work:
        deb, log = build_package(work)
        check_build_log(log)
        contents = subprocess.run(["dpkg-deb", "-c", deb], capture_output=True, text=True, check=True)
        print(contents.stdout, flush=True)
        check_lintian(deb)
        root = os.path.join(work, "root")
        dpkg_output = install(deb, root)
        version = run_installed(root, "nettool", "--version")
        assert version.returncode == 0 and "0." in version.stdout, version
        ping = run_installed(root, "nettool", "ping", "-c", "1", "127.0.0.1")
        assert ping.returncode == 0, ping.stdout + ping.stderr
        linked = run_installed(root, "nettool-ping", "-c", "1", "127.0.0.1")
        assert linked.returncode == 0, linked.stdout + linked.stderr
        check_tls(deb, root, work)
        check_files(root)
        print(f"package test: {time.monotonic() - start:.0f} s", flush=True)
        check_capability(root, dpkg_output)


if __name__ == "__main__":
    run_tests()
