#!/usr/bin/env python3
"""bench/cputime: run a command and write the CPU time (user + system, in
seconds) it and every process it waited for used, to OUTFILE: a figure a
busy machine moves far less than the wall clock.

usage: cputime.py OUTFILE CMD [ARG]...    exit status: CMD's
"""
import os
import subprocess
import sys


def main():
    if len(sys.argv) < 3:
        print("usage: cputime.py OUTFILE CMD [ARG]...", file=sys.stderr)
        return 2
    p = subprocess.Popen(sys.argv[2:])
    # wait4: the rusage of this child and the descendants it waited for
    _, status, usage = os.wait4(p.pid, 0)
    with open(sys.argv[1], "w") as out:
        out.write(f"{usage.ru_utime + usage.ru_stime:.6f}\n")
    return os.waitstatus_to_exitcode(status)


if __name__ == "__main__":
    sys.exit(main())
