/* trace_source: traced programs behind the source interface. */
#include "sockstep/trace_source.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "sockstep/actor.h"
#include "sockstep/escape.h"
#include "sockstep/i18n.h"
#include "sockstep/tracer.h"

#define SIDES_MAX 2
#define WAIT_MAX 256
#define BLOCKED_MAX 32
#define CLIENT_WAIT_DEFAULT 3.0

struct side {
	char actor[SS_NAME_MAX];
	struct tracer_opts to;
	pid_t pid;     /* its tracer process; 0 if not running */
	int ctrl_fd;
	int started;
	int exited;
	int pending;   /* granted calls neither returned nor blocked */
	pid_t blocked[BLOCKED_MAX]; /* processes asleep inside a call */
	int nblocked;
	int event_rd, event_wr; /* its tracer's records: a pipe each, so a
				 * batch need not fit PIPE_BUF */
	struct actor_inbox inbox;
};

struct tsrc {
	const struct trace_spec *spec;
	struct side sides[SIDES_MAX];
	int nsides;
	struct source_sink sink;
	double t0, started_at;
	int gated, ended, drained;
	int live; /* started, not stopped: the pipes are open */
	struct {
		unsigned char side;
		pid_t pid;
	} waitq[WAIT_MAX]; /* each call stopped before it runs, oldest first */
	int nwait;
};

static void say(struct tsrc *s, int level, const char *actor, const char *text)
{
	struct ss_event ev;

	event_init(&ev, SS_EV_NOTE);
	ev.t = event_clock_now() - s->t0;
	snprintf(ev.actor, sizeof ev.actor, "%.15s", actor ? actor : "sockstep");
	ev.u.note.index = level;
	snprintf(ev.u.note.text, sizeof ev.u.note.text, "%s", text);
	s->sink.event(s->sink.ctx, &ev);
}

/* ---- tracer processes ---------------------------------------------- */

static void close_events(struct side *sd)
{
	if (sd->event_rd >= 0)
		close(sd->event_rd);
	if (sd->event_wr >= 0)
		close(sd->event_wr);
	sd->event_rd = sd->event_wr = -1;
}

static int fork_tracer(struct tsrc *s, struct side *sd, char *err, size_t errsz)
{
	int cp[2], ep[2];
	pid_t pid;

	if (pipe2(cp, O_CLOEXEC) < 0) {
		snprintf(err, errsz, "pipe: %s", strerror(errno));
		return -1;
	}
	if (pipe2(ep, O_CLOEXEC) < 0) {
		snprintf(err, errsz, "pipe: %s", strerror(errno));
		close(cp[0]);
		close(cp[1]);
		return -1;
	}
	fcntl(ep[0], F_SETFL, O_NONBLOCK);
	sd->event_rd = ep[0];
	sd->event_wr = ep[1];
	sd->inbox.len = 0;
	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		snprintf(err, errsz, "fork: %s", strerror(errno));
		close(cp[0]);
		close(cp[1]);
		close_events(sd);
		return -1;
	}
	if (pid == 0) {
		/* The tracer dies with sockstep (and the program with it,
		 * PTRACE_O_EXITKILL); Ctrl-C is sockstep's to handle. */
		int devnull = open("/dev/null", O_RDWR);
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (getppid() == 1)
			_exit(1);
		signal(SIGINT, SIG_IGN);
		signal(SIGTERM, SIG_DFL);
		signal(SIGHUP, SIG_DFL);
		signal(SIGPIPE, SIG_IGN);
		if (devnull >= 0) {
			dup2(devnull, 0);
			dup2(devnull, 1);
			dup2(devnull, 2);
		}
		for (int i = 0; i < s->nsides; i++) {
			if (s->sides[i].ctrl_fd >= 0)
				close(s->sides[i].ctrl_fd);
			if (s->sides[i].event_rd >= 0)
				close(s->sides[i].event_rd);
			if (&s->sides[i] != sd && s->sides[i].event_wr >= 0)
				close(s->sides[i].event_wr);
		}
		close(cp[1]);
		tracer_main(&sd->to, cp[0], sd->event_wr);
	}
	close(cp[0]);
	sd->pid = pid;
	sd->ctrl_fd = cp[1];
	sd->started = 1;
	return 0;
}

static void send_ctrl(struct side *sd, const char *line)
{
	if (sd->ctrl_fd >= 0 && write(sd->ctrl_fd, line, strlen(line)) < 0) {
		close(sd->ctrl_fd); /* the tracer is gone: its exit says why */
		sd->ctrl_fd = -1;
	}
}

static void start_client(struct tsrc *s)
{
	char err[256];

	if (s->nsides < 2 || s->sides[1].started || s->ended)
		return;
	if (fork_tracer(s, &s->sides[1], err, sizeof err) < 0)
		say(s, 2, s->sides[1].actor, err);
}

/* ---- what the tracers report --------------------------------------- */

static struct side *side_of(struct tsrc *s, const char *actor)
{
	for (int i = 0; i < s->nsides; i++)
		if (strcmp(s->sides[i].actor, actor) == 0)
			return &s->sides[i];
	return NULL;
}

static int unblock(struct side *sd, pid_t pid)
{
	for (int i = 0; i < sd->nblocked; i++)
		if (sd->blocked[i] == pid) {
			sd->blocked[i] = sd->blocked[--sd->nblocked];
			return 1;
		}
	return 0;
}

/* Calls that will never run: side's (pid's, or all of them with 0). */
static void forget_waiting(struct tsrc *s, int side, pid_t pid)
{
	for (int w = 0; w < s->nwait;)
		if (s->waitq[w].side == side && (pid == 0 || s->waitq[w].pid == pid))
			memmove(s->waitq + w, s->waitq + w + 1,
				(size_t)(--s->nwait - w) * sizeof s->waitq[0]);
		else
			w++;
}

/* A traced program's sockets are named by the fd its code holds. */
static void name_fds(struct ss_call_event *c, int call_returned)
{
	int makes_fd = strncmp(c->name, "accept", 6) == 0 ||
		       strcmp(c->name, "socket") == 0 || strncmp(c->name, "dup", 3) == 0;

	if (c->fd >= 0)
		snprintf(c->sock, sizeof c->sock, "fd%d", c->fd);
	if (call_returned && makes_fd && c->ret >= 0)
		snprintf(c->newsock, sizeof c->newsock, "fd%d", (int)c->ret);
}

static void on_call(struct tsrc *s, struct side *sd, struct ss_event *ev)
{
	struct ss_event end;

	if (!unblock(sd, ev->pid) && sd->pending > 0)
		sd->pending--;
	name_fds(&ev->u.call, 1);
	s->sink.event(s->sink.ctx, ev);
	/* The step is over: the director snapshots the kernel's table. */
	event_init(&end, SS_EV_END);
	end.t = ev->t;
	end.pid = ev->pid;
	snprintf(end.actor, sizeof end.actor, "%s", ev->actor);
	s->sink.event(s->sink.ctx, &end);
	if (sd == &s->sides[0] && strcmp(ev->u.call.name, "listen") == 0 &&
	    ev->u.call.ret == 0 && s->nsides == 2 && !s->sides[1].started) {
		/* the port the kernel gave the server, for a client to find */
		s->sides[1].to.server_port = event_addr_port(ev->u.call.local);
		start_client(s);
	}
}

static void handle(struct tsrc *s, struct ss_event *ev)
{
	struct side *sd = side_of(s, ev->actor);

	ev->t -= s->t0;
	if (sd == NULL)
		return;
	switch (ev->kind) {
	case SS_EV_BEGIN:
		name_fds(&ev->u.call, 0);
		if (s->gated && s->nwait < WAIT_MAX) {
			s->waitq[s->nwait].side = (unsigned char)(sd - s->sides);
			s->waitq[s->nwait++].pid = ev->pid;
		}
		break;
	case SS_EV_BLOCKED:
		name_fds(&ev->u.call, 0);
		if (sd->pending > 0)
			sd->pending--;
		if (sd->nblocked < BLOCKED_MAX)
			sd->blocked[sd->nblocked++] = ev->pid;
		break;
	case SS_EV_CALL:
		on_call(s, sd, ev);
		return;
	case SS_EV_PROCESS:
		if (strcmp(ev->u.proc.what, "exited") == 0) {
			unblock(sd, ev->pid);
			forget_waiting(s, (int)(sd - s->sides), ev->pid);
		}
		break;
	default:
		break;
	}
	s->sink.event(s->sink.ctx, ev);
}

static void on_record(void *ctx, struct ss_event *ev)
{
	handle(ctx, ev);
}

/* What every tracer has sent so far. */
static void read_records(struct tsrc *s)
{
	for (int i = 0; i < s->nsides; i++)
		if (s->sides[i].event_rd >= 0)
			actor_inbox_read(&s->sides[i].inbox, s->sides[i].event_rd,
					 on_record, s);
}

static void reap_tracers(struct tsrc *s)
{
	for (int i = 0; i < s->nsides; i++) {
		struct side *sd = &s->sides[i];
		int status;

		if (sd->pid <= 0 || waitpid(sd->pid, &status, WNOHANG) != sd->pid)
			continue;
		sd->pid = 0;
		sd->exited = 1;
		sd->nblocked = sd->pending = 0;
		if (sd->ctrl_fd >= 0)
			close(sd->ctrl_fd);
		sd->ctrl_fd = -1;
		forget_waiting(s, i, 0); /* a side that is gone runs nothing */
		/* the server is gone without listening: the client still runs,
		 * and shows what its connect() meets */
		if (i == 0)
			start_client(s);
	}
}

/* ---- the source operations ----------------------------------------- */

static int ts_start(void *self, double t0, const struct source_sink *sink,
		    char *err, size_t errsz)
{
	struct tsrc *s = self;

	s->t0 = t0;
	s->sink = *sink;
	s->ended = s->drained = 0;
	s->nwait = 0;
	s->live = 1;
	for (int i = 0; i < s->nsides; i++) {
		struct side *sd = &s->sides[i];
		sd->pid = 0;
		sd->ctrl_fd = -1;
		sd->started = sd->exited = sd->pending = sd->nblocked = 0;
		close_events(sd);
	}
	s->started_at = event_clock_now();
	return fork_tracer(s, &s->sides[0], err, errsz);
}

static int ts_pollfds(void *self, struct pollfd *fds, int max)
{
	struct tsrc *s = self;
	int n = 0;

	for (int i = 0; i < s->nsides && n < max; i++)
		if (s->sides[i].event_rd >= 0) {
			fds[n].fd = s->sides[i].event_rd;
			fds[n++].events = POLLIN;
		}
	return n;
}

static int ts_read(void *self)
{
	struct tsrc *s = self;
	double wait = s->spec->client_wait > 0 ? s->spec->client_wait : CLIENT_WAIT_DEFAULT;

	if (!s->live)
		return 0;
	read_records(s);
	reap_tracers(s);
	if (s->nsides == 2 && !s->sides[1].started &&
	    event_clock_now() - s->started_at > wait)
		start_client(s);
	/* Everything a tracer wrote is in the pipe before it exits: one
	 * more read after the last exit drains it. */
	if (!s->drained) {
		int all = 1;
		for (int i = 0; i < s->nsides; i++)
			all &= s->sides[i].exited || (!s->sides[i].started && s->ended);
		if (all) {
			read_records(s);
			s->drained = 1;
		}
	}
	return 0;
}

static void ts_status(const void *self, struct source_status *st)
{
	const struct tsrc *s = self;

	memset(st, 0, sizeof *st);
	for (int i = 0; i < s->nsides; i++) {
		const struct side *sd = &s->sides[i];
		st->running += sd->started && !sd->exited;
		st->blocked += sd->nblocked;
		st->busy |= sd->pending > 0;
		if (sd->pending > 0 || sd->nblocked > 0)
			st->inflight |= 1u << i;
	}
	st->waiting = s->nwait;
}

/* A lesson's step (index >= 0) for a side whose programs have all ended
 * can never come: say so (a level-2 note ends the session) instead of
 * waiting for ever — e.g. an example program that was never built. */
static int gone_before_its_step(struct tsrc *s, const struct source_grant *g)
{
	struct ss_event ev;

	if (g == NULL || g->index < 0 || g->actor == NULL || s->ended)
		return 0;
	for (int i = 0; i < s->nsides; i++) {
		const struct side *sd = &s->sides[i];
		if (strcmp(sd->actor, g->actor) != 0 || !sd->exited)
			continue;
		event_init(&ev, SS_EV_NOTE);
		snprintf(ev.actor, sizeof ev.actor, "%s", sd->actor);
		ev.t = event_clock_now() - s->t0;
		ev.u.note.index = 2;
		snprintf(ev.u.note.text, sizeof ev.u.note.text,
			 _("the %s program has ended: its next step (%d) can never happen"),
			 sd->actor, g->index + 1);
		s->sink.event(s->sink.ctx, &ev);
		return 1;
	}
	return 0;
}

static int ts_grant(void *self, const struct source_grant *g)
{
	struct tsrc *s = self;
	int at = -1;

	if (gone_before_its_step(s, g))
		return -1;
	for (int w = 0; w < s->nwait && at < 0; w++)
		if (g == NULL || g->actor == NULL ||
		    strcmp(s->sides[s->waitq[w].side].actor, g->actor) == 0)
			at = w;
	if (at < 0 || s->ended)
		return 1;
	struct side *sd = &s->sides[s->waitq[at].side];
	memmove(s->waitq + at, s->waitq + at + 1, (size_t)(s->nwait - at - 1) * sizeof s->waitq[0]);
	s->nwait--;
	sd->pending++;
	send_ctrl(sd, "go\n");
	return 0;
}

static void ts_end(void *self, int force)
{
	struct tsrc *s = self;

	s->ended = 1;
	s->nwait = 0;
	for (int i = 0; i < s->nsides; i++)
		send_ctrl(&s->sides[i], force ? "quit\n" : "run\n");
}

static int ts_done(const void *self)
{
	return ((const struct tsrc *)self)->drained;
}

static void ts_stop(void *self)
{
	struct tsrc *s = self;

	for (int i = 0; i < s->nsides; i++)
		send_ctrl(&s->sides[i], "quit\n");
	/* Bounded: the tracers kill and reap their programs, then exit. */
	for (int tries = 0; tries < 100; tries++) {
		int alive = 0;
		struct timespec ts = {0, 10 * 1000 * 1000};
		for (int i = 0; i < s->nsides; i++)
			if (s->sides[i].pid > 0 &&
			    waitpid(s->sides[i].pid, NULL, WNOHANG) == s->sides[i].pid)
				s->sides[i].pid = 0;
			else
				alive += s->sides[i].pid > 0;
		if (!alive)
			break;
		nanosleep(&ts, NULL);
	}
	for (int i = 0; i < s->nsides; i++) {
		struct side *sd = &s->sides[i];
		if (sd->pid > 0) {
			kill(sd->pid, SIGKILL);
			waitpid(sd->pid, NULL, 0);
			sd->pid = 0;
		}
		if (sd->ctrl_fd >= 0)
			close(sd->ctrl_fd);
		sd->ctrl_fd = -1;
	}
	for (int i = 0; i < s->nsides; i++)
		close_events(&s->sides[i]);
	s->live = 0;
}

static void ts_kill(void *self)
{
	struct tsrc *s = self;

	for (int i = 0; i < s->nsides; i++)
		if (s->sides[i].pid > 0) {
			kill(s->sides[i].pid, SIGKILL);
			waitpid(s->sides[i].pid, NULL, 0);
			s->sides[i].pid = 0;
		}
}

static void ts_free(void *self)
{
	free(self);
}

static const struct source_ops trace_ops = {
	.name = "trace",
	.start = ts_start,
	.pollfds = ts_pollfds,
	.read = ts_read,
	.status = ts_status,
	.grant = ts_grant,
	.end = ts_end,
	.done = ts_done,
	.stop = ts_stop,
	.kill = ts_kill,
	.free = ts_free,
};

/* The program's name as an actor: its path's last part, escaped (it is
 * shown and recorded), cut to an actor name's size. */
static void base_name(const char *path, char *out, size_t outsz)
{
	const char *slash = strrchr(path, '/');
	escape_string(out, outsz, slash && slash[1] ? slash + 1 : path);
}

struct source *trace_source_new(const struct trace_spec *spec, char *err,
				size_t errsz)
{
	struct source *src = calloc(1, sizeof *src);
	struct tsrc *s = calloc(1, sizeof *s);

	if (src == NULL || s == NULL) {
		free(src);
		free(s);
		snprintf(err, errsz, "%s", _("out of memory"));
		return NULL;
	}
	s->spec = spec;
	s->gated = spec->gated;
	for (int i = 0; i < SIDES_MAX; i++)
		s->sides[i].event_rd = s->sides[i].event_wr = -1;
	if (spec->server_line) {
		s->nsides = 2;
		snprintf(s->sides[0].actor, SS_NAME_MAX, "server");
		snprintf(s->sides[1].actor, SS_NAME_MAX, "client");
		s->sides[0].to.shell_line = spec->server_line;
		s->sides[1].to.shell_line = spec->client_line;
	} else {
		s->nsides = 1;
		if (spec->name)
			snprintf(s->sides[0].actor, SS_NAME_MAX, "%s", spec->name);
		else
			base_name(spec->argv[0], s->sides[0].actor, SS_NAME_MAX);
		s->sides[0].to.argv = spec->argv;
	}
	for (int i = 0; i < s->nsides; i++) {
		s->sides[i].to.actor = s->sides[i].actor;
		s->sides[i].to.gated = spec->gated;
		s->sides[i].ctrl_fd = -1;
	}
	src->ops = &trace_ops;
	src->self = s;
	return src;
}

void trace_source_run_free(struct source *src)
{
	struct tsrc *s;

	if (src == NULL || src->ops != &trace_ops)
		return;
	s = src->self;
	s->gated = 0;
	s->nwait = 0;
	for (int i = 0; i < s->nsides; i++) {
		s->sides[i].to.gated = 0; /* a client not started yet too */
		send_ctrl(&s->sides[i], "run\n");
	}
}
