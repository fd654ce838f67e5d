/* sockstep: see every step of a socket's life, with the kernel's numbers. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <netdb.h>
#include <arpa/inet.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sockstep/addr.h"
#include "sockstep/capture.h"
#include "sockstep/course.h"
#include "sockstep/director.h"
#include "sockstep/escape.h"
#include "sockstep/export_cmd.h"
#include "sockstep/files.h"
#include "sockstep/filter.h"
#include "sockstep/i18n.h"
#include "sockstep/network.h"
#include "sockstep/options.h"
#include "sockstep/output.h"
#include "sockstep/lesson.h"
#include "sockstep/script.h"
#include "sockstep/seed.h"
#include "sockstep/trace_cmd.h"
#include "sockstep/ui.h"

#define EXIT_USAGE 2
#define EXIT_INTERRUPTED 130
/* stdout's reader went away (`| head -1`): stop quietly with the status a
 * program killed by SIGPIPE has, as the shell's other tools do. */
#define EXIT_BROKEN_PIPE 141

static volatile sig_atomic_t stop_signal;

static void on_stop(int sig)
{
	stop_signal = sig;
}

/* Started with stdin, stdout or stderr closed (`sockstep <&- >&- 2>&-`),
 * the next open() would take fd 0, 1 or 2: the event pipe would become
 * "stderr", and an actor's dup2() onto 2 would close it under us.  Hold
 * each with /dev/null, as a daemon does, before anything is opened. */
static void std_fds_hold(void)
{
	for (int fd = 0; fd <= 2; fd++)
		if (fcntl(fd, F_GETFD) < 0 && errno == EBADF &&
		    open("/dev/null", fd == 0 ? O_RDONLY : O_WRONLY) != fd)
			_exit(EXIT_USAGE);
}

/* --host names every interface (0.0.0.0, ::, ::ffff:0.0.0.0), as the
 * addr vocabulary decides. */
static int host_is_any(const char *host)
{
	struct ss_addr a;

	memset(&a, 0, sizeof a);
	a.kind = strchr(host, ':') ? SS_ADDR_INET6 : SS_ADDR_INET;
	snprintf(a.host, sizeof a.host, "%s", host);
	return addr_is_any(&a);
}

/* One line of the listing: number, name, title, then the summary.  A
 * lesson shown in English to a learner of another language says so. */
static void list_one(const struct course_entry *e, const char *lang)
{
	struct ss_script sc;
	/* a lessons folder may hold anything: names, titles and errors are
	 * shown escaped */
	char err[256], name[128], title[512], summary[1024];
	int english = strcmp(lang, "en") != 0 && !e->translated;

	escape_string(name, sizeof name, e->name);
	if (lesson_load(&sc, e->path, NULL, 0, err, sizeof err) < 0) {
		escape_text(title, sizeof title, err);
		printf("%2d  %-22s ", e->number, name);
		printf(_("(cannot load: %s)\n"), title);
		return;
	}
	/* a title and summary may be Chinese: printable UTF-8 stays */
	escape_text(title, sizeof title, sc.title);
	escape_text(summary, sizeof summary, sc.summary);
	printf("%2d  %-22s %s%s%s\n    %s\n", e->number, name, title,
	       english ? " " : "", english ? _("(in English)") : "", summary);
	script_free(&sc);
}

static int list_lessons(const char *argv0)
{
	char dir[COURSE_PATH_MAX];
	struct course_entry list[COURSE_MAX];
	const char *lang = i18n_language();
	int n;

	if (course_dir(argv0, dir, sizeof dir) < 0) {
		fprintf(stderr, "sockstep: %s\n", _("no lessons folder found (set SOCKSTEP_LESSONS)"));
		return 1;
	}
	n = course_list(dir, lang, list, COURSE_MAX);
	for (int i = 0; i < n; i++)
		list_one(&list[i], lang);
	/* `sockstep lessons >/dev/full` is an error, `| head -1` is not */
	if (fflush(stdout) != 0 && errno != EPIPE) {
		fprintf(stderr, _("sockstep: cannot write the output: %s\n"), strerror(errno));
		return 1;
	}
	return 0;
}

static int build_script(const struct options *o, const char *path,
			const struct session_net *net, struct ss_script *sc)
{
	char pid[16];
	char err[512];
	int rc;
	struct script_var vars[] = {
		{"host", o->host}, {"port", o->port}, {"pause", o->pause},
		{"send", o->send}, {"family", o->family}, {"pid", pid},
		{"reuse", net->reuse_say}};
	size_t nvars = sizeof vars / sizeof vars[0];

	snprintf(pid, sizeof pid, "%d", (int)getpid());
	switch (o->mode) {
	case MODE_SERVER:
		rc = seed_server(sc, vars, nvars, o->count, err, sizeof err);
		break;
	case MODE_CLIENT:
		rc = seed_client(sc, vars, nvars, err, sizeof err);
		break;
	case MODE_LESSON:
		rc = lesson_load(sc, path, vars, nvars, err, sizeof err);
		break;
	default:
		rc = seed_classic(sc, vars, nvars, err, sizeof err);
		break;
	}
	if (rc < 0)
		fprintf(stderr, "sockstep: %s\n", err);
	return rc;
}

/* The exit status after a failed write to stdout: EPIPE (the reader went
 * away) ends quietly, any other failure (a full disk) with one line.
 * 0 when nothing failed. */
static int output_failure(int out_err)
{
	if (out_err == EPIPE)
		return EXIT_BROKEN_PIPE;
	if (out_err) {
		fprintf(stderr, _("sockstep: cannot write the output: %s\n"),
			strerror(out_err));
		return 1;
	}
	return 0;
}

static int run_headless(struct director *d, const struct options *o,
			const struct output_file *record)
{
	struct output_text text;
	struct output_file json = {stdout, 0};
	struct director_status st;
	char err[256];
	struct filter_sink fs;
	int failed;

	output_text_init(&text, stdout);
	/* --filter narrows what is printed, never what --record keeps. */
	fs.filter = &o->filter;
	fs.sink = o->jsonl ? output_jsonl_sink : output_text_sink;
	fs.ctx = o->jsonl ? (void *)&json : (void *)&text;
	director_add_sink(d, filter_sink, &fs);
	if (director_start(d, err, sizeof err) < 0) {
		fprintf(stderr, "sockstep: %s\n", err);
		return 1;
	}
	int next_answer = 0;

	for (;;) {
		director_status(d, &st);
		/* A failed write stops the session: what follows would be lost. */
		if (st.done || stop_signal || text.err || json.err ||
		    (record && record->err))
			break;
		director_next(d);
		if (director_question(d, NULL, 0))
			director_answer(d, next_answer < o->nanswers
						   ? o->answers[next_answer++] : NULL);
		if (director_pump(d, 50) < 0)
			break;
		/* What this pump delivered, out at once for a reader of the
		 * pipe; one write for many events when they come fast. */
		output_file_flush(&json);
	}
	output_file_flush(&json);
	if (!o->jsonl)
		output_text_flush(&text);
	failed = output_failure(text.err ? text.err : json.err);
	if (failed)
		return failed;
	if (stop_signal)
		return EXIT_INTERRUPTED;
	if (director_first_failure(d))
		fprintf(stderr, "sockstep: %s\n", director_first_failure(d));
	return st.failures ? 1 : 0;
}

static void run_free(void *ctx)
{
	trace_source_run_free(ctx);
}

static enum ui_result run_ui(struct director *d, const struct options *o,
			     const struct ss_script *sc, int private_net,
			     struct source *src, const struct output_file *record,
			     char *err, size_t errsz)
{
	struct ui_opts uo;

	memset(&uo, 0, sizeof uo);
	uo.write_error = &record->err; /* --record failing ends the UI */
	uo.title = o->mode == MODE_REPLAY ? o->what
		   : o->mode == MODE_TRACE ? _("your programs, traced")
					   : sc->title;
	uo.mode = o->mode == MODE_SERVER   ? "server"
		  : o->mode == MODE_CLIENT ? "client"
		  : o->mode == MODE_REPLAY ? "replay"
		  : o->mode == MODE_LESSON ? "lesson"
		  : o->mode == MODE_TRACE  ? "trace"
					   : "live";
	/* one traced program: its pane is live, the other lists its peers */
	uo.one_sided = o->mode == MODE_SERVER || o->mode == MODE_CLIENT ||
		       (o->mode == MODE_TRACE && o->trace_server == NULL);
	if (o->mode == MODE_TRACE) {
		uo.run_free = run_free;
		uo.run_free_ctx = src;
		uo.pick_side = o->trace_server != NULL;
	}
	uo.lesson_nav = o->mode == MODE_LESSON;
	uo.present = o->present;
	uo.network = o->mode == MODE_REPLAY ? NULL
		     : private_net	    ? _("private net")
					    : _("host net");
	if (director_start(d, err, errsz) < 0)
		return UI_ERROR;
	return ui_run(d, &uo, err, errsz);
}

/* Binding 0.0.0.0 opens the host to others; in a private network "all
 * interfaces" is its lo alone.  Said once. */
static void say_wildcard(const struct options *o, const struct session_net *net)
{
	static int said;

	if (said || !host_is_any(o->host))
		return;
	said = 1;
	if (net->private_net)
		fprintf(stderr, _("sockstep: note: %s binds to all interfaces of the private network: only its lo, nothing outside can connect\n"),
			o->host);
	else if (o->mode != MODE_REPLAY)
		fprintf(stderr, _("sockstep: note: %s binds to all interfaces: other machines can connect\n"),
			o->host);
}

/* Closing the record may be its first failed write (the last buffer):
 * kept in record->err like the others. */
static void close_files(struct output_file *record, struct capture_file *pcap)
{
	if (record->out && fclose(record->out) != 0 && record->err == 0)
		record->err = errno;
	record->out = NULL;
	if (pcap && capture_file_close(pcap) < 0)
		fprintf(stderr, "sockstep: %s\n", _("writing the capture file failed"));
}

/* --record and --pcap, opened on the host's side before any namespace
 * (O_CLOEXEC: exec'd programs never inherit them; actors close them,
 * actor.h), by files.c: a FIFO nobody reads is refused, not waited on,
 * and a replay's recording is never truncated by its own --record.
 * 0, or -1 after one line on stderr. */
static int open_files(const struct options *o, struct output_file *record,
		      struct capture_file **pcap)
{
	const char *input = o->mode == MODE_REPLAY ? o->what : NULL;
	char err[512];
	FILE *f = NULL;

	record->out = NULL;
	record->err = 0;
	*pcap = NULL;
	if (o->record && (record->out = files_write(o->record, input, err, sizeof err)) == NULL) {
		fprintf(stderr, "sockstep: %s\n", err);
		return -1;
	}
	/* A line at a time: the file is complete up to the last event
	 * whatever ends the session, and a failed write is seen at once. */
	if (record->out)
		setvbuf(record->out, NULL, _IOLBF, 0);
	if (o->pcap && ((f = files_write(o->pcap, input, err, sizeof err)) == NULL ||
			(*pcap = capture_file_new(f)) == NULL)) {
		if (f) {
			snprintf(err, sizeof err, _("cannot write the capture file: %s"), strerror(errno));
			fclose(f);
		}
		fprintf(stderr, "sockstep: %s\n", err);
		close_files(record, NULL);
		return -1;
	}
	return 0;
}

/* The session's source of events: a recording, traced programs (sockstep
 * trace, or a lesson about real programs), or the script's actors. */
static struct source *make_source(const struct options *o, const struct ss_script *sc,
				  const struct trace_spec *spec, char *err, size_t errsz)
{
	if (o->mode == MODE_REPLAY)
		return replay_source_new(o->what, err, errsz);
	if (o->mode == MODE_TRACE || sc->trace_server[0])
		return trace_source_new(spec, err, errsz);
	return actors_source_new(sc, !o->no_trace,
				 o->step_limit > 0	  ? o->step_limit
				 : o->mode == MODE_SERVER ? 3600
							  : 30,
				 err, errsz);
}

/* The traced programs: sockstep trace's command lines, or a lesson
 * about real programs (traced, each step held against the next matching
 * call). */
static void session_trace_spec(const struct options *o, const struct ss_script *sc,
			       struct trace_spec *spec)
{
	trace_cmd_spec(o, spec);
	if (sc->trace_server[0]) {
		spec->server_line = sc->trace_server;
		spec->client_line = sc->trace_client;
		spec->gated = 1;
	}
}

/* What the director is told of the session: the script (NULL when not
 * scripted), packets, the table, the network's notes.  The source and
 * the capture file are set once they are open. */
static void session_director_opts(const struct options *o, const struct ss_script *sc,
				  int scripted, const struct session_net *net,
				  struct director_opts *dopts)
{
	memset(dopts, 0, sizeof *dopts);
	dopts->script = scripted ? sc : NULL;
	dopts->match_calls = sc->trace_server[0] != '\0';
	/* --pcap asks for packets, headless too */
	dopts->packets = o->packets < 0 ? !o->headless || o->pcap : o->packets;
	/* Off loopback (two machines in a classroom) the packets cross a real
	 * interface: capture on all of them, the port filter keeps ours. */
	dopts->capture_device = strncmp(o->host, "127.", 4) == 0 ||
						strcmp(o->host, "::1") == 0
					? "lo"
					: "any";
	dopts->table = o->table;
	dopts->run_free = o->headless;
	dopts->private_net = net->private_net;
	dopts->start_notes[0] = net->note[0] ? net->note : NULL;
	dopts->start_notes[1] = net->holder_note[0] ? net->holder_note : NULL;
	dopts->watch_port = net->watch_port;
}

/* The sinks beside what is shown: --record, the traced programs' summary;
 * and whether questions are asked (in the UI; headless only when answers
 * are given). */
static void session_sinks(struct director *d, const struct options *o,
			  struct output_file *record, struct trace_summary *sum)
{
	director_set_quiz(d, !o->no_quiz && (!o->headless || o->nanswers > 0));
	if (record->out)
		director_add_sink(d, output_jsonl_sink, record);
	if (o->mode == MODE_TRACE)
		director_add_sink(d, trace_summary_sink, sum);
}

/* The session headless or in the UI: the exit status, or -1/-2 to move
 * to the next/previous lesson. */
static int session_run(struct director *d, const struct options *o,
		       const struct ss_script *sc, const struct director_opts *dopts,
		       struct output_file *record)
{
	char err[512] = "";

	if (o->headless)
		return run_headless(d, o, o->record ? record : NULL);
	enum ui_result r = run_ui(d, o, sc, dopts->private_net, dopts->source,
				  record, err, sizeof err);
	if (r == UI_ERROR && err[0])
		fprintf(stderr, "sockstep: %s\n", err);
	return r == UI_ERROR	       ? 1
	       : r == UI_INTERRUPTED  ? EXIT_INTERRUPTED
	       : r == UI_NEXT_LESSON  ? -1
	       : r == UI_PREV_LESSON  ? -2
				      : 0;
}

/* The exit status once the session is over: how the traced programs
 * ended, and a recording that could not be written, override rc. */
static int session_report(const struct options *o, int rc, const struct trace_summary *sum,
			  const struct output_file *record)
{
	/* In the UI the learner quitting ends the traced programs: only a
	 * program that never ran is worth a line. */
	if (o->mode == MODE_TRACE && rc != EXIT_INTERRUPTED && rc != EXIT_BROKEN_PIPE &&
	    (o->headless || sum->cannot[0]))
		rc = trace_summary_report(sum, stderr);
	if (record->err) {
		/* the recording is incomplete: say so, whatever else happened */
		char shown[256];
		escape_string(shown, sizeof shown, o->record);
		fprintf(stderr, _("sockstep: cannot write %s: %s\n"), shown,
			strerror(record->err));
		return 1;
	}
	return rc;
}

/* Run one session (a lesson, the classic exchange, a mode, a replay,
 * traced programs).  Returns the exit status, or -1/-2 to move to the
 * next/previous lesson. */
static int run_session(const struct options *o, const char *path)
{
	struct ss_script sc;
	struct director_opts dopts;
	struct director *d;
	struct trace_spec spec;
	struct trace_summary sum;
	char err[512];
	struct session_net net;
	struct output_file record = {NULL, 0};
	struct capture_file *pcap = NULL;
	int rc, scripted = o->mode != MODE_REPLAY && o->mode != MODE_TRACE;

	memset(&sc, 0, sizeof sc);
	if (network_prepare(o, &stop_signal, &net) < 0)
		return EXIT_INTERRUPTED;
	if (scripted && build_script(o, path, &net, &sc) < 0)
		return EXIT_USAGE;
	session_trace_spec(o, &sc, &spec);
	trace_summary_init(&sum);
	session_director_opts(o, &sc, scripted, &net, &dopts);
	if (open_files(o, &record, &pcap) < 0) {
		script_free(&sc);
		return EXIT_USAGE;
	}
	if (net.warning[0])
		fprintf(stderr, "sockstep: %s\n", net.warning);
	say_wildcard(o, &net);
	dopts.pcap_file = pcap;
	dopts.source = make_source(o, &sc, &spec, err, sizeof err);
	d = dopts.source ? director_new(&dopts, err, sizeof err) : NULL;
	if (d == NULL) {
		fprintf(stderr, "sockstep: %s\n", err);
		close_files(&record, pcap);
		script_free(&sc);
		return 1;
	}
	session_sinks(d, o, &record, &sum);
	rc = session_run(d, o, &sc, &dopts, &record);
	director_free(d);
	close_files(&record, pcap);
	script_free(&sc);
	return session_report(o, rc, &sum, &record);
}

int main(int argc, char **argv)
{
	struct options o;
	char path[COURSE_PATH_MAX] = "";
	char dir[COURSE_PATH_MAX] = "";
	int rc;
	struct sigaction sa;

	std_fds_hold();
	i18n_init();
	if (argc > 1 && strcmp(argv[1], "export") == 0)
		return export_cmd_main(argc - 1, argv + 1);
	switch (options_parse(argc, argv, &o)) {
	case OPTIONS_HELP:
		options_usage(stdout);
		return 0;
	case OPTIONS_VERSION:
		printf("sockstep %s\n", SOCKSTEP_VERSION);
		return 0;
	case OPTIONS_USAGE:
		fprintf(stderr, _("sockstep: %s\nTry 'sockstep --help' for more information.\n"),
			o.error);
		return EXIT_USAGE;
	case OPTIONS_OK:
		break;
	}
	/* Resolved once, up front: a typo is a usage error, not a failed step. */
	if (options_resolve_host(&o) < 0) {
		fprintf(stderr, "sockstep: %s\n", o.error);
		return EXIT_USAGE;
	}
	if (o.mode == MODE_LESSONS)
		return list_lessons(argv[0]);
	if (o.mode == MODE_LESSON) {
		course_dir(argv[0], dir, sizeof dir);
		if (course_find(dir, i18n_language(), o.what, path, sizeof path) < 0) {
			char shown[256];
			escape_string(shown, sizeof shown, o.what);
			fprintf(stderr, _("sockstep: no lesson or command '%s' (see 'sockstep lessons' and 'sockstep --help')\n"),
				shown);
			return EXIT_USAGE;
		}
	}

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
		n = course_list(dir, i18n_language(), list, COURSE_MAX);
		at = course_index(list, n, path);
		if (at < 0)
			return 0;
		at += rc == -1 ? 1 : -1;
		if (at < 0 || at >= n)
			at = at < 0 ? 0 : n - 1;
		snprintf(path, sizeof path, "%s", list[at].path);
	}
}
