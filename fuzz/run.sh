#!/usr/bin/env bash
# Build each libFuzzer target with clang (ASan + UBSan) against the library
# sources (everything but src/cli/main.c) and run it for a bounded time from the
# committed seed corpus.  Fails on any crash, leak or sanitizer report.
#
# usage: fuzz/run.sh [TARGET...]     (default: every fuzz/fuzz_*.c)
# env:   FUZZ_SECONDS  seconds per target (default 20)
#        FUZZ_CC       compiler (default clang)
#        FUZZ_KEEP     keep the build and working corpus (prints where)
set -u
cd "$(dirname "$0")/.." || exit 1
root=$(pwd)
secs=${FUZZ_SECONDS:-20}
cc=${FUZZ_CC:-clang}
pkgs="ncursesw libpcap"

if ! command -v "$cc" >/dev/null; then
	echo "fuzz: $cc not found (apt-get install clang)" >&2
	exit 1
fi
# -fsanitize=fuzzer needs libclang_rt.fuzzer (Debian: libclang-rt-NN-dev,
# or part of libclang-common-NN-dev up to clang 14).
probe=$(mktemp -d)
trap 'rm -rf "$probe"' EXIT
printf 'int LLVMFuzzerTestOneInput(const char *d, unsigned long n){return 0;}\n' >"$probe/p.c"
if ! "$cc" -fsanitize=fuzzer "$probe/p.c" -o "$probe/p" 2>"$probe/err"; then
	echo "fuzz: $cc cannot link -fsanitize=fuzzer:" >&2
	head -3 "$probe/err" >&2
	echo "fuzz: install libclang-rt-dev for your clang (e.g. libclang-rt-14-dev)" >&2
	exit 1
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/sockstep-fuzz.XXXXXX")
if [ -z "${FUZZ_KEEP:-}" ]; then
	trap 'rm -rf "$probe" "$work"' EXIT
else
	echo "fuzz: working directory $work"
fi

san="-fsanitize=address,undefined -fno-sanitize-recover=undefined"
cflags="-std=c17 -D_GNU_SOURCE -g -O1 -fno-omit-frame-pointer -Wall -Wextra \
  -Wno-unused-parameter -Iinclude -DSOCKSTEP_VERSION=\"fuzz\" \
  -DSOCKSTEP_DATADIR=\"/usr/local/share/sockstep\" $(pkg-config --cflags $pkgs) $san"
libs=$(pkg-config --libs $pkgs)

# The library once, instrumented for coverage; targets pull what they use.
objs=()
for src in $(ls src/*/*.c | grep -v '^src/cli/main\.c$'); do
	o="$work/obj/${src//\//_}.o"
	mkdir -p "$work/obj"
	"$cc" $cflags -fsanitize=fuzzer-no-link -c "$src" -o "$o" || exit 1
	objs+=("$o")
done
ar rcs "$work/libsockstep-fuzz.a" "${objs[@]}" || exit 1

targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
	for f in fuzz/fuzz_*.c; do
		t=$(basename "$f" .c)
		targets+=("${t#fuzz_}")
	done
fi

export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
failed=()
for t in "${targets[@]}"; do
	t=${t#fuzz_}
	bin="$work/fuzz_$t"
	echo "== fuzz_$t (${secs}s)"
	if ! "$cc" $cflags -fsanitize=fuzzer "fuzz/fuzz_$t.c" \
		"$work/libsockstep-fuzz.a" $libs -o "$bin"; then
		failed+=("$t (build)")
		continue
	fi
	corpus="$work/corpus-$t"
	mkdir -p "$corpus"
	# libFuzzer writes new inputs to the first directory only: the seed
	# corpus in the repository stays as committed.
	dict=()
	[ -f "fuzz/$t.dict" ] && dict=("-dict=$root/fuzz/$t.dict")
	if ! (cd "$work" && "$bin" -max_total_time="$secs" -timeout=10 \
		-rss_limit_mb=2048 -max_len=8192 -print_final_stats=1 \
		"${dict[@]}" "$corpus" "$root/fuzz/corpus/$t") \
		>"$work/$t.log" 2>&1; then
		failed+=("$t")
		grep -E 'ERROR|SUMMARY|runtime error|Test unit written|deadly signal|ParseDictionary' \
			"$work/$t.log" | head -20
		mkdir -p fuzz/crashes
		cp "$work"/crash-* "$work"/leak-* "$work"/timeout-* fuzz/crashes/ 2>/dev/null
		echo "   reproducer(s) copied to fuzz/crashes/; log: $work/$t.log"
		FUZZ_KEEP=1
		trap 'rm -rf "$probe"' EXIT
	else
		grep -E 'stat::number_of_executed_units|stat::peak_rss_mb' \
			"$work/$t.log" | sed 's/^/   /'
		echo "   corpus: $(ls "$corpus" | wc -l) new inputs"
	fi
done
if [ ${#failed[@]} -gt 0 ]; then
	echo "make fuzz: FAILED: ${failed[*]}"
	exit 1
fi
echo "make fuzz: no crash in ${#targets[@]} targets (${secs}s each)"
