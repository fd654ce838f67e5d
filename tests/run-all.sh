#!/usr/bin/env bash
# Run the unit tests (Check) and the tests of the binary; fail if any fails.
# The last line is the total in Check's own shape.
# usage: tests/run-all.sh BUILD_DIR [unit|integration]
set -u
build=${1:-build}
what=${2:-all}
here=$(cd "$(dirname "$0")" && pwd)
log=$(mktemp)
trap 'rm -f "$log"' EXIT
failed=0

if [ "$what" != integration ]; then
	for t in "$build"/tests/test_*; do
		[ -x "$t" ] || continue
		echo "== $(basename "$t")"
		if ! timeout 300 "$t" 2>&1 | tee -a "$log"; then
			echo "FAILED: $(basename "$t")"
			failed=1
		fi
		[ "${PIPESTATUS[0]}" -eq 0 ] || failed=1
	done
fi
if [ "$what" != unit ]; then
	echo "== integration tests (the binary over real loopback sockets)"
	SOCKSTEP="$build/sockstep" timeout 1800 python3 "$here/it/run.py" 2>&1 | tee -a "$log"
	[ "${PIPESTATUS[0]}" -eq 0 ] || failed=1
fi

# Sum every "NN%: Checks: C, Failures: F, Errors: E" line.
read -r checks failures errors < <(grep -Eo 'Checks: [0-9]+, Failures: [0-9]+, Errors: [0-9]+' "$log" |
	awk -F'[:,] *' '{c += $2; f += $4; e += $6} END {print c + 0, f + 0, e + 0}')
if [ "$checks" -eq 0 ] || { [ $failed -ne 0 ] && [ "$failures" -eq 0 ] && [ "$errors" -eq 0 ]; }; then
	errors=$((errors + 1)) # a runner that crashed or ran nothing counts as an error
fi
passed=$((checks - failures - errors))
[ "$passed" -lt 0 ] && passed=0
pct=$(( checks > 0 ? 100 * passed / checks : 0 ))
echo "make check: $([ $failed -eq 0 ] && echo "all tests passed" || echo FAILED)"
echo "${pct}%: Checks: $checks, Failures: $failures, Errors: $errors"
[ $failed -eq 0 ]
