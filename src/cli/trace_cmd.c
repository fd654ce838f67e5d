/* trace_cmd: `sockstep trace`, run and summed up. */
#include "sockstep/trace_cmd.h"

#include <stdio.h>
#include <string.h>

#include "sockstep/escape.h"
#include "sockstep/i18n.h"

#define EXIT_CANNOT 2

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
		escape_text(text, sizeof text, s->cannot);
		fprintf(err, "sockstep: %s\n", text);
		return EXIT_CANNOT;
	}
	for (int i = 0; i < s->nprog; i++) {
		const char *a = s->prog[i].actor;
		if (s->prog[i].signal > 0) {
			fprintf(err, _("sockstep: %s (pid %d) was killed by signal %d (%s)\n"), a,
				s->prog[i].pid, s->prog[i].signal, strsignal(s->prog[i].signal));
			rc = 1;
		} else if (s->prog[i].exited && s->prog[i].status != 0) {
			fprintf(err, s->prog[i].status == 127
				     ? _("sockstep: %s (pid %d) exited with status %d (command not found?)\n")
				     : _("sockstep: %s (pid %d) exited with status %d\n"),
				a, s->prog[i].pid, s->prog[i].status);
			rc = 1;
		} else if (s->prog[i].calls == 0) {
			fprintf(err, _("sockstep: %s made no socket call\n"), a);
			rc = 1;
		}
	}
	return rc;
}

void trace_cmd_spec(const struct options *o, struct trace_spec *spec)
{
	memset(spec, 0, sizeof *spec);
	spec->server_line = o->trace_server;
	spec->client_line = o->trace_client;
	spec->argv = o->trace_argv;
	/* The UI steps the calls; headless, the programs run free. */
	spec->gated = !o->headless;
}
