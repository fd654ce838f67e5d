"""Issue 15: sockstep in the learner's language.  Under a zh_CN locale the
demo narrates in Chinese, --help and usage errors are Chinese, the headless
columns stay aligned in display columns; under C.UTF-8 everything is
English; the calls, and the JSONL trace's field names and values, are the
same in both.  The catalog is complete, found from the build tree, and
installed under PREFIX/share/locale."""
import json
import os
import re
import shutil
import subprocess
import tempfile
import unicodedata

from harness import ROOT, SOCKSTEP, Skip, cleanup  # noqa: F401

BIN = os.path.abspath(os.path.join(ROOT, SOCKSTEP))
BUILD = os.path.dirname(BIN)
LOCALE_VARS = ("LC_ALL", "LC_MESSAGES", "LC_CTYPE", "LANG", "LANGUAGE")
CJK = re.compile("[\u4e00-\u9fff]")
# the demo, quickly: no pause, a port the kernel picks, no packets
DEMO = ("--headless", "--port", "0", "--pause", "0", "--no-packets")


def need_zh():
    r = subprocess.run(["locale", "-a"], capture_output=True, text=True, timeout=10)
    names = r.stdout.lower().replace("-", "").split()
    if "zh_cn.utf8" not in names:
        raise Skip("the zh_CN.UTF-8 locale is not generated here "
                   "(locale-gen zh_CN.UTF-8; scripts/deps.sh does it)")


def run_in(locale_env, *args, cwd=ROOT, binary=BIN, timeout=60):
    """Run sockstep with exactly these locale variables (the others unset)."""
    env = {k: v for k, v in os.environ.items() if k not in LOCALE_VARS}
    env.update(locale_env)
    return subprocess.run([binary, *args], capture_output=True, text=True,
                          timeout=timeout, env=env, cwd=cwd)


ZH = {"LC_ALL": "zh_CN.UTF-8"}
EN = {"LC_ALL": "C.UTF-8"}


def cols(s):
    """Display columns of s, as a terminal counts them (wcwidth)."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in s)


def ports_out(text):
    """The kernel picks the ports: "127.0.0.1:54099" -> "127.0.0.1:P"."""
    return re.sub(r":\d+\b", ":P", text)


def step_lines(out):
    return [l for l in out.splitlines() if re.match(r"  (step|第) \d+/\d+", l)]


# "   0.0012  server   s = socket(AF_INET, SOCK_STREAM)      = 3   ..."
CALL_LINE = re.compile(r"^ *\d+\.\d{4}  (server|client) +(\S.*?\)) +(= |\.\.\. |…… )")


def call_lines(out):
    return [m for m in (CALL_LINE.match(l) for l in out.splitlines()) if m]


def test_catalog_is_complete_and_checked():
    if shutil.which("msgfmt") is None:
        raise Skip("gettext (msgfmt) is not installed")
    r = subprocess.run([os.path.join(ROOT, "tests", "po-check.sh")], cwd=ROOT,
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stdout + r.stderr
    assert "zh_CN.po: " in r.stdout and "translated" in r.stdout, r.stdout
    assert "untranslated" not in r.stdout and "fuzzy" not in r.stdout, r.stdout


def po_entries(path):
    """(msgid, msgstr) of a .po file, continuation lines joined; the
    header and plural forms beyond [0] left out."""
    out, cur, key = [], {}, None
    for line in open(path, encoding="utf-8"):
        line = line.rstrip("\n")
        m = re.match(r'(msgid|msgid_plural|msgstr(?:\[0\])?) "(.*)"$', line)
        if m:
            if m.group(1) == "msgid" and "msgstr" in cur:
                out.append(cur)
                cur = {}
            key = "msgstr" if m.group(1).startswith("msgstr") else m.group(1)
            cur[key] = cur.get(key, "") + m.group(2)
        elif line.startswith('"') and key:
            cur[key] += line[1:-1]
        elif not line.startswith('"'):
            key = None
    if "msgstr" in cur:
        out.append(cur)
    return [(e["msgid"], e["msgstr"]) for e in out if e["msgid"]]


def test_translations_keep_the_kernels_names():
    # TIME_WAIT, ECONNREFUSED, SO_REUSEADDR, accept(), MSG_DONTWAIT, the
    # options' metavariables: whatever the English names in capitals or
    # as a call, the Chinese names the same way.  Words of English
    # itself in capitals are the exceptions.
    english = {"UI", "NEW", "FAILED", "RIGHT", "NOT", "QUITE"}
    entries = po_entries(os.path.join(ROOT, "po", "zh_CN.po"))
    assert len(entries) > 300, len(entries)
    lost = []
    for msgid, msgstr in entries:
        names = set(re.findall(r"(?<![A-Za-z0-9_])[A-Z][A-Z0-9_]+(?![a-z])|[a-z_0-9]+\(\)", msgid))
        lost += [(n, msgid[:60]) for n in names - english if n not in msgstr]
    assert not lost, lost


def test_demo_narrates_in_chinese_under_zh_CN_and_in_english_under_C_UTF_8():
    need_zh()
    zh, en = run_in(ZH, *DEMO), run_in(EN, *DEMO)
    assert zh.returncode == 0 and en.returncode == 0, (zh.stderr, en.stderr)
    zsteps, esteps = step_lines(zh.stdout), step_lines(en.stdout)
    assert len(zsteps) == len(esteps) == 15, (zsteps, esteps)
    assert all(CJK.search(l) for l in zsteps), zsteps
    assert not CJK.search(en.stdout + en.stderr), en.stdout
    # the kernel's names stay as the kernel names them
    assert any("accept()" in l for l in zsteps) and any("TIME_WAIT" in l for l in zsteps)
    # the tutorial's "a new port" is corrected in Chinese too
    accept = [l for l in zsteps if "accept()" in l and "四元组" in l]
    assert accept and "新端口" in accept[0] and "端口不变" in accept[0], zsteps
    # the same calls, in both languages
    zc = sorted(ports_out(m.group(1) + " " + m.group(2)) for m in call_lines(zh.stdout))
    ec = sorted(ports_out(m.group(1) + " " + m.group(2)) for m in call_lines(en.stdout))
    assert zc == ec and len(zc) >= 15, (zc, ec)


def test_locale_is_chosen_the_usual_way():
    need_zh()
    cases = [
        ({"LANG": "zh_CN.UTF-8"}, True),
        ({"LANG": "zh_CN.UTF-8", "LC_ALL": "C.UTF-8"}, False),   # LC_ALL wins
        ({"LANG": "C.UTF-8", "LC_MESSAGES": "zh_CN.UTF-8"}, True),
        ({"LANG": "zh_CN.UTF-8", "LC_MESSAGES": "C.UTF-8"}, False),
        ({"LANG": "C.UTF-8", "LANGUAGE": "zh_CN"}, True),        # GNU LANGUAGE
        ({"LC_ALL": "C", "LANGUAGE": "zh_CN"}, False),           # ignored in C
        ({}, False),                                             # English default
    ]
    for env, chinese in cases:
        r = run_in(env, "--port", "x")
        assert r.returncode == 2, (env, r)
        assert bool(CJK.search(r.stderr)) == chinese, (env, r.stderr)
        assert "'x'" in r.stderr, (env, r.stderr)


def test_help_and_a_usage_error_in_chinese():
    need_zh()
    h = run_in(ZH, "--help")
    assert h.returncode == 0 and CJK.search(h.stdout), h
    # options and commands are typed as they are: never translated
    for word in ("--headless", "--record FILE", "sockstep lessons", "--host-net", "jsonl"):
        assert word in h.stdout, word
    assert h.stdout.splitlines()[0].startswith("用法：sockstep"), h.stdout[:200]
    u = run_in(ZH, "--pause", "99")
    lines = u.stderr.splitlines()
    assert u.returncode == 2 and len(lines) == 2, u
    assert lines[0].startswith("sockstep: ") and "'99'" in lines[0] and CJK.search(lines[0]), lines
    assert "sockstep --help" in lines[1], lines
    b = run_in(ZH, "--bogus")
    assert b.returncode == 2 and "'--bogus'" in b.stderr and CJK.search(b.stderr), b


def test_headless_columns_line_up_in_display_columns():
    need_zh()
    for env in (ZH, EN):
        r = run_in(env, *DEMO)
        assert r.returncode == 0, r.stderr
        found = call_lines(r.stdout)
        assert len(found) >= 15, r.stdout
        # where each call's result starts ("= 3", "... blocked", "…… 阻塞"):
        # time and who take 20 columns, the call 40, then a space
        starts = {cols(m.string[:m.start(3)]) for m in found}
        assert starts == {61}, (env, starts, r.stdout)
        # the local address column, on the lines whose result fits its column
        arrows = set()
        for m in found:
            line = m.string
            a = re.search(r"  (\S+) +-> ", line)
            if a and line[a.start() - 1] == " ":
                arrows.add(cols(line[:a.start(1)]))
        assert arrows == {85}, (env, arrows, r.stdout)


def comparable(ev):
    """A call event without what differs between two runs (time, ports,
    inodes)."""
    drop = {"t", "local", "peer", "pid", "inode"}
    return {k: ports_out(v) if isinstance(v, str) else v
            for k, v in ev.items() if k not in drop}


def test_jsonl_calls_are_the_same_in_every_language():
    need_zh()
    zh = run_in(ZH, *DEMO, "--format", "jsonl", "--no-table")
    en = run_in(EN, *DEMO, "--format", "jsonl", "--no-table")
    assert zh.returncode == 0 and en.returncode == 0, (zh.stderr, en.stderr)
    zevs = [json.loads(l) for l in zh.stdout.splitlines() if l.strip()]
    eevs = [json.loads(l) for l in en.stdout.splitlines() if l.strip()]
    zcalls = sorted((json.dumps(comparable(e), sort_keys=True) for e in zevs
                     if e["kind"] == "call"))
    ecalls = sorted((json.dumps(comparable(e), sort_keys=True) for e in eevs
                     if e["kind"] == "call"))
    assert zcalls == ecalls and zcalls, (zcalls, ecalls)
    # kinds and field names never change; a step's narration is what was shown
    assert sorted({e["kind"] for e in zevs}) == sorted({e["kind"] for e in eevs})
    for kind in {e["kind"] for e in eevs}:
        zk = {k for e in zevs if e["kind"] == kind for k in e}
        ek = {k for e in eevs if e["kind"] == kind for k in e}
        assert zk == ek, (kind, zk ^ ek)
    # the keyword scripts match stays English (docs/trace-format.md)
    znotes = [e["text"] for e in zevs if e["kind"] == "note"]
    assert znotes and znotes[0].startswith("network: "), znotes
    zsteps = [e for e in zevs if e["kind"] == "step"]
    assert zsteps and all(CJK.search(json.dumps(e, ensure_ascii=False)) for e in zsteps)


def test_the_catalog_is_found_from_the_build_tree_in_any_directory():
    need_zh()
    with tempfile.TemporaryDirectory() as d:
        r = run_in(ZH, "--port", "x", cwd=d)
        assert r.returncode == 2 and CJK.search(r.stderr), r
        # through a relative path and a symlink to the binary, too
        link = os.path.join(d, "sockstep")
        os.symlink(BIN, link)
        r = run_in(ZH, "--port", "x", cwd=d, binary="./sockstep")
        assert r.returncode == 2 and CJK.search(r.stderr), r


def test_make_install_puts_the_catalog_under_prefix_share_locale():
    need_zh()
    if shutil.which("make") is None:
        raise Skip("make is not installed")
    with tempfile.TemporaryDirectory() as dest:
        r = subprocess.run(["make", "-s", f"B={os.path.relpath(BUILD, ROOT)}", "install",
                            f"DESTDIR={dest}", "PREFIX=/usr"],
                           cwd=ROOT, capture_output=True, text=True, timeout=300)
        assert r.returncode == 0, r.stderr[-2000:]
        mo = os.path.join(dest, "usr/share/locale/zh_CN/LC_MESSAGES/sockstep.mo")
        assert os.path.isfile(mo), os.listdir(dest)
        # the installed binary finds the installed catalog beside it
        with tempfile.TemporaryDirectory() as cwd:
            v = run_in(ZH, "--port", "x", cwd=cwd,
                       binary=os.path.join(dest, "usr/bin/sockstep"))
        assert v.returncode == 2 and CJK.search(v.stderr), v
