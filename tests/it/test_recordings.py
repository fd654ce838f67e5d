"""Big recordings: replay streams its input, one step read at a time, and
export writes each diagram (Mermaid, PlantUML, SVG, the HTML page) item by
item, so a recording far larger than memory plays and is drawn in a
bounded address space."""
import json
import os
import random
import re
import resource
import subprocess
import tempfile

from harness import SOCKSTEP, ROOT, run

BIN = os.path.abspath(SOCKSTEP)
# Address space: 200 000 events kept whole (struct ss_event, ~450 bytes
# each, as replay kept them before) would need ~90 MB on their own.
LIMIT = 64 << 20


def asan():
    """AddressSanitizer reserves terabytes of shadow: no limit under it."""
    with open(BIN, "rb") as f:
        return b"__asan_init" in f.read()


def build(seed_lines, n, path):
    """n events: a real session's lines over and over, later in time each
    round, step numbers continued; the last step number written."""
    evs = [json.loads(line) for line in seed_lines if line.strip()]
    span = max(e["t"] for e in evs) + 0.001
    steps = max(e["index"] for e in evs if e["kind"] == "step")
    written, rnd, last = 0, 0, 0
    with open(path, "w") as out:
        while written < n:
            for e in evs:
                if written == n:
                    break
                e2 = dict(e, t=round(e["t"] + rnd * span, 6))
                if e2["kind"] == "step":
                    e2["index"] = last = e["index"] + rnd * steps
                out.write(json.dumps(e2, separators=(",", ":")) + "\n")
                written += 1
            rnd += 1
    return last


def limit_memory():
    resource.setrlimit(resource.RLIMIT_AS, (LIMIT, LIMIT))


def test_a_200000_event_recording_replays_in_64_mib():
    n = 200000
    with tempfile.TemporaryDirectory() as tmp:
        seed = run("--headless", "--format", "jsonl", "--port", "0", "--pause", "0",
                   "--no-packets")
        assert seed.returncode == 0, seed.stderr
        path = os.path.join(tmp, "big.jsonl")
        last = build(seed.stdout.splitlines(), n, path)
        out_path = os.path.join(tmp, "out.jsonl")
        with open(out_path, "w") as out:
            r = subprocess.run([BIN, "replay", path, "--headless", "--format", "jsonl"],
                               stdout=out, stderr=subprocess.PIPE, text=True,
                               timeout=120, cwd=ROOT,
                               preexec_fn=None if asan() else limit_memory)
        assert (r.returncode, r.stderr) == (0, "")
        played, last_step = 0, 0
        with open(out_path) as f:
            for line in f:
                e = json.loads(line)
                played += 1
                if e["kind"] == "step":
                    last_step = e["index"]
        assert last_step == last and last > n // 10, (last_step, last)
        assert played == n, played

        # the same recording as diagrams: a note per call, in each
        with open(path) as f:
            notes = sum(1 for line in f if '"kind":"call"' in line or '"kind":"blocked"' in line)
        assert notes > n // 10, notes
        for fmt, note in (("mermaid", "    Note over"), ("svg", '<rect class="note'),
                          ("html", '<rect class="note')):
            with open(out_path, "w") as out:
                r = subprocess.run([BIN, "export", "--format", fmt, path], stdout=out,
                                   stderr=subprocess.PIPE, text=True, timeout=120, cwd=ROOT,
                                   preexec_fn=None if asan() else limit_memory)
            assert (r.returncode, r.stderr) == (0, ""), fmt
            with open(out_path) as f:
                text = f.read()
            drawn = text.count("\n" + note)
            assert drawn == notes, (fmt, drawn, notes)
            if fmt == "html":
                block = text.split('<script type="application/json" id="ss-data">')[1]
                data = json.loads(block.split("</script>")[0])
        # the page steps through every event but the director's own
        assert len(data["events"]) == n, len(data["events"])


def packets_around(evs):
    """The calls of a real session with packets beside each: between the
    actors, to a stranger (drawn to "remote", from the client and from the
    server: an arrow across two gaps), between strangers (not drawn), to
    itself; labels of many lengths, so the SVG's gaps grow in turn."""
    rnd = random.Random(14)
    conn = next(e for e in evs if e["kind"] == "call" and e["call"] == "connect")
    pairs = ((conn["local"], conn["peer"]), (conn["peer"], conn["local"]),
             (conn["local"], "10.9.9.9:1"), (conn["peer"], "10.9.9.9:1"),
             ("10.1.1.1:2", "10.2.2.2:3"), (conn["local"], conn["local"]))
    mixed = []
    for e in evs:
        mixed.append(e)
        if e["kind"] == "call":
            for src, dst in pairs:
                mixed.append({"t": e["t"], "kind": "packet", "actor": "kernel", "step": None,
                              "src": src, "dst": dst, "flags": rnd.choice(["S.", "P.", "F.", "R", "."]),
                              "seq": 1, "ack": 2, "rel_seq": rnd.randint(0, 10 ** rnd.randint(0, 9)),
                              "rel_ack": 1, "len": rnd.choice([0, rnd.randint(1, 99999)]),
                              "win": 65495})
    return mixed


def test_a_streamed_diagram_is_the_one_drawn_from_memory():
    """A file is read twice and nothing kept; a pipe, or a file out of
    time order, is drawn from memory: the same bytes, in every format."""
    seed = run("--headless", "--format", "jsonl", "--port", "0", "--pause", "0",
               "--no-packets")
    mixed = packets_around([json.loads(line) for line in seed.stdout.splitlines()])
    with tempfile.TemporaryDirectory() as tmp:
        for name, order in (("sorted", mixed), ("reversed", mixed[::-1])):
            path = os.path.join(tmp, name + ".jsonl")
            with open(path, "w") as f:
                f.write("".join(json.dumps(e) + "\n" for e in order))
            for fmt in ("mermaid", "plantuml", "svg", "html"):
                with open(path) as f:
                    streamed = subprocess.run([BIN, "export", "--format", fmt, "-"], stdin=f,
                                              capture_output=True, timeout=30)
                with open(path, "rb") as f:
                    piped = subprocess.run([BIN, "export", "--format", fmt, "-"],
                                           input=f.read(), capture_output=True, timeout=30)
                assert streamed.returncode == 0 and piped.returncode == 0, streamed.stderr
                assert streamed.stdout == piped.stdout, (name, fmt)
                assert b"remote" in streamed.stdout
                if fmt == "svg":
                    svg = streamed.stdout
            # the page's diagram is the SVG export's, less its XML declaration
            page = streamed.stdout.decode()
            inline = re.search(r"<svg .*?</svg>\n", page, re.S).group(0)
            assert svg.decode().split("\n", 1)[1] == inline, name


def test_a_bad_line_deep_in_a_recording_is_said_when_playback_reaches_it():
    with tempfile.TemporaryDirectory() as tmp:
        seed = run("--headless", "--format", "jsonl", "--port", "0", "--pause", "0",
                   "--no-packets")
        lines = seed.stdout.splitlines()
        path = os.path.join(tmp, "bad.jsonl")
        with open(path, "w") as f:
            f.write("\n".join(lines[:20] + ['{"kind":"note","level":"loud"}'] + lines[20:]))
        r = run("replay", path, "--headless", "--format", "jsonl")
        out = [json.loads(line) for line in r.stdout.splitlines()]
        assert len(out) == 21, len(out)  # the 20 events before it, then the error
        assert out[-1]["kind"] == "note" and out[-1]["level"] == "error", out[-1]
        assert out[-1]["text"].startswith(f"{path}:21: "), out[-1]
        assert r.returncode == 1, r.returncode  # the playback failed
