#!/usr/bin/env bash
# sockstep's benchmarks: ratios measured in one run, printed, never asserted.
#
# usage: bench/run.sh [BUILD_DIR]
# env:   BENCH_K        exchanges per server run (default 2000)
#        BENCH_FRAMES   frames drawn per history size (default 200)
#        BENCH_SECONDS  seconds of load for the capture benchmark (default 3)
#        BENCH_ONLY     "trace", "program", "ui" or "capture" to run one part
set -u
build=${1:-build}
cd "$(dirname "$0")/.." || exit 1
root=$(pwd)
sockstep="$root/$build/sockstep"
k=${BENCH_K:-2000}
only=${BENCH_ONLY:-}
cc=${CC:-cc}
pkgs="ncursesw libpcap"
warn="-Wall -Wextra -Wpedantic -Wshadow -Wno-unused-parameter"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/sockstep-bench.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

[ -x "$sockstep" ] || { echo "bench: $sockstep not built (make)" >&2; exit 1; }
echo "sockstep benchmarks  $(date -u +%Y-%m-%dT%H:%MZ)"
echo "machine: $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'), Linux $(uname -r)"

# A port nobody uses, below the ephemeral range: a server-side TIME_WAIT
# of an earlier run must not make bind() fail, so every run gets its own.
read -r eph_lo _ </proc/sys/net/ipv4/ip_local_port_range
fresh_port() {
	python3 - "$eph_lo" <<'PY'
import random, socket, sys
lo = int(sys.argv[1])
for _ in range(200):
    p = random.randrange(20000, max(20001, lo - 1))
    s = socket.socket()
    try:
        s.bind(("127.0.0.1", p)); print(p); break
    except OSError:
        pass
    finally:
        s.close()
PY
}

# run_server LABEL PREFIX... -- SERVER_OPTIONS...: seconds for K exchanges
run_server() {
	local label=$1; shift
	local pre=()
	while [ "$1" != "--" ]; do pre+=("$1"); shift; done
	shift
	local port secs rc
	port=$(fresh_port)
	"${pre[@]}" "$sockstep" server --headless --format jsonl --port "$port" \
		--count "$k" "$@" >/dev/null 2>"$tmp/server.err" &
	local pid=$!
	if ! secs=$("$tmp/client" "$port" "$k" 20); then
		echo "bench: $label: the client failed" >&2
		kill "$pid" 2>/dev/null
		wait "$pid" 2>/dev/null
		head -3 "$tmp/server.err" >&2
		return 1
	fi
	wait "$pid"
	rc=$?
	[ $rc -eq 0 ] || { echo "bench: $label: server exit $rc" >&2; head -3 "$tmp/server.err" >&2; }
	printf '  %-42s %8.3f s  %7.0f exchanges/s\n' "$label" "$secs" \
		"$(awk -v k="$k" -v s="$secs" 'BEGIN { print k / s }')" >&2
	echo "$secs"
}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }'; }

bench_trace() {
	echo
	echo "== tracing overhead: $k sequential seed exchanges (connect, send \"1\", recv, close)"
	$cc -std=c17 -D_GNU_SOURCE -O2 $warn -o "$tmp/client" bench/client.c || return 1
	local t_tab u_tab t_no u_no s_tab s_no
	# sock_diag dumps walk every TCP socket of the machine: the table's cost
	# grows with them (TIME_WAITs of an earlier run last 60 s).
	echo "  TCP sockets on this machine now: $(($(wc -l </proc/net/tcp) + $(wc -l </proc/net/tcp6) - 2)) (wait 60 s between runs for comparable figures)"
	t_tab=$(run_server "traced, table"       -- ) || return 1
	u_tab=$(run_server "--no-trace, table"   -- --no-trace) || return 1
	t_no=$(run_server  "traced, --no-table"  -- --no-table) || return 1
	u_no=$(run_server  "--no-trace, --no-table" -- --no-trace --no-table) || return 1
	if command -v strace >/dev/null; then
		s_tab=$(run_server "strace -f + --no-trace, table" \
			strace -f -e trace=network -o /dev/null -- --no-trace) || return 1
		s_no=$(run_server "strace -f + --no-trace, --no-table" \
			strace -f -e trace=network -o /dev/null -- --no-trace --no-table) || return 1
	fi
	echo "  ratio traced/untraced (table):      $(ratio "$t_tab" "$u_tab")   (target <= 1.3)"
	echo "  ratio traced/untraced (--no-table): $(ratio "$t_no" "$u_no")   (target <= 1.3)"
	if [ -n "${s_tab:-}" ]; then
		echo "  ratio strace/untraced (table):      $(ratio "$s_tab" "$u_tab")"
		echo "  ratio strace/untraced (--no-table): $(ratio "$s_no" "$u_no")"
	else
		echo "  strace not installed: no strace figures"
	fi
	echo "  cost of the table (traced):         $(ratio "$t_tab" "$t_no")"
}

# run_program LABEL PREFIX...: seconds for K exchanges against the plain C
# server (examples/c/server.c) started under PREFIX (nothing: untraced)
run_program() {
	local label=$1; shift
	local port secs
	port=$(fresh_port)
	"$@" "$root/$build/examples/server" "$port" "$k" >/dev/null 2>"$tmp/prog.err" &
	local pid=$!
	if ! secs=$("$tmp/client" "$port" "$k" 20); then
		echo "bench: $label: the client failed" >&2
		kill "$pid" 2>/dev/null
		wait "$pid" 2>/dev/null
		head -3 "$tmp/prog.err" >&2
		return 1
	fi
	wait "$pid"
	printf '  %-42s %8.3f s  %7.0f exchanges/s\n' "$label" "$secs" \
		"$(awk -v k="$k" -v s="$secs" 'BEGIN { print k / s }')" >&2
	echo "$secs"
}

bench_program() {
	echo
	echo "== sockstep trace: a plain C server (read/write) under $k sequential exchanges"
	[ -x "$root/$build/examples/server" ] || { echo "  skipped: make examples first"; return 0; }
	[ -x "$tmp/client" ] || $cc -std=c17 -D_GNU_SOURCE -O2 $warn -o "$tmp/client" bench/client.c || return 1
	local u t s sb sf
	u=$(run_program "untraced") || return 1
	t=$(run_program "sockstep trace --headless (table on)" \
		"$sockstep" trace --headless --format jsonl --) || return 1
	echo "  ratio sockstep trace/untraced:          $(ratio "$t" "$u")"
	if command -v strace >/dev/null; then
		s=$(run_program "strace -f -e trace=%network" \
			strace -f -e trace=%network -o /dev/null) || return 1
		sb=$(run_program "strace -f --seccomp-bpf -e trace=%network" \
			strace -f --seccomp-bpf -e trace=%network -o /dev/null) || return 1
		# %network leaves out read, write and close, which this server
		# uses on its sockets and sockstep shows: the same calls too
		sf=$(run_program "strace -f --seccomp-bpf, + read,write,close" \
			strace -f --seccomp-bpf -e trace=%network,read,write,close -o /dev/null) || return 1
		echo "  ratio strace/untraced:                  $(ratio "$s" "$u")"
		echo "  ratio strace --seccomp-bpf/untraced:    $(ratio "$sb" "$u")"
		echo "  ratio sockstep trace/strace --seccomp-bpf: $(ratio "$t" "$sb")   (target <= 1)"
		echo "  ratio sockstep trace/strace --seccomp-bpf with read,write,close: $(ratio "$t" "$sf")"
	else
		echo "  strace not installed: no strace figures"
	fi
}

bench_ui() {
	echo
	echo "== UI: one frame (120x40, to a terminal on /dev/null) by events in history"
	if ! $cc -std=c17 -D_GNU_SOURCE -O2 $warn -Iinclude $(pkg-config --cflags $pkgs) \
		-o "$tmp/ui_frame" bench/ui_frame.c "$build/libsockstep.a" \
		$(pkg-config --libs $pkgs) -lm 2>"$tmp/ui.err"; then
		echo "  skipped: bench/ui_frame.c does not build against this tree's UI API:"
		head -5 "$tmp/ui.err" | sed 's/^/    /'
		return 0
	fi
	"$sockstep" --headless --format jsonl --port 0 --pause 0 >"$tmp/trace.jsonl" 2>/dev/null
	local f10 f100k
	for n in 10 10000 100000; do
		# one process per size: ru_maxrss is the peak of that size alone
		TERM=xterm-256color "$tmp/ui_frame" "$tmp/trace.jsonl" "$n" \
			"${BENCH_FRAMES:-200}" >"$tmp/ui.$n" || { echo "  ui_frame $n failed"; return 1; }
		cat "$tmp/ui.$n"
	done
	f10=$(awk '{for(i=1;i<=NF;i++) if($i=="frame_us") print $(i+1)}' "$tmp/ui.10")
	f100k=$(awk '{for(i=1;i<=NF;i++) if($i=="frame_us") print $(i+1)}' "$tmp/ui.100000")
	echo "  ratio frame(100000)/frame(10): $(ratio "$f100k" "$f10")   (target <= 2)"
	echo "  peak memory at 100000 events:  $(awk '{for(i=1;i<=NF;i++) if($i=="maxrss_kib") printf "%.1f MiB", $(i+1)/1024}' "$tmp/ui.100000")   (target < 64 MiB)"
}

bench_capture() {
	echo
	echo "== packet capture on lo: a loopback TCP connection sending small segments"
	if ! $cc -std=c17 -D_GNU_SOURCE -O2 $warn -Iinclude $(pkg-config --cflags $pkgs) \
		-o "$tmp/capture" bench/capture.c "$build/libsockstep.a" \
		$(pkg-config --libs $pkgs) 2>"$tmp/cap.err"; then
		echo "  skipped: bench/capture.c does not build:"; head -5 "$tmp/cap.err"
		return 0
	fi
	"$tmp/capture" "${BENCH_SECONDS:-3}"
}

rc=0
case "$only" in
"" | trace) bench_trace || rc=1 ;;
esac
case "$only" in
"" | program) bench_program || rc=1 ;;
esac
case "$only" in
"" | ui) bench_ui || rc=1 ;;
esac
case "$only" in
"" | capture) bench_capture || rc=1 ;;
esac
exit $rc
