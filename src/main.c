/* sockstep: see every step of a socket's life, with the kernel's numbers. */
#include <errno.h>
#include <getopt.h>
#include <netdb.h>
#include <arpa/inet.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sockstep/course.h"
#include "sockstep/director.h"
#include "sockstep/escape.h"
#include "sockstep/export.h"
#include "sockstep/filter.h"
#include "sockstep/output.h"
#include "sockstep/script.h"
#include "sockstep/ui.h"

#define EXIT_USAGE 2
#define EXIT_INTERRUPTED 130

enum mode { MODE_CLASSIC, MODE_SERVER, MODE_CLIENT, MODE_LESSON, MODE_LESSONS, MODE_REPLAY };

struct options {
	enum mode mode;
	const char *what; /* lesson name/number/path, or replay file */
	int headless;
	int jsonl;
	char host[64];
	char family[16];
	char port[8];
	char pause[16];
	int count;
	char send[512];
	int packets; /* -1: default */
	int table;
	const char *record;
	double step_limit;
	int no_trace; /* benchmarks' baseline: the calls without the tracing */
	struct filter filter; /* --filter: what headless output prints */
	int no_quiz;
	/* headless predictions for the lesson's questions, in order */
	char answers[32][64];
	int nanswers;
};

static volatile sig_atomic_t stop_signal;

static void on_stop(int sig)
{
	stop_signal = sig;
}

static void usage(FILE *out)
{
	fprintf(out,
		"Usage: sockstep [OPTION]...                 the seed's exchange, step by step, in the UI\n"
		"  or:  sockstep server [OPTION]...          trace the seed's server for any client (nc, Python)\n"
		"  or:  sockstep client [OPTION]...          trace the seed's client against any server\n"
		"  or:  sockstep lessons                     list the course\n"
		"  or:  sockstep N | NAME | FILE.md          run a lesson\n"
		"  or:  sockstep replay FILE.jsonl           step through a recorded session\n"
		"  or:  sockstep export [--format mermaid|plantuml|svg] FILE.jsonl   draw it as a diagram\n"
		"\n"
		"Every step is a real socket call; what is shown comes from the kernel.\n"
		"\n"
		"  -H, --headless        no UI: print the trace and exit\n"
		"  -f, --format FMT      headless output: text (default) or jsonl\n"
		"      --host HOST       address to bind or connect to (default 127.0.0.1)\n"
		"  -p, --port N          port, 0 lets the kernel choose (default 9001)\n"
		"      --pause SECONDS   the client's pause before sending (default 2)\n"
		"  -c, --count K         server mode: clients to serve (default 1)\n"
		"      --send MSG        client mode: what to send (default 1)\n"
		"      --packets         capture packets (needs CAP_NET_RAW)\n"
		"      --no-packets      do not capture packets\n"
		"      --no-table        no kernel socket table\n"
		"      --record FILE     write the session's JSONL trace to FILE\n"
		"      --filter EXPR     headless: print only matching events (actor=client,\n"
		"                        call=connect, errno, kind=packet, flags=S, port=N, fd=N)\n"
		"      --step-limit S    give up when a step cannot begin for S seconds\n"
		"      --no-trace        make the calls without tracing them (benchmark baseline)\n"
		"      --no-quiz         do not ask the lesson's predict-then-step questions\n"
		"      --answer VALUE    headless: answer the next question (repeatable)\n"
		"      --answers FILE    headless: answers, one a line\n"
		"  -h, --help            show this help and exit\n"
		"  -V, --version         show the version and exit\n"
		"\n"
		"Exit status: 0 all steps ran as expected, 1 a step failed or an\n"
		"expectation did not hold, 2 bad usage, 130 interrupted.\n"
		"Trace format: docs/trace-format.md.  Lessons: lessons/README.md.\n");
}

static int usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int usage_error(const char *fmt, ...)
{
	va_list ap;
	char msg[512], shown[1024];

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	/* the message quotes what the user typed: never echo control bytes */
	escape_string(shown, sizeof shown, msg);
	fprintf(stderr, "sockstep: %s\nTry 'sockstep --help' for more information.\n",
		shown);
	return EXIT_USAGE;
}

static int parse_port(const char *s, char *out, size_t outsz)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (*s == '\0' || *end || errno || v < 0 || v > 65535)
		return -1;
	snprintf(out, outsz, "%ld", v);
	return 0;
}

/* Resolve the host once, up front, so a typo is a usage error and not a
 * failed step; the numeric address is what every step then shows. */
static int resolve_host(struct options *o, const char *host)
{
	struct addrinfo hints, *res = NULL, *ai;
	char num[INET6_ADDRSTRLEN];
	int rc;

	memset(&hints, 0, sizeof hints);
	hints.ai_socktype = SOCK_STREAM;
	rc = getaddrinfo(host, NULL, &hints, &res);
	if (rc != 0 || res == NULL) {
		char shown[128];
		escape_string(shown, sizeof shown, host);
		fprintf(stderr, "sockstep: cannot resolve host '%s': %s\n", shown,
			gai_strerror(rc));
		return -1;
	}
	ai = res;
	for (struct addrinfo *a = res; a; a = a->ai_next)
		if (a->ai_family == AF_INET) {
			ai = a;
			break;
		}
	if (ai->ai_family == AF_INET6) {
		inet_ntop(AF_INET6, &((struct sockaddr_in6 *)ai->ai_addr)->sin6_addr,
			  num, sizeof num);
		snprintf(o->family, sizeof o->family, "AF_INET6");
	} else {
		inet_ntop(AF_INET, &((struct sockaddr_in *)ai->ai_addr)->sin_addr,
			  num, sizeof num);
		snprintf(o->family, sizeof o->family, "AF_INET");
	}
	snprintf(o->host, sizeof o->host, "%s", num);
	freeaddrinfo(res);
	return 0;
}

/* --send goes inside a quoted string of the script: escape it. */
static int quote_send(const char *in, char *out, size_t outsz)
{
	size_t n = 0;

	for (; *in; in++) {
		unsigned char c = (unsigned char)*in;
		if (n + 5 >= outsz)
			return -1;
		if (c == '"' || c == '\\') {
			out[n++] = '\\';
			out[n++] = (char)c;
		} else if (c < 0x20 || c >= 0x7f) {
			n += (size_t)snprintf(out + n, outsz - n, "\\x%02x", c);
		} else {
			out[n++] = (char)c;
		}
	}
	out[n] = '\0';
	return 0;
}

/* One answer a line; blank lines and # comments are skipped. */
static int read_answers(struct options *o, const char *path)
{
	FILE *f = fopen(path, "r");
	char line[256];

	if (f == NULL) {
		fprintf(stderr, "sockstep: cannot read answers from %s: %s\n", path,
			strerror(errno));
		return -1;
	}
	while (fgets(line, sizeof line, f)) {
		line[strcspn(line, "\r\n")] = '\0';
		if (line[0] == '\0' || line[0] == '#')
			continue;
		if (o->nanswers == 32 || strlen(line) >= sizeof o->answers[0]) {
			fprintf(stderr, "sockstep: %s: too many or too long answers\n", path);
			fclose(f);
			return -1;
		}
		snprintf(o->answers[o->nanswers++], sizeof o->answers[0], "%s", line);
	}
	fclose(f);
	return 0;
}

static int parse_options(int argc, char **argv, struct options *o)
{
	static const struct option longopts[] = {
		{"headless", no_argument, NULL, 'H'},
		{"format", required_argument, NULL, 'f'},
		{"host", required_argument, NULL, 1},
		{"port", required_argument, NULL, 'p'},
		{"pause", required_argument, NULL, 2},
		{"count", required_argument, NULL, 'c'},
		{"send", required_argument, NULL, 3},
		{"packets", no_argument, NULL, 4},
		{"no-packets", no_argument, NULL, 5},
		{"no-table", no_argument, NULL, 6},
		{"record", required_argument, NULL, 7},
		{"step-limit", required_argument, NULL, 8},
		{"no-trace", no_argument, NULL, 9},
		{"filter", required_argument, NULL, 20},
		{"no-quiz", no_argument, NULL, 10},
		{"answer", required_argument, NULL, 11},
		{"answers", required_argument, NULL, 12},
		{"help", no_argument, NULL, 'h'},
		{"version", no_argument, NULL, 'V'},
		{NULL, 0, NULL, 0}};
	const char *host = "127.0.0.1";
	int c;
	char *end;

	memset(o, 0, sizeof *o);
	o->packets = -1;
	o->table = 1;
	o->count = 1;
	snprintf(o->port, sizeof o->port, "9001");
	snprintf(o->pause, sizeof o->pause, "2");
	snprintf(o->send, sizeof o->send, "1");
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":Hf:p:c:hV", longopts, NULL)) != -1) {
		switch (c) {
		case 'H':
			o->headless = 1;
			break;
		case 'f':
			if (strcmp(optarg, "jsonl") == 0)
				o->jsonl = 1;
			else if (strcmp(optarg, "text") != 0)
				return usage_error("invalid format '%s': expected text or jsonl", optarg);
			break;
		case 1:
			host = optarg;
			break;
		case 'p':
			if (parse_port(optarg, o->port, sizeof o->port) < 0)
				return usage_error("invalid port '%s': expected a number from 0 to 65535", optarg);
			break;
		case 2: {
			double p = strtod(optarg, &end);
			if (*optarg == '\0' || *end || !(p >= 0 && p <= 60))
				return usage_error("invalid pause '%s': expected seconds from 0 to 60", optarg);
			snprintf(o->pause, sizeof o->pause, "%g", p);
			break;
		}
		case 'c': {
			long k = strtol(optarg, &end, 10);
			if (*optarg == '\0' || *end || k < 1 || k > 100000)
				return usage_error("invalid count '%s': expected a number from 1 to 100000", optarg);
			o->count = (int)k;
			break;
		}
		case 3:
			if (strlen(optarg) > 100 || quote_send(optarg, o->send, sizeof o->send) < 0)
				return usage_error("message too long: '%.40s...' (at most 100 bytes)", optarg);
			break;
		case 4:
			o->packets = 1;
			break;
		case 5:
			o->packets = 0;
			break;
		case 6:
			o->table = 0;
			break;
		case 7:
			o->record = optarg;
			break;
		case 8:
			o->step_limit = strtod(optarg, &end);
			if (*optarg == '\0' || *end || !(o->step_limit > 0 && o->step_limit <= 86400))
				return usage_error("invalid step limit '%s': expected seconds", optarg);
			break;
		case 9:
			o->no_trace = 1;
			break;
		case 20: {
			char ferr[256];
			if (filter_parse(&o->filter, optarg, ferr, sizeof ferr) < 0)
				return usage_error("%s", ferr);
			break;
		}
		case 10:
			o->no_quiz = 1;
			break;
		case 11:
			if (o->nanswers == 32 || strlen(optarg) >= sizeof o->answers[0])
				return usage_error("too many or too long answers (32 of at most 63 bytes)");
			snprintf(o->answers[o->nanswers++], sizeof o->answers[0], "%s", optarg);
			break;
		case 12:
			if (read_answers(o, optarg) < 0)
				return EXIT_USAGE;
			break;
		case 'h':
			usage(stdout);
			exit(0);
		case 'V':
			printf("sockstep %s\n", SOCKSTEP_VERSION);
			exit(0);
		case ':': {
			char opt[64];
			escape_string(opt, sizeof opt, argv[optind - 1]);
			return usage_error("option '%s' requires an argument", opt);
		}
		case '?':
		default: {
			char opt[64];
			if (optopt)
				return usage_error("invalid option -- '%c'",
						   optopt > 0x20 && optopt < 0x7f ? optopt : '?');
			escape_string(opt, sizeof opt, argv[optind - 1]);
			return usage_error("unrecognized option '%s'", opt);
		}
		}
	}
	if (optind < argc) {
		const char *cmd = argv[optind++];
		if (strcmp(cmd, "server") == 0)
			o->mode = MODE_SERVER;
		else if (strcmp(cmd, "client") == 0)
			o->mode = MODE_CLIENT;
		else if (strcmp(cmd, "lessons") == 0)
			o->mode = MODE_LESSONS;
		else if (strcmp(cmd, "replay") == 0) {
			o->mode = MODE_REPLAY;
			if (optind >= argc)
				return usage_error("%s needs a trace file", "replay");
			o->what = argv[optind++];
		} else {
			o->mode = MODE_LESSON;
			o->what = cmd;
		}
	}
	if (optind < argc)
		return usage_error("unexpected argument '%s'", argv[optind]);
	if (resolve_host(o, host) < 0)
		return EXIT_USAGE;
	return 0;
}

static int list_lessons(const char *argv0)
{
	char dir[COURSE_PATH_MAX];
	struct course_entry list[COURSE_MAX];
	int n;

	if (course_dir(argv0, dir, sizeof dir) < 0) {
		fprintf(stderr, "sockstep: no lessons folder found (set SOCKSTEP_LESSONS)\n");
		return 1;
	}
	n = course_list(dir, list, COURSE_MAX);
	for (int i = 0; i < n; i++) {
		struct ss_script sc;
		char err[256];
		if (script_load(&sc, list[i].path, NULL, 0, err, sizeof err) < 0) {
			printf("%2d  %-22s (cannot load: %s)\n", list[i].number, list[i].name, err);
			continue;
		}
		printf("%2d  %-22s %s\n    %s\n", list[i].number, list[i].name, sc.title,
		       sc.summary);
		script_free(&sc);
	}
	return 0;
}

static int build_script(const struct options *o, const char *path,
			struct ss_script *sc)
{
	char pid[16];
	char err[512];
	int rc;
	struct script_var vars[] = {
		{"host", o->host}, {"port", o->port}, {"pause", o->pause},
		{"send", o->send}, {"family", o->family}, {"pid", pid}};
	size_t nvars = sizeof vars / sizeof vars[0];

	snprintf(pid, sizeof pid, "%d", (int)getpid());
	switch (o->mode) {
	case MODE_SERVER:
		rc = script_seed_server(sc, vars, nvars, o->count, err, sizeof err);
		break;
	case MODE_CLIENT:
		rc = script_seed_client(sc, vars, nvars, err, sizeof err);
		break;
	case MODE_LESSON:
		rc = script_load(sc, path, vars, nvars, err, sizeof err);
		break;
	default:
		rc = script_classic(sc, vars, nvars, err, sizeof err);
		break;
	}
	if (rc < 0)
		fprintf(stderr, "sockstep: %s\n", err);
	return rc;
}

static int run_headless(struct director *d, const struct options *o)
{
	struct output_text text;
	struct director_status st;
	char err[256];
	struct filter_sink fs;

	output_text_init(&text, stdout);
	/* --filter narrows what is printed, never what --record keeps. */
	fs.filter = &o->filter;
	fs.sink = o->jsonl ? output_jsonl_sink : output_text_sink;
	fs.ctx = o->jsonl ? (void *)stdout : (void *)&text;
	director_add_sink(d, filter_sink, &fs);
	if (director_start(d, err, sizeof err) < 0) {
		fprintf(stderr, "sockstep: %s\n", err);
		return 1;
	}
	int next_answer = 0;

	for (;;) {
		director_status(d, &st);
		if (st.done || stop_signal)
			break;
		director_next(d);
		if (director_question(d, NULL, 0))
			director_answer(d, next_answer < o->nanswers
						   ? o->answers[next_answer++] : NULL);
		if (director_pump(d, 50) < 0)
			break;
	}
	if (!o->jsonl)
		output_text_flush(&text);
	if (stop_signal)
		return EXIT_INTERRUPTED;
	if (director_first_failure(d))
		fprintf(stderr, "sockstep: %s\n", director_first_failure(d));
	return st.failures ? 1 : 0;
}

static enum ui_result run_ui(struct director *d, const struct options *o,
			     const struct ss_script *sc, char *err, size_t errsz)
{
	struct ui_opts uo;

	memset(&uo, 0, sizeof uo);
	uo.title = o->mode == MODE_REPLAY ? o->what : sc->title;
	uo.mode = o->mode == MODE_SERVER   ? "server"
		  : o->mode == MODE_CLIENT ? "client"
		  : o->mode == MODE_REPLAY ? "replay"
		  : o->mode == MODE_LESSON ? "lesson"
					   : "live";
	uo.one_sided = o->mode == MODE_SERVER || o->mode == MODE_CLIENT;
	uo.lesson_nav = o->mode == MODE_LESSON;
	if (director_start(d, err, errsz) < 0)
		return UI_ERROR;
	return ui_run(d, &uo, err, errsz);
}

/* Run one session (a lesson, the classic exchange, a mode, a replay).
 * Returns the exit status, or -1/-2 to move to the next/previous lesson. */
static int run_session(const struct options *o, const char *path)
{
	struct ss_script sc;
	struct director_opts dopts;
	struct director *d;
	char err[512];
	FILE *record = NULL;
	int rc;

	memset(&sc, 0, sizeof sc);
	if (o->mode != MODE_REPLAY && build_script(o, path, &sc) < 0)
		return EXIT_USAGE;
	memset(&dopts, 0, sizeof dopts);
	dopts.script = o->mode == MODE_REPLAY ? NULL : &sc;
	dopts.replay_path = o->mode == MODE_REPLAY ? o->what : NULL;
	dopts.packets = o->packets < 0 ? !o->headless : o->packets;
	dopts.table = o->table;
	dopts.tracing = !o->no_trace;
	dopts.step_limit = o->step_limit > 0		? o->step_limit
			   : o->mode == MODE_SERVER ? 3600
						    : 30;
	d = director_new(&dopts, err, sizeof err);
	if (d == NULL) {
		fprintf(stderr, "sockstep: %s\n", err);
		script_free(&sc);
		return 1;
	}
	/* Questions are asked in the UI; headless only when answers are given. */
	director_set_quiz(d, !o->no_quiz && (!o->headless || o->nanswers > 0));
	if (o->record) {
		record = fopen(o->record, "w");
		if (record == NULL) {
			fprintf(stderr, "sockstep: cannot write %s: %s\n", o->record,
				strerror(errno));
			director_free(d);
			script_free(&sc);
			return EXIT_USAGE;
		}
		director_add_sink(d, output_jsonl_sink, record);
	}
	if (o->headless) {
		rc = run_headless(d, o);
	} else {
		enum ui_result r = run_ui(d, o, &sc, err, sizeof err);
		rc = r == UI_ERROR	    ? 1
		     : r == UI_INTERRUPTED  ? EXIT_INTERRUPTED
		     : r == UI_NEXT_LESSON  ? -1
		     : r == UI_PREV_LESSON  ? -2
					    : 0;
		if (r == UI_ERROR)
			fprintf(stderr, "sockstep: %s\n", err);
	}
	director_free(d);
	if (record)
		fclose(record);
	script_free(&sc);
	return rc;
}

int main(int argc, char **argv)
{
	struct options o;
	char path[COURSE_PATH_MAX] = "";
	char dir[COURSE_PATH_MAX] = "";
	int rc;
	struct sigaction sa;

	if (argc > 1 && strcmp(argv[1], "export") == 0)
		return export_main(argc - 1, argv + 1);
	rc = parse_options(argc, argv, &o);
	if (rc)
		return rc;
	if (o.mode == MODE_LESSONS)
		return list_lessons(argv[0]);
	if (o.mode == MODE_LESSON) {
		course_dir(argv[0], dir, sizeof dir);
		if (course_find(dir, o.what, path, sizeof path) < 0) {
			fprintf(stderr, "sockstep: no lesson or command '%s' (see 'sockstep lessons' and 'sockstep --help')\n",
				o.what);
			return EXIT_USAGE;
		}
	}
	if (strcmp(o.host, "0.0.0.0") == 0 || strcmp(o.host, "::") == 0)
		fprintf(stderr, "sockstep: note: %s binds to all interfaces: other machines can connect\n",
			o.host);

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_stop;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);

	for (;;) {
		struct course_entry list[COURSE_MAX];
		int n, at;

		rc = run_session(&o, path);
		if (rc >= 0)
			return rc;
		/* N / P in the UI: the next or previous lesson of the course */
		n = course_list(dir, list, COURSE_MAX);
		at = course_index(list, n, path);
		if (at < 0)
			return 0;
		at += rc == -1 ? 1 : -1;
		if (at < 0 || at >= n)
			at = at < 0 ? 0 : n - 1;
		snprintf(path, sizeof path, "%s", list[at].path);
	}
}
