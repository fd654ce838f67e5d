/* director: run the actors step by step and merge what they report. */
#include "sockstep/director.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "sockstep/actor.h"
#include "sockstep/capture.h"
#include "sockstep/diag.h"
#include "sockstep/expect.h"
#include "sockstep/explain.h"
#include "sockstep/jsonl.h"

#define SINKS_MAX 8
#define SOCKS_MAX 64
#define PENDING_MAX 512
#define ROWS_MAX 256
#define PORTS_MAX 8
#define REPLAY_MAX 100000 /* ~45 MB of events: a bounded store */
#define READ_BUF (64 * 1024)
/* Events are held this long so that reports from different processes and
 * from libpcap come out in time order. */
#define MERGE_WINDOW 0.015
#define LIVE_TABLE_EVERY 0.25
#define TABLE_BUSY_EVERY 0.1

struct actor_proc {
	pid_t pid;
	int ctrl_fd;
	int inflight;       /* step index being run, -1 if idle */
	int begun, blocked; /* of the inflight step */
	double begun_at;
	struct ss_event begin;
	struct ss_event call; /* last call event of the inflight step */
	int have_call;
	int skip; /* steps of this actor to skip (on-error: skip N) */
	char prediction[SS_NAME_MAX * 4]; /* the learner's answer to check */
	int check_prediction;
	/* This actor's latest accept(): when it began and when it returned
	 * (-1: not yet), to say "before accept()" only from what was seen. */
	double accept_from, accept_to;
};

struct sock_entry {
	char actor[SS_NAME_MAX];
	char sock[SS_NAME_MAX];
	int fd;
	int closed;
	struct ss_event last; /* latest call event about this socket */
};

struct sink {
	director_sink fn;
	void *ctx;
};

struct director {
	struct director_opts o;
	const struct ss_script *sc;
	struct sink sinks[SINKS_MAX];
	int nsinks;
	struct actor_proc actors[SCRIPT_MAX_ACTORS];
	int event_fd;
	char rbuf[READ_BUF];
	size_t rlen;
	double t0;
	int started;

	int pc;          /* next step index to grant */
	int repeats;     /* repetitions done */
	int granted;     /* steps granted so far */
	int total;       /* steps with repetitions */
	int last;        /* index of the last granted step, -1 */
	double last_at;  /* when it was granted */
	int finished;    /* all granted steps ended, actors told to quit */
	int done;
	int failures;

	struct sock_entry socks[SOCKS_MAX];
	int nsocks;
	struct ss_event pending[PENDING_MAX];
	int npending;
	struct ss_event rows[ROWS_MAX];
	int nrows;
	int snapshot_no;
	double last_live_table;
	char table_sig[1024];

	uint16_t ports[PORTS_MAX];
	int nports;
	int families;           /* 1 IPv4, 2 IPv6: what the table must dump */
	double last_table;      /* when the last snapshot was taken */
	struct capture *cap;
	int cap_tried;

	struct ss_event *replay; /* replay: the whole recording */
	int nreplay, replay_pos;

	/* predict-then-step: the question of grant number asked_key is out,
	 * answered once answered_key == asked_key */
	int quiz;
	int asked_key, answered_key;
	char answer[SS_NAME_MAX * 4];
	int have_answer;
	int qasked, qright;
	char first_failure[SS_TEXT_MAX * 2]; /* "file:line: step N ..." */

	/* 4-tuples already narrated in TIME_WAIT / CLOSE_WAIT */
	char told[64][2 * SS_ADDR_MAX + 4];
	int ntold;

	char unix_paths[4][SS_ADDR_MAX]; /* socket files to remove at the end */
	int nunix;
};

/* Every live director, so a fatal signal can reap all actors. */
static struct director *live_directors[4];

static void track(struct director *d, int on)
{
	for (int i = 0; i < 4; i++) {
		if (on && live_directors[i] == NULL) {
			live_directors[i] = d;
			return;
		}
		if (!on && live_directors[i] == d)
			live_directors[i] = NULL;
	}
}

static double now_t(const struct director *d)
{
	return event_clock_now() - d->t0;
}

/* ---- delivery ---------------------------------------------------- */

static void deliver(struct director *d, const struct ss_event *ev)
{
	for (int i = 0; i < d->nsinks; i++)
		d->sinks[i].fn(d->sinks[i].ctx, ev);
}

static void flush_pending(struct director *d, int all)
{
	double limit = now_t(d) - MERGE_WINDOW;
	int n = 0;

	while (n < d->npending && (all || d->pending[n].t <= limit))
		n++;
	for (int i = 0; i < n; i++)
		deliver(d, &d->pending[i]);
	memmove(d->pending, d->pending + n,
		(size_t)(d->npending - n) * sizeof d->pending[0]);
	d->npending -= n;
}

/* Insert in time order (stable for equal times). */
static void push(struct director *d, const struct ss_event *ev)
{
	int i;

	if (d->npending == PENDING_MAX)
		flush_pending(d, 1);
	i = d->npending;
	while (i > 0 && d->pending[i - 1].t > ev->t)
		i--;
	memmove(d->pending + i + 1, d->pending + i,
		(size_t)(d->npending - i) * sizeof d->pending[0]);
	d->pending[i] = *ev;
	d->npending++;
}

static void note(struct director *d, int level, const char *actor,
		 const char *fmt, ...) __attribute__((format(printf, 4, 5)));
static void note(struct director *d, int level, const char *actor,
		 const char *fmt, ...)
{
	struct ss_event ev;
	va_list ap;

	event_init(&ev, SS_EV_NOTE);
	ev.t = now_t(d);
	snprintf(ev.actor, sizeof ev.actor, "%s", actor ? actor : "sockstep");
	ev.u.note.index = level;
	va_start(ap, fmt);
	vsnprintf(ev.u.note.text, sizeof ev.u.note.text, fmt, ap);
	va_end(ap);
	push(d, &ev);
}

/* ---- sockets the actors own -------------------------------------- */

static struct sock_entry *sock_find(struct director *d, const char *actor,
				    const char *sock)
{
	for (int i = d->nsocks - 1; i >= 0; i--)
		if (strcmp(d->socks[i].actor, actor) == 0 &&
		    strcmp(d->socks[i].sock, sock) == 0)
			return &d->socks[i];
	return NULL;
}

static struct sock_entry *sock_new(struct director *d, const char *actor,
				   const char *sock)
{
	struct sock_entry *e = sock_find(d, actor, sock);

	/* A name given again means the new socket: the script has let go of
	 * the old one (the server's connection socket, client after client). */
	if (e != NULL) {
		memset(e, 0, sizeof *e);
		snprintf(e->actor, sizeof e->actor, "%s", actor);
		snprintf(e->sock, sizeof e->sock, "%s", sock);
		e->fd = -1;
		return e;
	}
	if (d->nsocks == SOCKS_MAX) {
		/* forget the oldest closed socket, else the oldest */
		int victim = 0;
		for (int i = 0; i < d->nsocks; i++)
			if (d->socks[i].closed) {
				victim = i;
				break;
			}
		memmove(d->socks + victim, d->socks + victim + 1,
			(size_t)(d->nsocks - victim - 1) * sizeof d->socks[0]);
		d->nsocks--;
	}
	e = &d->socks[d->nsocks++];
	memset(e, 0, sizeof *e);
	snprintf(e->actor, sizeof e->actor, "%s", actor);
	snprintf(e->sock, sizeof e->sock, "%s", sock);
	e->fd = -1;
	return e;
}

static const struct ss_event *sock_event_cb(void *ctx, const char *actor,
					    const char *sock)
{
	struct sock_entry *e = sock_find(ctx, actor, sock);
	return e ? &e->last : NULL;
}

static void add_port(struct director *d, int port)
{
	if (port <= 0)
		return;
	for (int i = 0; i < d->nports; i++)
		if (d->ports[i] == port)
			return;
	if (d->nports == PORTS_MAX)
		return;
	d->ports[d->nports++] = (uint16_t)port;
	if (d->cap) {
		char err[256];
		if (capture_set_ports(d->cap, d->ports, d->nports, err, sizeof err) < 0)
			note(d, 1, NULL, "%s", err);
	}
}

static void record_call(struct director *d, const struct ss_event *ev)
{
	const struct ss_call_event *c = &ev->u.call;
	const char *name = c->name;
	struct sock_entry *e = NULL;

	if ((strcmp(name, "socket") == 0 || strcmp(name, "accept") == 0) &&
	    c->ret >= 0 && c->newsock[0]) {
		e = sock_new(d, ev->actor, c->newsock);
		e->fd = (int)c->ret;
	} else if (c->sock[0]) {
		e = sock_find(d, ev->actor, c->sock);
		if (e == NULL)
			e = sock_new(d, ev->actor, c->sock);
		if (e->fd < 0)
			e->fd = c->fd;
		if (strcmp(name, "close") == 0 && c->ret == 0)
			e->closed = 1;
	}
	if (e)
		e->last = *ev;
	if (c->family == AF_INET)
		d->families |= 1;
	else if (c->family == AF_INET6)
		d->families |= 2;
	if (strcmp(name, "listen") == 0 || strcmp(name, "bind") == 0)
		add_port(d, event_addr_port(c->local));
	if (strcmp(name, "connect") == 0 && c->ret == 0)
		add_port(d, event_addr_port(c->peer));
	if (strcmp(name, "bind") == 0 && c->ret == 0 && c->local[0] == '/' &&
	    d->nunix < 4)
		snprintf(d->unix_paths[d->nunix++], SS_ADDR_MAX, "%s", c->local);
}

/* ---- the kernel's socket table ----------------------------------- */

static void own_rows(struct director *d)
{
	for (int r = 0; r < d->nrows; r++) {
		struct ss_socket_event *s = &d->rows[r].u.sock;
		s->owner[0] = '\0';
		s->owner_fd = -1;
		if (s->inode == 0)
			continue; /* queued, TIME_WAIT, orphan: no fd owns it */
		for (int i = 0; i < d->nsocks; i++) {
			const struct sock_entry *e = &d->socks[i];
			if (!e->closed && e->last.u.call.inode == s->inode) {
				snprintf(s->owner, sizeof s->owner, "%s", e->actor);
				s->owner_fd = e->fd;
			}
		}
	}
}

/* Is this kernel row one of the exchange's sockets?  Ports alone are not
 * enough: a server that served many clients has a TIME_WAIT for each, and
 * the table would drown the exchange in them. */
static int row_relevant(const struct director *d, const struct ss_socket_event *r)
{
	for (int i = 0; i < d->nsocks; i++) {
		const struct sock_entry *e = &d->socks[i];
		const struct ss_call_event *c = &e->last.u.call;
		if (!e->closed && r->inode && c->inode == r->inode)
			return 1;
		if (c->local[0] && c->peer[0] &&
		    ((strcmp(r->local, c->local) == 0 && strcmp(r->peer, c->peer) == 0) ||
		     (strcmp(r->local, c->peer) == 0 && strcmp(r->peer, c->local) == 0)))
			return 1;
		/* connections a listener has queued or half-open */
		if (!e->closed && c->state == TCP_LISTEN && strcmp(r->local, c->local) == 0 &&
		    r->state != TCP_TIME_WAIT)
			return 1;
	}
	return 0;
}

static int keep_row(void *ctx, const struct ss_event *row)
{
	return row_relevant(ctx, &row->u.sock);
}

static int take_snapshot(struct director *d)
{
	int n;

	if (!d->o.table || d->nports == 0)
		return 0;
	n = diag_tcp_snapshot_keep(d->ports, d->nports, d->families, keep_row, d,
				   d->rows, ROWS_MAX);
	if (n < 0) {
		note(d, 1, NULL, "no kernel socket table: sock_diag failed: %s",
		     strerror(errno));
		d->o.table = 0;
		d->nrows = 0;
		return -1;
	}
	d->nrows = n;
	own_rows(d);
	return 0;
}

/* Emit the current table as socket events, only when it changed unless
 * forced (after every step the table is reported). */
static void emit_snapshot(struct director *d, int step, int force)
{
	char sig[sizeof d->table_sig];
	size_t used = 0;
	double t = now_t(d);

	if (!d->o.table || d->nports == 0)
		return;
	sig[0] = '\0';
	for (int i = 0; i < d->nrows && used < sizeof sig - 1; i++) {
		const struct ss_socket_event *s = &d->rows[i].u.sock;
		int w = snprintf(sig + used, sizeof sig - used, "%s %s %d %ld %ld %s;",
				 s->local, s->peer, s->state, s->recv_q,
				 s->send_q, s->owner);
		if (w < 0)
			break;
		used += (size_t)w;
	}
	if (!force && strcmp(sig, d->table_sig) == 0)
		return;
	snprintf(d->table_sig, sizeof d->table_sig, "%s", sig);
	d->snapshot_no++;
	if (d->nrows == 0) {
		struct ss_event ev;
		event_init(&ev, SS_EV_SOCKET);
		ev.t = t;
		ev.step = step;
		snprintf(ev.actor, sizeof ev.actor, "kernel");
		ev.u.sock.snapshot = d->snapshot_no;
		ev.u.sock.rows = 0;
		push(d, &ev);
		return;
	}
	for (int i = 0; i < d->nrows; i++) {
		struct ss_event ev = d->rows[i];
		ev.t = t;
		ev.step = step;
		ev.u.sock.snapshot = d->snapshot_no;
		ev.u.sock.rows = d->nrows;
		push(d, &ev);
	}
}

/* ---- narration from the kernel's facts ----------------------------- */

/* Which actor had a socket with this 4-tuple (its fd may be closed now). */
static const char *tuple_owner(const struct director *d, const char *local,
			       const char *peer)
{
	for (int i = d->nsocks - 1; i >= 0; i--) {
		const struct ss_call_event *c = &d->socks[i].last.u.call;
		if (strcmp(c->local, local) == 0 && strcmp(c->peer, peer) == 0)
			return d->socks[i].actor;
	}
	return NULL;
}

static int told_once(struct director *d, const struct ss_socket_event *s)
{
	char key[sizeof d->told[0]];

	snprintf(key, sizeof key, "%d %s %s", s->state, s->local, s->peer);
	for (int i = 0; i < d->ntold; i++)
		if (strcmp(d->told[i], key) == 0)
			return 1;
	if (d->ntold == 64) {
		memmove(d->told, d->told + 1, sizeof d->told - sizeof d->told[0]);
		d->ntold--;
	}
	snprintf(d->told[d->ntold++], sizeof key, "%s", key);
	return 0;
}

/* Say what the table shows that no call reported: a connection waiting in
 * the accept queue, a side entering CLOSE_WAIT or TIME_WAIT. */
/* Was some actor's accept() already waiting when time t came? */
static int accept_waiting_at(const struct director *d, double t)
{
	for (int i = 0; i < d->sc->nactors; i++) {
		const struct actor_proc *ap = &d->actors[i];
		if (ap->accept_from >= 0 && ap->accept_from <= t &&
		    (ap->accept_to < 0 || ap->accept_to >= t))
			return 1;
	}
	return 0;
}

static void narrate_table(struct director *d, const struct ss_event *call)
{
	/* "before accept()" only when no accept() was seen waiting as the
	 * connect returned; the numbers are the listener's row in this very
	 * snapshot, labelled as what they are. */
	if (call && strcmp(call->u.call.name, "connect") == 0 &&
	    call->u.call.ret == 0 && !accept_waiting_at(d, call->t)) {
		for (int i = 0; i < d->nrows; i++) {
			const struct ss_socket_event *s = &d->rows[i].u.sock;
			if (s->state == TCP_LISTEN && strcmp(s->local, call->u.call.peer) == 0 &&
			    s->recv_q > 0)
				note(d, 0, "kernel",
				     "connect() returned before the server called accept(): the kernel did the handshake, and the connection waits in the listener's accept queue (%ld waiting in the accept queue, backlog %ld)",
				     s->recv_q, s->send_q);
		}
	}
	for (int i = 0; i < d->nrows; i++) {
		const struct ss_socket_event *s = &d->rows[i].u.sock;
		const char *who;
		if ((s->state != TCP_TIME_WAIT && s->state != TCP_CLOSE_WAIT) || told_once(d, s))
			continue;
		who = tuple_owner(d, s->local, s->peer);
		if (s->state == TCP_TIME_WAIT)
			note(d, 0, "kernel",
			     "%s %s <-> %s is in TIME_WAIT: that side closed first; the kernel keeps it %.0f s more so late packets cannot reach a new connection",
			     who ? who : "the socket", s->local, s->peer,
			     s->timer_ms / 1000.0);
		else
			note(d, 0, "kernel",
			     "%s %s <-> %s is in CLOSE_WAIT: the peer closed (its FIN arrived); recv() returns 0 and this side must close() too",
			     who ? who : "the socket", s->local, s->peer);
	}
}

/* ---- packets ------------------------------------------------------ */

static void packet_cb(void *ctx, const struct ss_event *ev)
{
	push(ctx, ev);
}

static void open_capture(struct director *d)
{
	char err[256];

	if (!d->o.packets || d->cap_tried)
		return;
	d->cap_tried = 1;
	d->cap = capture_open(d->o.capture_device ? d->o.capture_device : "lo",
			      err, sizeof err);
	if (d->cap == NULL) {
		note(d, 1, NULL, "%s", err);
		return;
	}
	if (d->nports && capture_set_ports(d->cap, d->ports, d->nports, err,
					   sizeof err) < 0)
		note(d, 1, NULL, "%s", err);
}

/* ---- expectations ------------------------------------------------ */

static int has_kernel_field(const char *text)
{
	return strstr(text, "kstate") || strstr(text, "krecv_q") ||
	       strstr(text, "ksend_q") || strstr(text, "ktimer") ||
	       strstr(text, "kpeerstate");
}

/* What an expectation or a prediction about ap's step is checked against. */
static void expect_env_for(struct director *d, const struct actor_proc *ap,
			   struct expect_env *env)
{
	memset(env, 0, sizeof *env);
	env->call = ap->have_call ? &ap->call : NULL;
	env->blocked = ap->blocked;
	env->sock_event = sock_event_cb;
	env->ctx = d;
	env->rows = d->rows;
	env->nrows = d->nrows;
	expect_ephemeral_range(&env->eph_lo, &env->eph_hi);
}

static void check_expectations(struct director *d, struct actor_proc *ap)
{
	const struct ss_step *st = &d->sc->steps[ap->inflight];
	struct expect_env env;

	expect_env_for(d, ap, &env);
	for (int i = 0; i < st->nexpect; i++) {
		struct ss_event ev;
		int ok;
		/* The kernel finishes a close in softirq context, a moment
		 * after the call returned: look again, bounded. */
		for (int tries = 0;; tries++) {
			env.rows = d->rows;
			env.nrows = d->nrows;
			event_init(&ev, SS_EV_EXPECT);
			ok = expect_eval(d->sc, st->expect[i].text, &env,
					 ev.u.note.text, sizeof ev.u.note.text);
			if (ok == 1 || tries == 20 || !has_kernel_field(st->expect[i].text))
				break;
			struct timespec ts = {0, 25 * 1000 * 1000};
			nanosleep(&ts, NULL);
			d->o.table = 1;
			take_snapshot(d);
		}
		ev.t = now_t(d);
		ev.step = ap->inflight + 1;
		snprintf(ev.actor, sizeof ev.actor, "%s", d->sc->actors[st->actor]);
		ev.u.note.index = ok == 1;
		if (ok != 1) {
			d->failures++;
			if (d->first_failure[0] == '\0')
				snprintf(d->first_failure, sizeof d->first_failure,
					 "%s:%d: step %d (%s %s): expectation failed: %.200s",
					 d->sc->path[0] ? d->sc->path : "built-in",
					 st->expect[i].line, ap->inflight + 1,
					 d->sc->actors[st->actor], script_call_name(st->call),
					 ev.u.note.text);
		}
		push(d, &ev);
	}
}

/* ---- actor reports ------------------------------------------------ */

static void finish(struct director *d, int force);

static int expects_failure(const struct ss_step *st)
{
	for (int i = 0; i < st->nexpect; i++)
		if (strncmp(st->expect[i].text, "fails", 5) == 0)
			return 1;
	return 0;
}

static struct actor_proc *actor_named(struct director *d, const char *name)
{
	int i = script_actor_index(d->sc, name);
	return i >= 0 ? &d->actors[i] : NULL;
}

static int is_yes(const char *a)
{
	return strcasecmp(a, "yes") == 0 || strcasecmp(a, "y") == 0 ||
	       strcasecmp(a, "true") == 0 || strcasecmp(a, "ok") == 0 ||
	       strcasecmp(a, "succeeds") == 0 || strcasecmp(a, "success") == 0;
}

/* The prediction as an expectation's right-hand side: a number as is, a
 * name (ESTABLISHED, EADDRINUSE) upper-cased, anything else quoted. */
static void prediction_value(const char *p, char *out, size_t outsz)
{
	size_t n = strlen(p);
	int digits = n > 0 && strspn(p + (p[0] == '-'), "0123456789") == n - (p[0] == '-');
	int word = n > 0 && strspn(p, "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
				    "abcdefghijklmnopqrstuvwxyz_") == n;

	if (digits) {
		snprintf(out, outsz, "%s", p);
	} else if (word) {
		size_t i;
		for (i = 0; i + 1 < outsz && p[i]; i++)
			out[i] = (char)toupper((unsigned char)p[i]);
		out[i] = '\0';
	} else {
		size_t i, o = 0;
		out[o++] = '"';
		for (i = 0; o + 2 < outsz && p[i]; i++)
			out[o++] = p[i] == '"' ? '\'' : p[i];
		out[o++] = '"';
		out[o] = '\0';
	}
}

/* Compare the learner's prediction with what the kernel answered. */
static void check_prediction(struct director *d, struct actor_proc *ap)
{
	const struct ss_step *st = &d->sc->steps[ap->inflight];
	struct ss_event ev;
	char report[SS_TEXT_MAX];
	int ok;

	event_init(&ev, SS_EV_ANSWER);
	ev.t = now_t(d);
	ev.step = ap->inflight + 1;
	snprintf(ev.actor, sizeof ev.actor, "%s", d->sc->actors[st->actor]);
	if (strcmp(st->answer, "ok") == 0) {
		int succeeded = ap->have_call && ap->call.u.call.ret >= 0;
		ok = is_yes(ap->prediction) == succeeded;
		snprintf(report, sizeof report, "the call %s",
			 succeeded ? "succeeded" : "failed");
		snprintf(ev.u.note.value, sizeof ev.u.note.value, "%s", succeeded ? "yes" : "no");
		if (!succeeded && ap->have_call && event_errno_name(ap->call.u.call.err))
			snprintf(report, sizeof report, "the call failed with %s",
				 event_errno_name(ap->call.u.call.err));
	} else {
		struct expect_env env;
		char expr[SCRIPT_EXPR_MAX + sizeof ap->prediction + 8];
		char value[sizeof ap->prediction + 2];

		prediction_value(ap->prediction, value, sizeof value);
		snprintf(expr, sizeof expr, "%s == %s", st->answer, value);
		expect_env_for(d, ap, &env);
		ok = expect_eval(d->sc, expr, &env, report, sizeof report) == 1;
		if (expect_field_text(d->sc, st->answer, &env, value, sizeof value) == 0) {
			snprintf(report, sizeof report, "%s is %s", st->answer, value);
			snprintf(ev.u.note.value, sizeof ev.u.note.value, "%.*s",
				 (int)sizeof ev.u.note.value - 1, value);
		}
	}
	/* Recorded so a replay or the HTML page can check a new prediction. */
	snprintf(ev.u.note.field, sizeof ev.u.note.field, "%.*s",
		 (int)sizeof ev.u.note.field - 1, st->answer);
	d->qasked++;
	d->qright += ok;
	ev.u.note.index = ok;
	{
		char text[SS_TEXT_MAX * 3];
		size_t n = (size_t)snprintf(text, sizeof text,
					    "%s You said %s; the kernel says %s. %s",
					    ok ? "Right!" : "Not quite.",
					    ap->prediction, report, st->explain);
		if (n >= sizeof ev.u.note.text)
			n = sizeof ev.u.note.text - 1;
		memcpy(ev.u.note.text, text, n); /* cut at the event's size */
		ev.u.note.text[n] = '\0';
	}
	push(d, &ev);
}

static void step_ended(struct director *d, struct actor_proc *ap)
{
	const struct ss_step *st = &d->sc->steps[ap->inflight];
	const char *actor = d->sc->actors[st->actor];
	int failed = ap->have_call && ap->call.u.call.ret < 0;

	/* A server serving client after client: a table after every step
	 * would scroll by unread and cost a kernel dump each; one every
	 * TABLE_BUSY_EVERY seconds, and always the final one. */
	int table_now = d->sc->repeat_count <= 1 || st->nexpect ||
			now_t(d) - d->last_table >= TABLE_BUSY_EVERY;

	if (table_now) {
		take_snapshot(d);
		d->last_table = now_t(d);
	}
	check_expectations(d, ap);
	if (ap->check_prediction)
		check_prediction(d, ap);
	ap->check_prediction = 0;
	if (table_now) {
		emit_snapshot(d, ap->inflight + 1, 1);
		narrate_table(d, ap->have_call ? &ap->call : NULL);
	}
	ap->inflight = -1;
	ap->begun = ap->blocked = ap->have_call = 0;
	if (!failed || expects_failure(st))
		return;
	if (st->skip_on_error) {
		ap->skip = st->skip_on_error;
		return;
	}
	/* A failed call nobody planned for ends the session, as an
	 * exception ends the seed's Python program. */
	note(d, 2, actor, "%s: %s failed with %s (%s); the %s stops here",
	     actor, ap->call.u.call.name, event_errno_name(ap->call.u.call.err)
	     ? event_errno_name(ap->call.u.call.err) : "an error",
	     strerror(ap->call.u.call.err), actor);
	d->failures++;
	finish(d, 1);
}

static void handle_report(struct director *d, struct ss_event *ev)
{
	struct actor_proc *ap = actor_named(d, ev->actor);

	ev->t -= d->t0;
	if (ap == NULL)
		return;
	switch (ev->kind) {
	case SS_EV_BEGIN:
		ap->begun = 1;
		ap->begun_at = now_t(d);
		ap->begin = *ev;
		if (strcmp(ev->u.call.name, "accept") == 0) {
			ap->accept_from = ev->t;
			ap->accept_to = -1;
		}
		break;
	case SS_EV_CALL: {
		const char *why = explain_call(ev);
		if (strcmp(ev->u.call.name, "accept") == 0)
			ap->accept_to = ev->t;
		ap->call = *ev;
		ap->have_call = 1;
		record_call(d, ev);
		push(d, ev);
		if (why)
			note(d, 0, ev->actor, "%s", why);
		break;
	}
	case SS_EV_END:
		if (ap->inflight >= 0)
			step_ended(d, ap);
		break;
	case SS_EV_NOTE:
		/* the actor could not even make the call (unresolvable address) */
		d->failures++;
		push(d, ev);
		finish(d, 1);
		break;
	default:
		push(d, ev);
		break;
	}
}

static void read_reports(struct director *d)
{
	for (;;) {
		ssize_t n = read(d->event_fd, d->rbuf + d->rlen,
				 sizeof d->rbuf - d->rlen - 1);
		char *line, *nl;

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return;
		d->rlen += (size_t)n;
		d->rbuf[d->rlen] = '\0';
		line = d->rbuf;
		while ((nl = strchr(line, '\n')) != NULL) {
			struct ss_event ev;
			char err[128];
			*nl = '\0';
			if (jsonl_parse(line, &ev, err, sizeof err) == 0)
				handle_report(d, &ev);
			line = nl + 1;
		}
		d->rlen = (size_t)(d->rbuf + d->rlen - line);
		memmove(d->rbuf, line, d->rlen);
		if (d->rlen > sizeof d->rbuf / 2)
			d->rlen = 0; /* a line this long is not ours: drop */
	}
}

/* The actor sleeps inside the call: /proc/PID/stat says S (or D). */
static int proc_sleeping(pid_t pid)
{
	char path[64], buf[256];
	FILE *f;
	char *p;
	int sleeping = 0;

	snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
	f = fopen(path, "r");
	if (f == NULL)
		return 0;
	if (fgets(buf, sizeof buf, f) && (p = strrchr(buf, ')')) && p[1] == ' ')
		sleeping = p[2] == 'S' || p[2] == 'D';
	fclose(f);
	return sleeping;
}

static void check_blocked(struct director *d)
{
	for (int i = 0; i < d->sc->nactors; i++) {
		struct actor_proc *ap = &d->actors[i];
		struct ss_event ev;

		if (ap->inflight < 0 || !ap->begun || ap->blocked || ap->have_call)
			continue;
		if (now_t(d) - ap->begun_at < 0.005 || !proc_sleeping(ap->pid))
			continue;
		/* Sleeping twice in a row, so that a process merely waiting
		 * for the CPU is not taken for a blocked one. */
		struct timespec ts = {0, 2 * 1000 * 1000};
		nanosleep(&ts, NULL);
		read_reports(d);
		if (ap->have_call || ap->inflight < 0 || !proc_sleeping(ap->pid))
			continue;
		ap->blocked = 1;
		ev = ap->begin;
		ev.kind = SS_EV_BLOCKED;
		ev.t = now_t(d);
		push(d, &ev);
	}
}

static void reap(struct director *d, int wait_all)
{
	for (int i = 0; i < d->sc->nactors; i++) {
		struct actor_proc *ap = &d->actors[i];
		int status;
		pid_t r;

		if (ap->pid <= 0)
			continue;
		r = waitpid(ap->pid, &status, wait_all ? 0 : WNOHANG);
		if (r != ap->pid)
			continue;
		ap->pid = 0;
		if (ap->ctrl_fd >= 0) {
			close(ap->ctrl_fd);
			ap->ctrl_fd = -1;
		}
		if (!d->finished) {
			d->failures++;
			if (WIFSIGNALED(status))
				note(d, 2, d->sc->actors[i], "the %s process died (signal %d)",
				     d->sc->actors[i], WTERMSIG(status));
			else
				note(d, 2, d->sc->actors[i], "the %s process exited early (status %d)",
				     d->sc->actors[i], WEXITSTATUS(status));
			/* the others may wait forever for the one that died */
			finish(d, 1);
		}
	}
}

/* ---- life cycle --------------------------------------------------- */

struct director *director_new(const struct director_opts *o, char *err,
			      size_t errsz)
{
	struct director *d = calloc(1, sizeof *d);

	if (d == NULL) {
		snprintf(err, errsz, "out of memory");
		return NULL;
	}
	d->o = *o;
	if (d->o.step_limit <= 0)
		d->o.step_limit = 30;
	d->sc = o->script;
	d->event_fd = -1;
	d->last = -1;
	for (int i = 0; i < SCRIPT_MAX_ACTORS; i++) {
		d->actors[i].ctrl_fd = -1;
		d->actors[i].inflight = -1;
		d->actors[i].accept_from = d->actors[i].accept_to = -1;
	}
	return d;
}

void director_add_sink(struct director *d, director_sink fn, void *ctx)
{
	if (d->nsinks < SINKS_MAX)
		d->sinks[d->nsinks++] = (struct sink){fn, ctx};
}

void director_remove_sink(struct director *d, director_sink fn, void *ctx)
{
	for (int i = 0; i < d->nsinks; i++)
		if (d->sinks[i].fn == fn && d->sinks[i].ctx == ctx) {
			memmove(&d->sinks[i], &d->sinks[i + 1],
				(size_t)(d->nsinks - i - 1) * sizeof d->sinks[0]);
			d->nsinks--;
			return;
		}
}

static int load_replay(struct director *d, char *err, size_t errsz)
{
	FILE *f = fopen(d->o.replay_path, "r");
	char line[JSONL_LINE_MAX * 2];
	int lineno = 0;

	if (f == NULL) {
		snprintf(err, errsz, "%s: %s", d->o.replay_path, strerror(errno));
		return -1;
	}
	d->replay = calloc(REPLAY_MAX, sizeof *d->replay);
	if (d->replay == NULL) {
		fclose(f);
		snprintf(err, errsz, "out of memory");
		return -1;
	}
	while (fgets(line, sizeof line, f)) {
		char why[128];
		lineno++;
		if (line[0] == '\n')
			continue;
		if (d->nreplay == REPLAY_MAX) {
			snprintf(err, errsz, "%s: more than %d events", d->o.replay_path, REPLAY_MAX);
			fclose(f);
			return -1;
		}
		if (jsonl_parse(line, &d->replay[d->nreplay], why, sizeof why) < 0) {
			/* kinds added by later versions are skipped, not fatal */
			if (strstr(why, "unknown kind"))
				continue;
			snprintf(err, errsz, "%s:%d: %s", d->o.replay_path, lineno, why);
			fclose(f);
			return -1;
		}
		d->nreplay++;
	}
	fclose(f);
	if (d->nreplay == 0) {
		snprintf(err, errsz, "%s: no events", d->o.replay_path);
		return -1;
	}
	d->total = 0;
	for (int i = 0; i < d->nreplay; i++)
		d->total += d->replay[i].kind == SS_EV_STEP;
	return 0;
}

int director_start(struct director *d, char *err, size_t errsz)
{
	int evp[2];

	d->t0 = event_clock_now();
	d->started = 1;
	track(d, 1);
	if (d->o.replay_path)
		return load_replay(d, err, errsz);

	d->total = d->sc->nsteps;
	if (d->sc->repeat_count > 1)
		d->total += (d->sc->repeat_count - 1) *
			    (d->sc->repeat_to - d->sc->repeat_from + 1);
	if (pipe2(evp, O_CLOEXEC) < 0) {
		snprintf(err, errsz, "pipe: %s", strerror(errno));
		return -1;
	}
	d->event_fd = evp[0];
	fcntl(d->event_fd, F_SETFL, O_NONBLOCK);
	fflush(NULL);
	for (int i = 0; i < d->sc->nactors; i++) {
		int cp[2];
		pid_t pid;

		if (pipe2(cp, O_CLOEXEC) < 0) {
			snprintf(err, errsz, "pipe: %s", strerror(errno));
			close(evp[1]);
			return -1;
		}
		pid = fork();
		if (pid < 0) {
			snprintf(err, errsz, "fork: %s", strerror(errno));
			close(cp[0]);
			close(cp[1]);
			close(evp[1]);
			return -1;
		}
		if (pid == 0) {
			/* The actor must not outlive the director, nor touch
			 * the terminal the UI owns. */
			int devnull = open("/dev/null", O_RDWR);
			prctl(PR_SET_PDEATHSIG, SIGKILL);
			if (getppid() == 1)
				_exit(1);
			signal(SIGINT, SIG_IGN);
			signal(SIGPIPE, SIG_IGN);
			if (devnull >= 0) {
				dup2(devnull, 0);
				dup2(devnull, 1);
				dup2(devnull, 2);
			}
			close(cp[1]);
			close(evp[0]);
			for (int j = 0; j < i; j++)
				close(d->actors[j].ctrl_fd);
			actor_main(d->sc, i, cp[0], evp[1], d->o.tracing);
		}
		close(cp[0]);
		d->actors[i].pid = pid;
		d->actors[i].ctrl_fd = cp[1];
		d->actors[i].inflight = -1;
	}
	close(evp[1]);
	open_capture(d);
	return 0;
}

/* The address an "actor.sock" reference stands for: that socket's local
 * address as the kernel reported it. */
static void resolve_ref(struct director *d, const struct ss_step *st,
			char *out, size_t outsz)
{
	char actor[SS_NAME_MAX], sock[SS_NAME_MAX];
	const struct sock_entry *e;

	snprintf(out, outsz, "-");
	if (st->addr[0] == '\0' || strchr(st->addr, ':') || st->addr[0] == '/' ||
	    st->addr[0] == '@')
		return;
	if (sscanf(st->addr, "%15[^.].%15s", actor, sock) != 2)
		return;
	e = sock_find(d, actor, sock);
	if (e && e->last.u.call.local[0])
		snprintf(out, outsz, "%s", e->last.u.call.local);
}

static int replay_next(struct director *d)
{
	int first = 1;

	if (d->replay_pos >= d->nreplay)
		return 1;
	/* A step of a recording: from its `step` event up to the next. */
	while (d->replay_pos < d->nreplay) {
		const struct ss_event *ev = &d->replay[d->replay_pos];
		if (ev->kind == SS_EV_STEP && !first)
			break;
		if (ev->kind == SS_EV_STEP)
			d->granted++;
		first = 0;
		deliver(d, ev);
		d->replay_pos++;
	}
	return 0;
}

/* Move past step idx (granted or skipped); 1 if none is left. */
static int advance(struct director *d, int idx)
{
	d->granted++;
	d->pc++;
	if (d->sc->repeat_count > 1 && idx == d->sc->repeat_to &&
	    d->repeats + 1 < d->sc->repeat_count) {
		d->repeats++;
		d->pc = d->sc->repeat_from;
	}
	return d->granted >= d->total;
}

int director_next(struct director *d)
{
	const struct ss_step *st;
	struct actor_proc *ap;
	struct ss_event ev;
	char ref[SS_ADDR_MAX];
	char line[128];
	int idx;

	if (d->o.replay_path)
		return replay_next(d);
	if (d->finished || d->granted >= d->total)
		return 1;
	if (d->last >= 0) {
		struct actor_proc *lp = &d->actors[d->sc->steps[d->last].actor];
		if (lp->inflight == d->last && !lp->blocked)
			return 1; /* busy: neither returned nor blocked yet */
	}
	idx = d->pc;
	st = &d->sc->steps[idx];
	ap = &d->actors[st->actor];
	while (ap->skip > 0 && ap->inflight < 0) {
		/* on-error: skip N, the steps of that actor not run */
		ap->skip--;
		if (advance(d, idx))
			return 1;
		idx = d->pc;
		st = &d->sc->steps[idx];
		ap = &d->actors[st->actor];
	}
	if (ap->inflight >= 0 && !ap->blocked)
		return 1;
	if (ap->inflight >= 0 && ap->blocked)
		return 1; /* that actor is still inside its previous call */

	if (d->quiz && st->ask[0] && d->answered_key != d->granted + 1) {
		/* predict, then step: the step waits for the learner */
		if (d->asked_key != d->granted + 1) {
			event_init(&ev, SS_EV_QUESTION);
			ev.t = now_t(d);
			ev.step = idx + 1;
			snprintf(ev.actor, sizeof ev.actor, "%s", d->sc->actors[st->actor]);
			ev.u.note.index = d->qasked + 1;
			snprintf(ev.u.note.text, sizeof ev.u.note.text, "%s", st->ask);
			push(d, &ev);
			flush_pending(d, 1);
			d->asked_key = d->granted + 1;
		}
		return 1;
	}
	ap->check_prediction = 0;
	if (st->ask[0] && d->have_answer && d->answered_key == d->granted + 1) {
		ap->check_prediction = 1;
		snprintf(ap->prediction, sizeof ap->prediction, "%s", d->answer);
	}

	resolve_ref(d, st, ref, sizeof ref);
	if (st->call == SS_CALL_CONNECT || st->call == SS_CALL_SENDTO)
		add_port(d, event_addr_port(strcmp(ref, "-") ? ref : st->addr));

	event_init(&ev, SS_EV_STEP);
	ev.t = now_t(d);
	ev.step = idx + 1;
	snprintf(ev.actor, sizeof ev.actor, "%s", d->sc->actors[st->actor]);
	ev.u.note.index = d->granted + 1;
	ev.u.note.count = d->total;
	snprintf(ev.u.note.text, sizeof ev.u.note.text, "%s", st->say);
	push(d, &ev);

	snprintf(line, sizeof line, "go %d %s\n", idx, ref);
	if (write(ap->ctrl_fd, line, strlen(line)) < 0) {
		note(d, 2, ev.actor, "cannot reach the %s process: %s", ev.actor,
		     strerror(errno));
		d->failures++;
		d->finished = 1;
		return -1;
	}
	ap->inflight = idx;
	ap->begun = ap->blocked = ap->have_call = 0;
	d->last = idx;
	d->last_at = now_t(d);
	advance(d, idx);
	return 0;
}

static int all_idle(const struct director *d)
{
	for (int i = 0; i < d->sc->nactors; i++)
		if (d->actors[i].inflight >= 0 && d->actors[i].pid > 0)
			return 0;
	return 1;
}

/* Tell the actors to quit; force: also stop those blocked in a call. */
static void finish(struct director *d, int force)
{
	for (int i = 0; i < d->sc->nactors; i++) {
		if (d->actors[i].pid <= 0)
			continue;
		if (d->actors[i].ctrl_fd >= 0 &&
		    write(d->actors[i].ctrl_fd, "quit\n", 5) < 0)
			force = 1;
		if (force)
			kill(d->actors[i].pid, SIGTERM);
	}
	d->finished = 1;
}

static void step_limit_check(struct director *d)
{
	struct actor_proc *lp;

	if (d->last < 0)
		return;
	lp = &d->actors[d->sc->steps[d->last].actor];
	if (lp->inflight != d->last || lp->begun)
		return;
	if (now_t(d) - d->last_at < d->o.step_limit)
		return;
	note(d, 2, d->sc->actors[d->sc->steps[d->last].actor],
	     "step %d never began: the %s is still blocked in its previous call after %gs",
	     d->last + 1, d->sc->actors[d->sc->steps[d->last].actor],
	     d->o.step_limit);
	d->failures++;
	finish(d, 1);
}

int director_pump(struct director *d, int timeout_ms)
{
	struct pollfd fds[2];
	int nfds = 0;

	if (d->done)
		return 0;
	if (d->o.replay_path) {
		if (d->replay_pos >= d->nreplay)
			d->done = 1;
		return 0;
	}
	if (d->event_fd >= 0) {
		fds[nfds].fd = d->event_fd;
		fds[nfds++].events = POLLIN;
	}
	if (d->cap) {
		fds[nfds].fd = capture_fd(d->cap);
		fds[nfds++].events = POLLIN;
	}
	/* Short waits while something may need the clock (merging, blocked
	 * detection); the caller's timeout otherwise. */
	if (d->npending || d->last >= 0)
		timeout_ms = timeout_ms < 0 || timeout_ms > 5 ? 5 : timeout_ms;
	if (poll(fds, (nfds_t)nfds, timeout_ms) < 0 && errno != EINTR)
		return -1;
	read_reports(d);
	if (d->cap)
		capture_read(d->cap, d->t0, packet_cb, d);
	check_blocked(d);
	reap(d, 0);
	if (!d->finished)
		step_limit_check(d);
	if (!d->finished && d->granted >= d->total && all_idle(d))
		finish(d, 0);

	/* Live table while an actor waits in the kernel. */
	for (int i = 0; i < d->sc->nactors; i++)
		if (d->actors[i].blocked && now_t(d) - d->last_live_table > LIVE_TABLE_EVERY) {
			d->last_live_table = now_t(d);
			if (take_snapshot(d) == 0) {
				emit_snapshot(d, 0, 0);
				narrate_table(d, NULL);
			}
			break;
		}

	if (d->finished) {
		int alive = 0;
		for (int i = 0; i < d->sc->nactors; i++)
			alive += d->actors[i].pid > 0;
		if (alive == 0) {
			read_reports(d);
			if (d->cap) {
				/* the last ACK of the close may still be in flight */
				struct timespec ts = {0, 20 * 1000 * 1000};
				nanosleep(&ts, NULL);
				capture_read(d->cap, d->t0, packet_cb, d);
			}
			if (take_snapshot(d) == 0) {
				emit_snapshot(d, 0, 1);
				narrate_table(d, NULL);
			}
			if (d->qasked)
				note(d, 0, NULL, "quiz: %d of %d predictions right",
				     d->qright, d->qasked);
			flush_pending(d, 1);
			d->done = 1;
			return 0;
		}
	}
	flush_pending(d, 0);
	return 0;
}

const char *director_first_failure(const struct director *d)
{
	return d->first_failure[0] ? d->first_failure : NULL;
}

void director_set_quiz(struct director *d, int on)
{
	d->quiz = on;
}

int director_question(const struct director *d, char *text, size_t textsz)
{
	const struct ss_step *st;

	if (d->o.replay_path || !d->quiz || d->asked_key == 0 ||
	    d->answered_key == d->asked_key || d->asked_key != d->granted + 1)
		return 0;
	st = &d->sc->steps[d->pc];
	if (text)
		snprintf(text, textsz, "%s", st->ask);
	return 1;
}

void director_answer(struct director *d, const char *answer)
{
	if (!director_question(d, NULL, 0))
		return;
	d->answered_key = d->asked_key;
	d->have_answer = answer != NULL;
	snprintf(d->answer, sizeof d->answer, "%s", answer ? answer : "");
}

int director_pollfds(struct director *d, struct pollfd *fds, int max)
{
	int n = 0;

	if (n < max && d->event_fd >= 0) {
		fds[n].fd = d->event_fd;
		fds[n++].events = POLLIN;
	}
	if (n < max && d->cap) {
		fds[n].fd = capture_fd(d->cap);
		fds[n++].events = POLLIN;
	}
	return n;
}

void director_status(const struct director *d, struct director_status *st)
{
	memset(st, 0, sizeof *st);
	st->step = d->granted;
	st->nsteps = d->total;
	st->done = d->done;
	st->failures = d->failures;
	st->packets_ok = d->cap != NULL;
	st->question = director_question(d, NULL, 0);
	st->asked = d->qasked;
	st->right = d->qright;
	if (d->o.replay_path) {
		st->done = d->replay_pos >= d->nreplay;
		return;
	}
	if (d->last >= 0) {
		const struct actor_proc *lp = &d->actors[d->sc->steps[d->last].actor];
		st->busy = lp->inflight == d->last && !lp->blocked;
	}
	for (int i = 0; i < d->sc->nactors; i++)
		st->blocked += d->actors[i].blocked && d->actors[i].inflight >= 0;
}

static void stop_actors(struct director *d)
{
	int alive = 0;

	for (int i = 0; d->sc && i < d->sc->nactors; i++) {
		if (d->actors[i].ctrl_fd >= 0) {
			close(d->actors[i].ctrl_fd);
			d->actors[i].ctrl_fd = -1;
		}
		if (d->actors[i].pid > 0) {
			kill(d->actors[i].pid, SIGTERM);
			alive++;
		}
	}
	/* Bounded: 1 s for SIGTERM to work, then SIGKILL. */
	for (int tries = 0; alive && tries < 100; tries++) {
		struct timespec ts = {0, 10 * 1000 * 1000};
		alive = 0;
		for (int i = 0; i < d->sc->nactors; i++) {
			if (d->actors[i].pid <= 0)
				continue;
			if (waitpid(d->actors[i].pid, NULL, WNOHANG) == d->actors[i].pid)
				d->actors[i].pid = 0;
			else
				alive++;
		}
		if (alive)
			nanosleep(&ts, NULL);
	}
	for (int i = 0; d->sc && i < d->sc->nactors; i++)
		if (d->actors[i].pid > 0) {
			kill(d->actors[i].pid, SIGKILL);
			waitpid(d->actors[i].pid, NULL, 0);
			d->actors[i].pid = 0;
		}
	if (d->event_fd >= 0) {
		close(d->event_fd);
		d->event_fd = -1;
	}
	for (int i = 0; i < d->nunix; i++)
		unlink(d->unix_paths[i]);
	d->nunix = 0;
}

static void reset(struct director *d)
{
	struct director_opts o = d->o;
	struct sink sinks[SINKS_MAX];
	int nsinks = d->nsinks;
	struct ss_event *replay = d->replay;
	int nreplay = d->nreplay;
	int quiz = d->quiz;

	memcpy(sinks, d->sinks, sizeof sinks);
	if (d->cap)
		capture_close(d->cap);
	memset(d, 0, sizeof *d);
	d->o = o;
	d->sc = o.script;
	memcpy(d->sinks, sinks, sizeof sinks);
	d->nsinks = nsinks;
	d->replay = replay;
	d->nreplay = nreplay;
	d->quiz = quiz;
	d->event_fd = -1;
	d->last = -1;
	for (int i = 0; i < SCRIPT_MAX_ACTORS; i++) {
		d->actors[i].ctrl_fd = -1;
		d->actors[i].inflight = -1;
		d->actors[i].accept_from = d->actors[i].accept_to = -1;
	}
}

int director_restart(struct director *d, char *err, size_t errsz)
{
	stop_actors(d);
	if (d->o.replay_path) {
		d->replay_pos = 0;
		d->granted = 0;
		d->done = 0;
		return 0;
	}
	reset(d);
	return director_start(d, err, errsz);
}

void director_free(struct director *d)
{
	if (d == NULL)
		return;
	stop_actors(d);
	if (d->cap)
		capture_close(d->cap);
	track(d, 0);
	free(d->replay);
	free(d);
}

void director_kill_all(void)
{
	for (int i = 0; i < 4; i++) {
		struct director *d = live_directors[i];
		if (d == NULL || d->sc == NULL)
			continue;
		for (int a = 0; a < d->sc->nactors; a++)
			if (d->actors[a].pid > 0) {
				kill(d->actors[a].pid, SIGKILL);
				waitpid(d->actors[a].pid, NULL, 0);
				d->actors[a].pid = 0;
			}
		for (int u = 0; u < d->nunix; u++)
			unlink(d->unix_paths[u]);
	}
}
