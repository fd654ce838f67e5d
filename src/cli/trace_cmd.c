/* trace_cmd: `sockstep trace`, run and summed up. */
#include "sockstep/trace_cmd.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>

#include "sockstep/escape.h"
#include "sockstep/filter.h"
#include "sockstep/output.h"
#include "sockstep/trace_source.h"

#define EXIT_CANNOT 2
#define EXIT_INTERRUPTED 130
#define SINKS_MAX 4

void trace_summary_init(struct trace_summary *s)
{
	memset(s, 0, sizeof *s);
}

static int prog_of(struct trace_summary *s, const char *actor)
{
	for (int i = 0; i < s->nprog; i++)
		if (strcmp(s->prog[i].actor, actor) == 0)
			return i;
	if (s->nprog == 2)
		return -1;
	snprintf(s->prog[s->nprog].actor, SS_NAME_MAX, "%s", actor);
	s->prog[s->nprog].status = -1;
	return s->nprog++;
}

void trace_summary_sink(void *ctx, const struct ss_event *ev)
{
	struct trace_summary *s = ctx;
	int i;

	if (ev->kind == SS_EV_NOTE && ev->u.note.index == 2 && s->cannot[0] == '\0') {
		snprintf(s->cannot, sizeof s->cannot, "%s", ev->u.note.text);
		return;
	}
	if (ev->pid <= 0 || (i = prog_of(s, ev->actor)) < 0)
		return;
	if (ev->kind == SS_EV_CALL)
		s->prog[i].calls++;
	if (ev->kind != SS_EV_PROCESS)
		return;
	if (strcmp(ev->u.proc.what, "started") == 0 && s->prog[i].pid == 0)
		s->prog[i].pid = ev->pid;
	if (strcmp(ev->u.proc.what, "exited") == 0 && ev->pid == s->prog[i].pid) {
		s->prog[i].exited = 1;
		s->prog[i].status = ev->u.proc.status;
		s->prog[i].signal = ev->u.proc.signal;
	}
}

int trace_summary_report(const struct trace_summary *s, FILE *err)
{
	char text[SS_TEXT_MAX * 4];
	int rc = 0;

	if (s->cannot[0]) {
		escape_string(text, sizeof text, s->cannot);
		fprintf(err, "sockstep: %s\n", text);
		return EXIT_CANNOT;
	}
	for (int i = 0; i < s->nprog; i++) {
		const char *a = s->prog[i].actor;
		if (s->prog[i].signal > 0) {
			fprintf(err, "sockstep: %s (pid %d) was killed by signal %d (%s)\n", a,
				s->prog[i].pid, s->prog[i].signal, strsignal(s->prog[i].signal));
			rc = 1;
		} else if (s->prog[i].exited && s->prog[i].status != 0) {
			fprintf(err, "sockstep: %s (pid %d) exited with status %d%s\n", a,
				s->prog[i].pid, s->prog[i].status,
				s->prog[i].status == 127 ? " (command not found?)" : "");
			rc = 1;
		} else if (s->prog[i].calls == 0) {
			fprintf(err, "sockstep: %s made no socket call\n", a);
			rc = 1;
		}
	}
	return rc;
}

/* ---- running ---------------------------------------------------------- */

struct fanout {
	void (*fn[SINKS_MAX])(void *, const struct ss_event *);
	void *ctx[SINKS_MAX];
	int n;
};

static void fanout_add(struct fanout *f, void (*fn)(void *, const struct ss_event *), void *ctx)
{
	if (f->n < SINKS_MAX) {
		f->fn[f->n] = fn;
		f->ctx[f->n++] = ctx;
	}
}

static void fanout_event(void *ctx, const struct ss_event *ev)
{
	struct fanout *f = ctx;

	for (int i = 0; i < f->n; i++)
		f->fn[i](f->ctx[i], ev);
}

static void spec_of(const struct options *o, struct trace_spec *spec)
{
	memset(spec, 0, sizeof *spec);
	spec->server_line = o->trace_server;
	spec->client_line = o->trace_client;
	spec->argv = o->trace_argv;
	spec->gated = !o->headless;
}

static int run_loop(struct source *src, volatile sig_atomic_t *stop)
{
	while (!src->ops->done(src->self)) {
		struct pollfd fds[4];
		int n = src->ops->pollfds(src->self, fds, 4);

		if (*stop)
			return EXIT_INTERRUPTED;
		if (poll(fds, (nfds_t)n, 50) < 0 && errno != EINTR)
			return 1;
		if (src->ops->read(src->self) < 0)
			return 1;
	}
	return 0;
}

int trace_cmd_run(const struct options *o, volatile sig_atomic_t *stop)
{
	struct trace_spec spec;
	struct trace_summary sum;
	struct output_text text;
	struct filter_sink fs;
	struct fanout fan = {0};
	struct source_sink sink = {fanout_event, &fan};
	struct source *src;
	FILE *record = NULL;
	char err[256];
	int rc;

	spec_of(o, &spec);
	src = trace_source_new(&spec, err, sizeof err);
	if (src == NULL) {
		fprintf(stderr, "sockstep: %s\n", err);
		return 1;
	}
	if (o->record && (record = fopen(o->record, "w")) == NULL) {
		fprintf(stderr, "sockstep: cannot write %s: %s\n", o->record, strerror(errno));
		source_free(src);
		return EXIT_CANNOT;
	}
	trace_summary_init(&sum);
	output_text_init(&text, stdout);
	fs.filter = &o->filter;
	fs.sink = o->jsonl ? output_jsonl_sink : output_text_sink;
	fs.ctx = o->jsonl ? (void *)stdout : (void *)&text;
	fanout_add(&fan, filter_sink, &fs);
	fanout_add(&fan, trace_summary_sink, &sum);
	if (record)
		fanout_add(&fan, output_jsonl_sink, record);
	if (src->ops->start(src->self, event_clock_now(), &sink, err, sizeof err) < 0) {
		fprintf(stderr, "sockstep: %s\n", err);
		rc = 1;
	} else {
		rc = run_loop(src, stop);
	}
	source_free(src);
	if (!o->jsonl)
		output_text_flush(&text);
	if (record)
		fclose(record);
	if (rc == 0)
		rc = trace_summary_report(&sum, stderr);
	return rc;
}
