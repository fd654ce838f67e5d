#!/usr/bin/env python3
"""Runner for the tests of the sockstep binary.

Every tests/it/test_*.py module holds functions named test_*; each runs in
this process with a bounded time, against the binary named by $SOCKSTEP,
over real loopback sockets.  A test may raise Skip("reason").  Prints a
summary in Check's shape and exits non-zero when a test fails.
"""
import importlib.util
import os
import sys
import time
import traceback

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import harness  # noqa: E402


def main():
    only = sys.argv[1:]
    # One known language for every test: English (C.UTF-8, which has no
    # catalog) whatever the developer's shell asks for.  A test that wants
    # Chinese says so in the environment it gives sockstep (LC_ALL).
    for var in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LC_CTYPE"):
        os.environ.pop(var, None)
    os.environ["LANG"] = "C.UTF-8"
    passed = failed = skipped = 0
    for name in sorted(os.listdir(HERE)):
        if not (name.startswith("test_") and name.endswith(".py")):
            continue
        spec = importlib.util.spec_from_file_location(name[:-3], os.path.join(HERE, name))
        mod = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(mod)
        for fn in sorted(n for n in dir(mod) if n.startswith("test_")):
            full = f"{name[:-3]}.{fn}"
            if only and not any(o in full for o in only):
                continue
            start = time.monotonic()
            try:
                getattr(mod, fn)()
            except harness.Skip as s:
                skipped += 1
                print(f"SKIP  {full}: {s}")
                continue
            except Exception:
                failed += 1
                print(f"FAIL  {full}")
                traceback.print_exc()
                continue
            finally:
                harness.cleanup()
            passed += 1
            print(f"ok    {full} ({time.monotonic() - start:.1f}s)")
    total = passed + failed
    pct = 100 * passed // total if total else 100
    print(f"{pct}%: Checks: {total}, Failures: {failed}, Errors: 0, Skipped: {skipped}")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
