"""Issue 6: packaging.  `make install` puts the binary, the man page and the
lessons under DESTDIR/PREFIX, `make uninstall` takes them all away, and an
installed binary finds the installed lessons."""
import glob
import os
import shutil
import subprocess
import tempfile

from harness import ROOT, SOCKSTEP, Skip

BUILD = os.path.dirname(os.path.abspath(os.path.join(ROOT, SOCKSTEP)))


def make(*args, timeout=300):
    if shutil.which("make") is None:
        raise Skip("make is not installed")
    r = subprocess.run(["make", "-s", f"B={os.path.relpath(BUILD, ROOT)}", *args],
                       cwd=ROOT, capture_output=True, text=True, timeout=timeout)
    assert r.returncode == 0, (args, r.stdout[-2000:], r.stderr[-2000:])
    return r


def files_under(d):
    return sorted(os.path.relpath(os.path.join(p, f), d)
                  for p, _, fs in os.walk(d) for f in fs)


def lesson_files():
    return sorted(os.path.basename(p) for p in glob.glob(os.path.join(ROOT, "lessons", "*.md")))


def test_install_then_uninstall_into_destdir_leaves_no_file():
    with tempfile.TemporaryDirectory() as dest:
        make("install", f"DESTDIR={dest}", "PREFIX=/usr")
        got = files_under(dest)
        assert "usr/bin/sockstep" in got, got
        assert os.access(os.path.join(dest, "usr/bin/sockstep"), os.X_OK)
        assert "usr/share/man/man1/sockstep.1" in got, got
        lessons = sorted(os.path.basename(f) for f in got
                         if os.path.dirname(f) == "usr/share/sockstep/lessons")
        assert lessons == lesson_files(), lessons
        # the translations too, each in its language's folder
        zh = sorted(os.path.basename(f) for f in got
                    if os.path.dirname(f) == "usr/share/sockstep/lessons/zh_CN")
        assert zh == sorted(os.path.basename(p) for p in
                            glob.glob(os.path.join(ROOT, "lessons", "zh_CN", "*.md"))), zh
        v = subprocess.run([os.path.join(dest, "usr/bin/sockstep"), "--version"],
                           capture_output=True, text=True, timeout=10)
        assert v.returncode == 0 and v.stdout.startswith("sockstep "), v
        make("uninstall", f"DESTDIR={dest}", "PREFIX=/usr")
        assert files_under(dest) == [], files_under(dest)


def test_installed_binary_finds_installed_lessons():
    # A real install (no DESTDIR) into a temporary prefix, built in its own
    # tree so the compiled-in data directory is this prefix's.
    with tempfile.TemporaryDirectory() as tmp:
        prefix = os.path.join(tmp, "prefix")
        b = os.path.relpath(os.path.join(tmp, "build"), ROOT)
        r = subprocess.run(["make", "-s", "-j2", f"B={b}", f"PREFIX={prefix}", "install"],
                           cwd=ROOT, capture_output=True, text=True, timeout=600)
        assert r.returncode == 0, r.stderr[-2000:]
        env = {k: v for k, v in os.environ.items() if k != "SOCKSTEP_LESSONS"}
        # from a directory without lessons/, so only the installed ones can match
        out = subprocess.run([os.path.join(prefix, "bin", "sockstep"), "lessons"],
                             cwd=tmp, capture_output=True, text=True, env=env, timeout=20)
        assert out.returncode == 0, out.stderr
        assert "first-exchange" in out.stdout, out.stdout
        one = subprocess.run([os.path.join(prefix, "bin", "sockstep"), "1", "--headless",
                              "--port", "0", "--pause", "0", "--no-quiz"],
                             cwd=tmp, capture_output=True, text=True, env=env, timeout=60)
        assert "no lessons folder" not in one.stderr, one.stderr
        assert one.returncode in (0, 1), one.stderr


def test_install_with_another_prefix_than_the_build_points_at_it():
    # `make && make install PREFIX=/opt/x` is what packagers do: the binary
    # was built for /usr/local, yet it must find the lessons installed
    # beside it (PREFIX/bin/../share/sockstep/lessons).
    with tempfile.TemporaryDirectory() as dest:
        make("all")
        make("install", f"DESTDIR={dest}", "PREFIX=/opt/sockstep-test")
        binary = os.path.join(dest, "opt/sockstep-test/bin/sockstep")
        env = {k: v for k, v in os.environ.items() if k != "SOCKSTEP_LESSONS"}
        with tempfile.TemporaryDirectory() as cwd:
            r = subprocess.run([binary, "lessons"], cwd=cwd, capture_output=True,
                               text=True, env=env, timeout=30)
        make("uninstall", f"DESTDIR={dest}", "PREFIX=/opt/sockstep-test")
        assert r.returncode == 0, r.stderr
        listed = [l for l in r.stdout.splitlines() if l[:2].strip().isdigit()]
        assert len(listed) == len(lesson_files()) - 1, r.stdout  # README.md is not a lesson
        assert files_under(dest) == [], files_under(dest)


def test_man_page_renders():
    page = os.path.join(ROOT, "docs", "sockstep.1")
    assert os.path.exists(page)
    text = open(page).read()
    for section in ("NAME", "SYNOPSIS", "DESCRIPTION", "COMMANDS", "OPTIONS",
                    "KEYS", "FILES", "EXIT STATUS", "EXAMPLES", "SEE ALSO"):
        assert f'.SH {section}' in text or f'.SH "{section}"' in text, section
    # every option of --help is documented
    helptext = subprocess.run([os.path.join(ROOT, SOCKSTEP), "--help"], capture_output=True,
                              text=True, timeout=10).stdout
    for word in helptext.split():
        if word.startswith("--") and word[2:3].isalpha():
            opt = word.rstrip(",.;:)").split("=")[0]
            assert opt.replace("-", "\\-") in text, f"{opt} is not in the man page"
    if shutil.which("man") is None:
        raise Skip("man is not installed")
    r = subprocess.run(["man", "-l", page], capture_output=True, text=True, timeout=30,
                       env={**os.environ, "MANWIDTH": "80", "MANPAGER": "cat", "PAGER": "cat"})
    assert r.returncode == 0, r.stderr
    assert "sockstep" in r.stdout and "EXIT STATUS" in r.stdout
    if shutil.which("groff"):
        w = subprocess.run(["groff", "-man", "-ww", "-z", page], capture_output=True,
                           text=True, timeout=30)
        assert w.stderr.strip() == "", w.stderr


# ---- scripts/deps.sh: the README's first command on a fresh machine ----
# Fake dpkg-query / apt-get / id / sudo first (and alone) on PATH record what
# would have run; nothing is installed for real.

def _fake_tools(d, installed=False, uid=0, sudo=False, zh=None):
    """zh: whether `locale -a` lists zh_CN.utf8 (by default: when
    everything is installed)."""
    log = os.path.join(d, "log")

    def tool(name, body):
        p = os.path.join(d, name)
        with open(p, "w") as f:
            f.write("#!/bin/sh\n" + body + "\n")
        os.chmod(p, 0o755)

    status = "install ok installed" if installed else "unknown ok not-installed"
    tool("dpkg-query", f"printf '%s' '{status}'")
    tool("apt-get", f'echo "apt-get $*" >> {log}')
    tool("id", f"echo {uid}")
    if sudo:
        tool("sudo", f'echo "sudo $*" >> {log}; exec "$@"')
    zh = installed if zh is None else zh
    tool("locale", "printf 'C\\nC.utf8\\nPOSIX\\n%s'" % ("zh_CN.utf8\\n" if zh else ""))
    tool("localedef", f'echo "localedef $*" >> {log}')
    os.symlink(shutil.which("env"), os.path.join(d, "env"))
    return log


def _run_deps(d):
    sh = shutil.which("sh")
    return subprocess.run([sh, os.path.join(ROOT, "scripts", "deps.sh")],
                          capture_output=True, text=True, timeout=30,
                          env={"PATH": d, "HOME": d})


def _log(log):
    return open(log).read().splitlines() if os.path.exists(log) else []


def test_deps_as_root_without_sudo_runs_apt_get_directly():
    with tempfile.TemporaryDirectory() as d:
        log = _fake_tools(d, uid=0, sudo=False)
        r = _run_deps(d)
        assert r.returncode == 0, r.stderr
        lines = _log(log)
        assert lines[0].startswith("apt-get update"), lines
        assert lines[1].startswith("apt-get install -y"), lines
        for pkg in ("libpcap-dev", "libncurses-dev", "check", "build-essential", "tmux",
                    "gettext", "locales"):
            assert pkg in lines[1].split(), (pkg, lines)
        # then the locale sockstep speaks Chinese in
        assert lines[2] == "localedef -i zh_CN -f UTF-8 zh_CN.UTF-8", lines
        assert not any(l.startswith("sudo") for l in lines), lines


def test_deps_as_a_user_goes_through_sudo():
    with tempfile.TemporaryDirectory() as d:
        log = _fake_tools(d, uid=1000, sudo=True)
        r = _run_deps(d)
        assert r.returncode == 0, r.stderr
        lines = _log(log)
        assert lines[0].startswith("sudo apt-get update"), lines
        assert any(l.startswith("sudo env DEBIAN_FRONTEND=noninteractive apt-get install")
                   for l in lines), lines
        assert "sudo localedef -i zh_CN -f UTF-8 zh_CN.UTF-8" in lines, lines


def test_deps_as_a_user_without_sudo_says_what_to_run_in_one_line():
    with tempfile.TemporaryDirectory() as d:
        log = _fake_tools(d, uid=1000, sudo=False)
        r = _run_deps(d)
        assert r.returncode == 1
        assert _log(log) == []
        err = r.stderr.strip().splitlines()
        assert len(err) == 1 and "no sudo" in err[0] and "apt-get install" in err[0], err
        assert "localedef -i zh_CN" in err[0], err


def test_deps_only_generates_the_chinese_locale_when_only_it_is_missing():
    with tempfile.TemporaryDirectory() as d:
        log = _fake_tools(d, installed=True, uid=1000, sudo=True, zh=False)
        r = _run_deps(d)
        assert r.returncode == 0, r.stderr
        # the fake sudo runs what it was given: localedef logs too
        assert _log(log) == ["sudo localedef -i zh_CN -f UTF-8 zh_CN.UTF-8",
                             "localedef -i zh_CN -f UTF-8 zh_CN.UTF-8"], _log(log)
        assert "zh_CN.UTF-8" in r.stdout, r.stdout


def test_deps_installs_nothing_when_everything_is_there():
    with tempfile.TemporaryDirectory() as d:
        log = _fake_tools(d, installed=True, uid=1000, sudo=True)
        r = _run_deps(d)
        assert r.returncode == 0 and "installed" in r.stdout, r
        assert _log(log) == []
