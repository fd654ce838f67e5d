#!/usr/bin/env python3
"""bench/big_recording: replay and export of a recording of N events.

Builds a recording of N events from a real session's trace (SEED.jsonl,
its lines over and over, times shifted, step numbers continued, as a
server serving client after client would record it), then runs, one
process each:
  sockstep replay FILE --headless --format jsonl   (every event played)
  sockstep export --format F FILE     (a diagram of it: mermaid, svg, html)
and prints, for each, the seconds it took and its peak memory (the
kernel's ru_maxrss of that child), or how it refused; and for replay the
time to its first step (what the UI waits before it can draw: the load).

usage: big_recording.py SOCKSTEP SEED.jsonl N TMPDIR
Prints lines:  <what> events N seconds S maxrss_mib M exit E [refused: ...]
"""
import json
import os
import subprocess
import sys
import time


def build(seed, n, path):
    """Write n events: the seed's lines repeated, later in time each round."""
    lines = [json.loads(l) for l in open(seed) if l.strip()]
    span = max(e["t"] for e in lines) + 0.001
    steps = max((e.get("index") or 0) for e in lines if e["kind"] == "step")
    written = 0
    rnd = 0
    with open(path, "w") as out:
        while written < n:
            for e in lines:
                if written == n:
                    break
                e2 = dict(e)
                e2["t"] = round(e["t"] + rnd * span, 6)
                if e2["kind"] == "step":
                    e2["index"] = e["index"] + rnd * steps
                    e2["count"] = None
                out.write(json.dumps(e2, separators=(",", ":")) + "\n")
                written += 1
            rnd += 1


def measure(label, argv, n):
    t0 = time.monotonic()
    p = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                         text=True)
    err = p.stderr.read()
    # wait4: the rusage of this child alone (ru_maxrss in KiB)
    _, status, usage = os.wait4(p.pid, 0)
    p.returncode = os.waitstatus_to_exitcode(status)
    secs = time.monotonic() - t0
    why = ""
    if p.returncode != 0:
        why = " refused: " + (err.strip().splitlines() or ["?"])[0][:100]
    print(f"{label:8s} events {n} seconds {secs:.2f} maxrss_mib "
          f"{usage.ru_maxrss / 1024:.1f} exit {p.returncode}{why}")


def first_step(argv):
    """Seconds from the start to the first line replay writes (its first
    step, read from the file), then the process is ended."""
    t0 = time.monotonic()
    p = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    p.stdout.readline()
    secs = time.monotonic() - t0
    p.kill()
    p.wait()
    p.stdout.close()
    return secs


def main():
    if len(sys.argv) != 5:
        print("usage: big_recording.py SOCKSTEP SEED.jsonl N TMPDIR", file=sys.stderr)
        return 2
    sockstep, seed, n, tmp = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
    path = os.path.join(tmp, f"big-{n}.jsonl")
    build(seed, n, path)
    print(f"recording {path}: {os.path.getsize(path) / 1048576:.0f} MiB")
    replay = [sockstep, "replay", path, "--headless", "--format", "jsonl"]
    print(f"load     events {n} first_step_seconds {first_step(replay):.3f}")
    measure("replay", replay, n)
    for fmt in ("mermaid", "svg", "html"):
        measure(fmt, [sockstep, "export", "--format", fmt, path], n)
    os.unlink(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
