/*
 * actors_source: the scripted actors behind source.h.  One forked process
 * per actor of the script (actor.c), all writing event records (actor.h,
 * < PIPE_BUF, so atomic) to one event pipe; each reads "go INDEX
 * [ADDRESS]" grants, "run" and "quit" on a control pipe of its own.
 */
#include "sockstep/source.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "sockstep/actor.h"
#include "sockstep/i18n.h"
#include "sockstep/cut.h"
#include "sockstep/proc.h"
#include "sockstep/script.h"

#define EVENT_PIPE_SIZE (1024 * 1024)
/* Seconds an actor may stay stopped before the session gives up on it. */
#define STOPPED_LIMIT 1.0

struct slot {
	int ctrl_fd;
	int inflight;       /* step index being run, -1 if idle */
	int begun, blocked; /* of the inflight step */
	int have_call;
	double begun_at;
	struct ss_event begin;
	double stopped_at; /* first seen stopped (T), 0 if running */
};

struct actors {
	const struct ss_script *sc;
	int tracing;
	double step_limit;
	struct source_sink sink;
	double t0;
	pid_t pids[SCRIPT_MAX_ACTORS]; /* 0: not running */
	struct slot slots[SCRIPT_MAX_ACTORS];
	int event_fd;
	int last;       /* index of the last granted step, -1 */
	double last_at; /* when it was granted */
	int ended;      /* end() was called: no grant, no complaint */
	int free;       /* an actor runs free: it reports the steps it takes */
	struct actor_inbox inbox;
};

static double now_t(const struct actors *a)
{
	return event_clock_now() - a->t0;
}

static void emit(struct actors *a, const struct ss_event *ev)
{
	a->sink.event(a->sink.ctx, ev);
}

static void note(struct actors *a, const char *actor, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void note(struct actors *a, const char *actor, const char *fmt, ...)
{
	struct ss_event ev;
	va_list ap;

	event_init(&ev, SS_EV_NOTE);
	ev.t = now_t(a);
	snprintf(ev.actor, sizeof ev.actor, "%s", actor);
	ev.u.note.index = 2; /* the session cannot go on */
	va_start(ap, fmt);
	vsnprintf(ev.u.note.text, sizeof ev.u.note.text, fmt, ap);
	cut_end(ev.u.note.text); /* a long Chinese note: no half character */
	va_end(ap);
	emit(a, &ev);
}

static void forget(struct actors *a)
{
	for (int i = 0; i < SCRIPT_MAX_ACTORS; i++) {
		a->pids[i] = 0;
		a->slots[i] = (struct slot){.ctrl_fd = -1, .inflight = -1};
	}
	a->event_fd = -1;
	a->last = -1;
	a->ended = 0;
	a->free = 0;
	a->inbox.len = 0;
}

/* ---- reports ------------------------------------------------------------ */

/* Follow the step's course; every report goes on to the sink. */
static void take_report(struct actors *a, struct ss_event *ev)
{
	int i = script_actor_index(a->sc, ev->actor);
	struct slot *s;

	if (i < 0)
		return; /* not one of ours */
	s = &a->slots[i];
	ev->t -= a->t0;
	if (ev->kind == SS_EV_BEGIN) {
		if (a->free)
			s->inflight = ev->step - 1; /* a step it took itself */
		s->begun = 1;
		s->begun_at = now_t(a);
		s->begin = *ev;
	} else if (ev->kind == SS_EV_CALL) {
		s->have_call = 1;
	} else if (ev->kind == SS_EV_END) {
		if (ev->step == 0)
			a->free = 0; /* the free run is over */
		s->inflight = -1;
		s->begun = s->blocked = s->have_call = 0;
	}
	emit(a, ev);
}

static void report_cb(void *ctx, struct ss_event *ev)
{
	take_report(ctx, ev);
}

/* 1 if reports came. */
static int read_lines(struct actors *a)
{
	return actor_inbox_read(&a->inbox, a->event_fd, report_cb, a) > 0;
}

/* An actor asleep inside its call, twice in a row 2 ms apart (so that a
 * process merely waiting for the CPU is not taken for a blocked one). */
static void check_blocked(struct actors *a)
{
	for (int i = 0; i < a->sc->nactors; i++) {
		struct slot *s = &a->slots[i];
		struct ss_event ev;

		if (s->inflight < 0 || !s->begun || s->blocked || s->have_call)
			continue;
		if (now_t(a) - s->begun_at < 0.005 || !proc_sleeping(a->pids[i]))
			continue;
		struct timespec ts = {0, 2 * 1000 * 1000};
		nanosleep(&ts, NULL);
		read_lines(a);
		if (s->have_call || s->inflight < 0 || !proc_sleeping(a->pids[i]))
			continue;
		s->blocked = 1;
		ev = s->begin;
		ev.kind = SS_EV_BLOCKED;
		ev.t = now_t(a);
		emit(a, &ev);
	}
}

static void reap(struct actors *a)
{
	for (int i = 0; i < a->sc->nactors; i++) {
		const char *name = a->sc->actors[i];
		int status;

		if (!proc_reaped(a->pids[i], &status))
			continue;
		a->pids[i] = 0;
		if (a->slots[i].ctrl_fd >= 0) {
			close(a->slots[i].ctrl_fd);
			a->slots[i].ctrl_fd = -1;
		}
		if (a->ended)
			continue;
		/* the others may wait forever for the one that died */
		/* killed from outside: say so, with the signal's name */
		if (WIFSIGNALED(status))
			note(a, name, _("the %s process was killed by SIG%s (signal %d)"),
			     name, sigabbrev_np(WTERMSIG(status)) ? sigabbrev_np(WTERMSIG(status)) : "?",
			     WTERMSIG(status));
		else
			note(a, name, _("the %s process exited early (status %d)"), name,
			     WEXITSTATUS(status));
	}
}

/* An actor stopped (kill -STOP, a debugger) never finishes its step: the
 * session would wait forever.  Seen stopped for a second (a Ctrl-Z of the
 * whole group is continued in one go), it ends the session. */
static void check_stopped(struct actors *a)
{
	for (int i = 0; i < a->sc->nactors; i++) {
		struct slot *s = &a->slots[i];
		const char *name = a->sc->actors[i];

		if (a->ended || a->pids[i] <= 0 || !proc_stopped(a->pids[i])) {
			s->stopped_at = 0;
			continue;
		}
		if (s->stopped_at == 0) {
			s->stopped_at = now_t(a);
		} else if (now_t(a) - s->stopped_at >= STOPPED_LIMIT) {
			note(a, name, _("the %s process is stopped (SIGSTOP or a debugger): the session ends"),
			     name);
			s->stopped_at = 0;
		}
	}
}

/* The last granted step has not even begun: its actor is still inside an
 * earlier call (a server blocked in accept() while its next step waits).
 * Or the last granted step itself is blocked and the script's next step
 * is the same actor's, which the director cannot grant before that call
 * returns: a send into a full buffer nobody reads would wait for ever. */
static void check_step_limit(struct actors *a)
{
	const char *name;
	const struct slot *s;
	int next = a->last + 1;

	if (a->ended || a->last < 0)
		return;
	s = &a->slots[a->sc->steps[a->last].actor];
	name = a->sc->actors[a->sc->steps[a->last].actor];
	if (s->inflight == a->last && s->begun && s->blocked && next < a->sc->nsteps &&
	    a->sc->steps[next].actor == a->sc->steps[a->last].actor &&
	    now_t(a) - s->begun_at >= a->step_limit) {
		note(a, name, _("step %d never began: the %s is still blocked in its previous call after %gs"),
		     next + 1, name, a->step_limit);
		return;
	}
	if (s->inflight != a->last || s->begun ||
	    now_t(a) - a->last_at < a->step_limit)
		return;
	note(a, name, _("step %d never began: the %s is still blocked in its previous call after %gs"),
	     a->last + 1, name, a->step_limit);
}

/* ---- the source's callbacks ----------------------------------------------- */

struct child {
	const struct ss_script *sc;
	int actor, ctrl_fd, event_fd, tracing;
};

static void child_main(void *ctx)
{
	const struct child *c = ctx;
	actor_main(c->sc, c->actor, c->ctrl_fd, c->event_fd, c->tracing);
}

static int spawn(struct actors *a, int i, int event_wr, char *err, size_t errsz)
{
	int cp[2], shut[SCRIPT_MAX_ACTORS + 2], nshut = 0;
	struct child c;

	if (pipe2(cp, O_CLOEXEC) < 0) {
		snprintf(err, errsz, "pipe: %s", strerror(errno));
		return -1;
	}
	c = (struct child){a->sc, i, cp[0], event_wr, a->tracing};
	shut[nshut++] = cp[1];
	shut[nshut++] = a->event_fd;
	for (int j = 0; j < i; j++)
		shut[nshut++] = a->slots[j].ctrl_fd;
	a->pids[i] = proc_spawn(child_main, &c, shut, nshut);
	close(cp[0]);
	if (a->pids[i] < 0) {
		snprintf(err, errsz, "fork: %s", strerror(errno));
		a->pids[i] = 0;
		close(cp[1]);
		return -1;
	}
	a->slots[i].ctrl_fd = cp[1];
	return 0;
}

static int actors_start(void *self, double t0, const struct source_sink *sink,
			char *err, size_t errsz)
{
	struct actors *a = self;
	int evp[2], rc = 0;

	forget(a);
	a->t0 = t0;
	a->sink = *sink;
	if (pipe2(evp, O_CLOEXEC) < 0) {
		snprintf(err, errsz, "pipe: %s", strerror(errno));
		return -1;
	}
	a->event_fd = evp[0];
	fcntl(a->event_fd, F_SETFL, O_NONBLOCK);
	/* Room for what a free-running actor reports between two reads (the
	 * default 64 KiB holds half a millisecond of it); the default stays
	 * if the kernel refuses. */
	fcntl(a->event_fd, F_SETPIPE_SZ, EVENT_PIPE_SIZE);
	for (int i = 0; i < a->sc->nactors && rc == 0; i++)
		rc = spawn(a, i, evp[1], err, errsz);
	close(evp[1]);
	return rc;
}

static int actors_pollfds(void *self, struct pollfd *fds, int max)
{
	struct actors *a = self;

	if (max < 1 || a->event_fd < 0)
		return 0;
	fds[0].fd = a->event_fd;
	fds[0].events = POLLIN;
	return 1;
}

static int actors_read(void *self)
{
	struct actors *a = self;

	if (a->event_fd < 0)
		return 0;
	read_lines(a);
	check_blocked(a);
	reap(a);
	check_stopped(a);
	check_step_limit(a);
	return 0;
}

static void actors_status(const void *self, struct source_status *st)
{
	const struct actors *a = self;

	memset(st, 0, sizeof *st);
	for (int i = 0; i < a->sc->nactors; i++) {
		const struct slot *s = &a->slots[i];
		st->running += a->pids[i] > 0;
		if (s->inflight < 0 || a->pids[i] <= 0)
			continue;
		st->inflight |= 1u << i;
		st->blocked += s->blocked;
		st->busy |= !s->blocked;
	}
}

static int actors_grant(void *self, const struct source_grant *g)
{
	struct actors *a = self;
	const char *name;
	struct slot *s;
	char line[128];

	if (a->ended || g->index < 0 || g->index >= a->sc->nsteps)
		return 1;
	s = &a->slots[a->sc->steps[g->index].actor];
	name = a->sc->actors[a->sc->steps[g->index].actor];
	if (s->inflight >= 0)
		return 1; /* that actor is still inside its previous call */
	if (g->run_free)
		snprintf(line, sizeof line, "run\n");
	else
		snprintf(line, sizeof line, "go %d %s\n", g->index,
			 g->addr && g->addr[0] ? g->addr : "-");
	if (s->ctrl_fd < 0 || write(s->ctrl_fd, line, strlen(line)) < 0) {
		int e = errno;
		/* EPIPE: the actor is gone; how it ended is the news (reap says
		 * it, with the signal), not the broken pipe. */
		if (e == EPIPE &&
		    proc_exited_within(a->pids[a->sc->steps[g->index].actor], 0.5)) {
			reap(a);
			return -1;
		}
		note(a, name, _("cannot reach the %s process: %s"), name, strerror(e));
		return -1;
	}
	s->inflight = g->index;
	s->begun = s->blocked = s->have_call = 0;
	a->free = g->run_free;
	a->last = g->index;
	a->last_at = now_t(a);
	return 0;
}

/* Tell the actors to quit; force: also stop those blocked in a call. */
static void actors_end(void *self, int force)
{
	struct actors *a = self;

	a->ended = 1;
	for (int i = 0; i < a->sc->nactors; i++) {
		int f = force;
		if (a->pids[i] <= 0)
			continue;
		if (a->slots[i].ctrl_fd >= 0 && write(a->slots[i].ctrl_fd, "quit\n", 5) < 0)
			f = 1;
		/* a stopped process reads no "quit" and holds SIGTERM until
		 * continued: only SIGKILL ends it */
		if (proc_stopped(a->pids[i]))
			kill(a->pids[i], SIGKILL);
		else if (f)
			kill(a->pids[i], SIGTERM);
	}
}

static int actors_settled(void *self)
{
	struct actors *a = self;

	for (int i = 0; i < a->sc->nactors; i++) {
		const struct slot *s = &a->slots[i];
		/* Asleep means not between stamping a report and writing it:
		 * the report is in the pipe, read below. */
		if (a->pids[i] > 0 && s->inflight >= 0 &&
		    (!s->blocked || a->free || !proc_sleeping(a->pids[i])))
			return 0;
	}
	if (a->event_fd >= 0)
		read_lines(a);
	return 1;
}

static int actors_done(const void *self)
{
	const struct actors *a = self;

	for (int i = 0; i < a->sc->nactors; i++)
		if (a->pids[i] > 0)
			return 0;
	return 1;
}

static void actors_stop(void *self)
{
	struct actors *a = self;

	for (int i = 0; i < SCRIPT_MAX_ACTORS; i++)
		if (a->slots[i].ctrl_fd >= 0) {
			close(a->slots[i].ctrl_fd);
			a->slots[i].ctrl_fd = -1;
		}
	proc_stop(a->pids, a->sc->nactors);
	if (a->event_fd >= 0)
		close(a->event_fd);
	a->event_fd = -1;
	a->ended = 1;
}

static void actors_kill(void *self)
{
	struct actors *a = self;

	proc_kill(a->pids, a->sc->nactors);
}

static void actors_free(void *self)
{
	free(self);
}

static const struct source_ops actors_ops = {
	.name = "actors",
	.start = actors_start,
	.pollfds = actors_pollfds,
	.read = actors_read,
	.status = actors_status,
	.grant = actors_grant,
	.end = actors_end,
	.settled = actors_settled,
	.done = actors_done,
	.stop = actors_stop,
	.kill = actors_kill,
	.free = actors_free,
};

struct source *actors_source_new(const struct ss_script *sc, int tracing,
				 double step_limit, char *err, size_t errsz)
{
	struct source *s = calloc(1, sizeof *s);
	struct actors *a = calloc(1, sizeof *a);

	if (s == NULL || a == NULL) {
		free(s);
		free(a);
		snprintf(err, errsz, "%s", _("out of memory"));
		return NULL;
	}
	a->sc = sc;
	a->tracing = tracing;
	a->step_limit = step_limit > 0 ? step_limit : 30;
	forget(a);
	s->ops = &actors_ops;
	s->self = a;
	return s;
}
