#!/usr/bin/env bash
# Run the unit tests (Check) and the tests of the binary; fail if any fails.
# usage: tests/run-all.sh BUILD_DIR [unit|integration]
set -u
build=${1:-build}
what=${2:-all}
here=$(cd "$(dirname "$0")" && pwd)
failed=0

if [ "$what" != integration ]; then
	for t in "$build"/tests/test_*; do
		[ -x "$t" ] || continue
		echo "== $(basename "$t")"
		if ! timeout 300 "$t"; then
			echo "FAILED: $(basename "$t")"
			failed=1
		fi
	done
fi
if [ "$what" != unit ]; then
	echo "== integration tests (the binary over real loopback sockets)"
	if ! SOCKSTEP="$build/sockstep" timeout 1800 python3 "$here/it/run.py"; then
		failed=1
	fi
fi
if [ $failed -ne 0 ]; then
	echo "make check: FAILED"
	exit 1
fi
echo "make check: all tests passed"
