#!/usr/bin/env bash
# sockstep's benchmarks: ratios measured in one run, printed, never asserted.
#
# usage: bench/run.sh [BUILD_DIR]
# env:   BENCH_K        exchanges per server run (default 3000)
#        BENCH_REPEAT   runs of each configuration, median taken (default 7)
#        BENCH_FRAMES   frames drawn per history size (default 200)
#        BENCH_SECONDS  seconds of load for the capture benchmark (default 3)
#        BENCH_EVENTS   events in the big recording (default 1000000)
#        BENCH_ONLY     "trace", "program", "ui", "keys", "recording" or
#                       "capture": one part
set -u
build=${1:-build}
cd "$(dirname "$0")/.." || exit 1
root=$(pwd)
sockstep="$root/$build/sockstep"
k=${BENCH_K:-3000}
only=${BENCH_ONLY:-}
cc=${CC:-cc}
pkgs="ncursesw libpcap"
warn="-Wall -Wextra -Wpedantic -Wshadow -Wno-unused-parameter"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/sockstep-bench.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

[ -x "$sockstep" ] || { echo "bench: $sockstep not built (make)" >&2; exit 1; }
echo "sockstep benchmarks  $(date -u +%Y-%m-%dT%H:%MZ)"
echo "machine: $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'), Linux $(uname -r)"
# Other work on the machine moves every figure: say how busy it was.
echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"

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

# ---- part 1: the cost of seeing the calls, against plain programs ----------
#
# A configuration is a label, a target ratio ("-" for none) and a command
# line in which @PORT@ and @K@ stand for the port and the number of
# exchanges.  Every ratio is a median time over the median time of the
# plain C server, measured in the same run.  A part that brings its own
# server (the tracer of `sockstep trace`) adds its lines in trace_configs.
labels=() targets=() commands=()
add_config() {
	local label=$1 target=$2
	shift 2
	labels+=("$label")
	targets+=("$target")
	commands+=("$(printf '%q ' "$@")")
}

trace_configs() {
	local ss=("$sockstep" server --headless --format jsonl --port @PORT@ --count @K@)
	local net=(strace -f -o /dev/null -e trace=%network)
	add_config "plain C server (bench/plain_server.c)" - "$tmp/plain_server" @PORT@ @K@
	command -v python3 >/dev/null &&
		add_config "the tutorial's Python server" - python3 "$root/bench/seed_server.py" @PORT@ @K@
	if command -v strace >/dev/null; then
		add_config "strace -f -e trace=%network" - "${net[@]}" "$tmp/plain_server" @PORT@ @K@
		add_config "strace -f --seccomp-bpf -e trace=%network" - \
			"${net[@]}" --seccomp-bpf "$tmp/plain_server" @PORT@ @K@
	fi
	add_config "sockstep server (table)" 1.25 "${ss[@]}"
	add_config "sockstep server --no-table" 1.25 "${ss[@]}" --no-table
	add_config "sockstep server --no-trace (machinery only)" - "${ss[@]}" --no-trace
	add_config "sockstep trace (the plain C server)" - \
		"$sockstep" trace --headless --format jsonl -- "$tmp/plain_server" @PORT@ @K@
}

# run_config I: seconds the client took for K exchanges against config I,
# then the CPU seconds the server used (bench/cputime.py).
run_config() {
	local i=$1 port secs rc cmd
	port=$(fresh_port)
	cmd=${commands[$i]//@PORT@/$port}
	cmd=${cmd//@K@/$k}
	# the server's CPU time (its processes', user + system) to $tmp/cpu
	eval "python3 $root/bench/cputime.py $tmp/cpu $cmd" >/dev/null 2>"$tmp/server.err" &
	local pid=$!
	if ! secs=$("$tmp/client" "$port" "$k" 20); then
		echo "bench: ${labels[$i]}: the client failed" >&2
		kill "$pid" 2>/dev/null
		wait "$pid" 2>/dev/null
		head -3 "$tmp/server.err" >&2
		return 1
	fi
	wait "$pid"
	rc=$?
	[ $rc -eq 0 ] || { echo "bench: ${labels[$i]}: server exit $rc" >&2; head -3 "$tmp/server.err" >&2; }
	echo "$secs $(cat "$tmp/cpu" 2>/dev/null || echo 0)"
}

median() { tr ' ' '\n' | grep . | sort -g | awk '{ v[NR] = $1 } END { print (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2) }'; }
minimum() { tr ' ' '\n' | grep . | sort -g | head -1; }

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }'; }

bench_trace() {
	local reps=${BENCH_REPEAT:-7} r i secs cpu base med verdict best base_best cmed cbase
	echo
	echo "== cost of seeing the calls: $k sequential seed exchanges (connect, send \"1\", recv, close)"
	echo "   $reps runs each, configurations alternated; ratio = median time / median time of the plain C server"
	echo "   (best: the fastest run, the least disturbed by other work on the machine)"
	$cc -std=c17 -D_GNU_SOURCE -O2 $warn -o "$tmp/client" bench/client.c || return 1
	$cc -std=c17 -D_GNU_SOURCE -O2 $warn -o "$tmp/plain_server" bench/plain_server.c || return 1
	trace_configs
	# sock_diag dumps walk every TCP socket of the machine: the table's cost
	# grows with them (each run leaves K TIME_WAITs for 60 s).
	echo "   TCP sockets on this machine now: $(($(wc -l </proc/net/tcp) + $(wc -l </proc/net/tcp6) - 2))"
	local times=() cpus=()
	for ((r = 0; r < reps; r++)); do
		for i in "${!labels[@]}"; do
			read -r secs cpu < <(run_config "$i") || return 1
			[ -n "$secs" ] || return 1
			times[$i]="${times[$i]:-} $secs"
			cpus[$i]="${cpus[$i]:-} $cpu"
		done
	done
	# cpu: the server's processes' user + system time per exchange, fixed
	# costs (start, port checks) included
	printf '  %-46s %9s %10s %7s %7s %9s %6s  %s\n' configuration "median s" exchanges/s ratio "best" \
		"cpu us/ex" "ratio" target
	for i in "${!labels[@]}"; do
		med=$(echo "${times[$i]}" | median)
		best=$(echo "${times[$i]}" | minimum)
		cmed=$(echo "${cpus[$i]}" | median)
		[ "$i" -eq 0 ] && base=$med && base_best=$best && cbase=$cmed
		verdict=""
		if [ "${targets[$i]}" != "-" ]; then
			verdict=$(awk -v r="$(ratio "$med" "$base")" -v t="${targets[$i]}" \
				'BEGIN { printf "<= %s: %s", t, (r <= t ? "met" : "NOT met") }')
		fi
		printf '  %-46s %9.4f %10.0f %7s %7s %9.1f %6s  %s\n' "${labels[$i]}" "$med" \
			"$(awk -v k="$k" -v s="$med" 'BEGIN { print (s > 0 ? k / s : 0) }')" \
			"$(ratio "$med" "$base")" "$(ratio "$best" "$base_best")" \
			"$(awk -v k="$k" -v c="$cmed" 'BEGIN { print c * 1e6 / k }')" \
			"$(ratio "$cmed" "$cbase")" "$verdict"
	done
}

# run_program LABEL SERVER PREFIX...: "SECONDS CPU" for K exchanges against
# the plain C server SERVER started under PREFIX (nothing: untraced):
# the client's time, and the user + system CPU seconds of the server's
# whole tree (tracer, sockstep, program), which other work on the machine
# moves far less than the time.
run_program() {
	local label=$1 server=$2
	shift 2
	local port secs
	port=$(fresh_port)
	# `times` in the subshell: its children's CPU, the server's tree
	( "$@" "$server" "$port" "$k" >/dev/null 2>"$tmp/prog.err"; times >"$tmp/times" ) &
	local pid=$!
	if ! secs=$("$tmp/client" "$port" "$k" 20); then
		echo "bench: $label: the client failed" >&2
		kill "$pid" 2>/dev/null
		wait "$pid" 2>/dev/null
		head -3 "$tmp/prog.err" >&2
		return 1
	fi
	wait "$pid"
	echo "$secs $(awk 'NR == 2 { split($1, u, "m"); split($2, s, "m")
		printf "%.3f", u[1] * 60 + u[2] + s[1] * 60 + s[2] }' "$tmp/times")"
}

# bench_one_program TITLE SERVER SAME: the configurations against SERVER,
# alternated; SAME is strace's -e list of every call sockstep stops on.
bench_one_program() {
	local title=$1 server=$2 same=$3
	local reps=${BENCH_REPEAT:-7} r i secs u ub med=() bst=()
	local labels_p=("untraced" "sockstep trace --headless (table on)")
	local prefix=("" "$sockstep trace --headless --format jsonl --")
	echo
	echo "== sockstep trace: $title, $k sequential exchanges"
	echo "   $reps runs each, alternated; ratio = median / median untraced (best: fastest / fastest)"
	if command -v strace >/dev/null; then
		labels_p+=("strace -f -e trace=%network" "strace -f --seccomp-bpf -e trace=%network"
			"strace -f --seccomp-bpf -e trace=$same")
		prefix+=("strace -f -e trace=%network -o /dev/null"
			"strace -f --seccomp-bpf -e trace=%network -o /dev/null"
			"strace -f --seccomp-bpf -e trace=$same -o /dev/null")
	fi
	local times=() cpus=() cpu=() out
	for ((r = 0; r < reps; r++)); do
		for i in "${!labels_p[@]}"; do
			# shellcheck disable=SC2086 # the prefix is words
			out=$(run_program "${labels_p[$i]}" "$server" ${prefix[$i]}) || return 1
			times[i]="${times[$i]:-} ${out% *}"
			cpus[i]="${cpus[$i]:-} ${out#* }"
		done
	done
	printf '  %-60s %9s %7s %7s %7s\n' configuration "median s" ratio best "CPU s"
	for i in "${!labels_p[@]}"; do
		med[i]=$(echo "${times[$i]}" | median)
		bst[i]=$(echo "${times[$i]}" | minimum)
		cpu[i]=$(echo "${cpus[$i]}" | median)
		[ "$i" -eq 0 ] && u=${med[0]} && ub=${bst[0]}
		printf '  %-60s %9.4f %7s %7s %7.3f\n' "${labels_p[$i]}" "${med[$i]}" \
			"$(ratio "${med[$i]}" "$u")" "$(ratio "${bst[$i]}" "$ub")" "${cpu[$i]}"
	done
	if [ "${#labels_p[@]}" -gt 2 ]; then
		local r3 verdict
		r3=$(ratio "${med[1]}" "${med[3]}")
		verdict=$(awk -v r="$r3" 'BEGIN { print (r <= 1 ? "met" : "NOT met") }')
		echo "  sockstep trace / strace --seccomp-bpf %network: median $r3, best $(ratio "${bst[1]}" "${bst[3]}"), CPU $(ratio "${cpu[1]}" "${cpu[3]}")   (target <= 1: $verdict)"
		echo "  sockstep trace / strace --seccomp-bpf $same: median $(ratio "${med[1]}" "${med[4]}"), best $(ratio "${bst[1]}" "${bst[4]}"), CPU $(ratio "${cpu[1]}" "${cpu[4]}")   (the same calls)"
	else
		echo "  strace not installed: no strace figures"
	fi
}

# The target of issue 14: sockstep trace no slower than strace
# --seccomp-bpf %network on the same load.  The seed's plain server
# (recv/send: %network stops on every call sockstep shows but close) is
# the honest load; examples/c/server.c uses read/write, which %network
# lets pass and sockstep stops on.
bench_program() {
	[ -x "$tmp/client" ] || $cc -std=c17 -D_GNU_SOURCE -O2 $warn -o "$tmp/client" bench/client.c || return 1
	[ -x "$tmp/plain_server" ] || $cc -std=c17 -D_GNU_SOURCE -O2 $warn -o "$tmp/plain_server" bench/plain_server.c || return 1
	bench_one_program "bench/plain_server.c (accept, setsockopt, recv, send, close)" \
		"$tmp/plain_server" "%network,close" || return 1
	if [ -x "$root/$build/examples/server" ]; then
		bench_one_program "examples/c/server.c (accept, setsockopt, read, write, close)" \
			"$root/$build/examples/server" "%network,read,write,close"
	else
		echo "  examples/c/server.c skipped: make examples first"
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

# From a key press to the frame showing that step's result: the real UI on
# a pseudo-terminal, the classic exchange, the table on.
bench_keys() {
	local line med
	echo
	echo "== UI: key press (n) to the last frame of that step (120x40 pty, table on)"
	if ! command -v python3 >/dev/null; then
		echo "  skipped: no python3"
		return 0
	fi
	# The kernel's TCP hash is shared by every network namespace: each
	# table dump of the UI walks the host's TIME_WAITs too, so this part
	# runs first, before the server runs leave thousands of them.
	echo "   TIME_WAIT sockets on this host now: $(ss -tanH state time-wait 2>/dev/null | wc -l)"
	line=$(python3 bench/ui_keys.py "$sockstep" 14) || { echo "  ui_keys failed"; return 1; }
	echo "  $line"
	max=$(echo "$line" | awk '{for(i=1;i<=NF;i++) if($i=="max_ms") print $(i+1)}')
	echo "  slowest key-to-frame of the 14 steps: $max ms   (target < 20 ms: $(awk -v m="$max" 'BEGIN { print (m < 20 ? "met" : "NOT met") }'))"
}

# A recording of a million events (a server's long session): replay and
# export read it; the target is under 2 s and under 64 MiB for each.
bench_recording() {
	local n=${BENCH_EVENTS:-1000000}
	echo
	echo "== big recordings: $n events, replayed headless and exported"
	if ! command -v python3 >/dev/null; then
		echo "  skipped: no python3"
		return 0
	fi
	"$sockstep" --headless --format jsonl --port 0 --pause 0 >"$tmp/seed.jsonl" 2>/dev/null
	python3 bench/big_recording.py "$sockstep" "$tmp/seed.jsonl" "$n" "$tmp" | sed 's/^/  /'
	echo "  (target: each under 2 s and under 64 MiB)"
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
"" | keys | ui) bench_keys || rc=1 ;;
esac
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
"" | recording) bench_recording || rc=1 ;;
esac
case "$only" in
"" | capture) bench_capture || rc=1 ;;
esac
exit $rc
