/* actor: one role of a script, in its own process, one granted step at a time. */
#include "sockstep/actor.h"

#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "sockstep/addr.h"
#include "sockstep/cut.h"
#include "sockstep/fds.h"
#include "sockstep/i18n.h"
#include "sockstep/trace.h"

#define ACTOR_SOCKS 16
#define RECV_MAX (SCRIPT_DATA_MAX * 64)
/* Stepping, each record is written at once, alone: a write of at most
 * PIPE_BUF bytes is atomic, so the records of several actors on the one
 * pipe never interleave.  Running free, the actor is the pipe's only
 * writer (a script of one actor): batches of OUT_RECORDS. */
_Static_assert(sizeof(struct ss_event) <= PIPE_BUF, "an event record must fit in PIPE_BUF");
#define OUT_RECORDS 64

#define ACTOR_CHILDREN 4

struct actor {
	const struct ss_script *sc;
	int index;
	int event_fd, ctrl_fd;
	pid_t children[ACTOR_CHILDREN]; /* fork() steps' children, 0 if none */
	struct trace_ctx trace;
	char names[ACTOR_SOCKS][SS_NAME_MAX];
	int fds[ACTOR_SOCKS];
	unsigned char last_recv[SCRIPT_DATA_MAX];
	long last_recv_len;
	int batch;    /* running free: reports wait in out[] until a flush */
	int lingers;  /* a step set SO_LINGER (an accepted socket inherits it) */
	int failed;   /* the last call of the step failed */
	int aborted;  /* the step could not even be made (a note said why) */
	size_t nout;  /* records in out[] */
	struct ss_event out[OUT_RECORDS];
	unsigned char buf[RECV_MAX];
};

static void write_all(int fd, const char *buf, size_t len)
{
	while (len > 0) {
		ssize_t n = write(fd, buf, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			_exit(3); /* the director is gone: nothing to report to */
		buf += n;
		len -= (size_t)n;
	}
}

static void flush(struct actor *a)
{
	if (a->nout > 0)
		write_all(a->event_fd, (const char *)a->out, a->nout * sizeof a->out[0]);
	a->nout = 0;
}

/* One report, stamped now; sent at once unless the actor runs free. */
static void emit_line(void *ctx, const struct ss_event *ev)
{
	struct actor *a = ctx;

	if (ev->kind == SS_EV_CALL)
		a->failed = ev->u.call.ret < 0;
	else if (ev->kind == SS_EV_NOTE)
		a->aborted = 1;
	a->out[a->nout] = *ev;
	a->out[a->nout++].t = event_clock_now();
	if (!a->batch || a->nout == OUT_RECORDS)
		flush(a);
}

static int ready(int fd, short events)
{
	struct pollfd p = {.fd = fd, .events = events};
	return poll(&p, 1, 0) == 1;
}

/* Is the call about to sleep in the kernel?  Then its `begin` must reach
 * the director first, or it could not tell that the actor is blocked.
 * Asked of the kernel (poll, SO_LINGER) only when running free: flushing
 * before a call that returns at once is the cost being saved, flushing
 * before one that sleeps is free. */
static int may_block(const struct actor *a, const struct ss_step *st, int fd)
{
	struct linger lg = {0, 0};
	socklen_t len = sizeof lg;

	switch (st->call) {
	case SS_CALL_ACCEPT:
	case SS_CALL_RECV:
	case SS_CALL_RECVFROM:
		return !(st->flags & MSG_DONTWAIT) && !ready(fd, POLLIN);
	case SS_CALL_SEND:
	case SS_CALL_SENDTO:
		return !(st->flags & MSG_DONTWAIT) && !ready(fd, POLLOUT);
	case SS_CALL_CLOSE:
		/* only the actor's own steps can set it: not asked until one did */
		return a->lingers && getsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, &len) == 0 &&
		       lg.l_onoff && lg.l_linger > 0;
	case SS_CALL_CONNECT:
	case SS_CALL_SLEEP:
		return 1;
	default:
		return 0;
	}
}

static void emit_simple(struct actor *a, enum ss_kind kind,
			const struct ss_step *st, int step, const char *text,
			int fd)
{
	struct ss_event ev;

	event_init(&ev, kind);
	cut_copy(ev.actor, sizeof ev.actor, a->sc->actors[a->index]);
	ev.step = step;
	if (kind == SS_EV_NOTE) {
		ev.u.note.index = 2;
		cut_copy(ev.u.note.text, sizeof ev.u.note.text, text);
	} else if (st) {
		cut_copy(ev.u.call.name, sizeof ev.u.call.name,
			       script_call_name(st->call));
		cut_copy(ev.u.call.sock, sizeof ev.u.call.sock, st->sock);
		cut_copy(ev.u.call.args, sizeof ev.u.call.args, text ? text : "");
		cut_copy(ev.u.call.newsock, sizeof ev.u.call.newsock, st->result);
		ev.u.call.fd = fd;
	}
	emit_line(a, &ev);
}

static int slot_of(struct actor *a, const char *name)
{
	for (int i = 0; i < ACTOR_SOCKS; i++)
		if (a->fds[i] >= 0 && strcmp(a->names[i], name) == 0)
			return i;
	return -1;
}

static void remember(struct actor *a, const char *name, int fd)
{
	int free_slot = -1;

	for (int i = 0; i < ACTOR_SOCKS; i++) {
		if (a->fds[i] >= 0 && strcmp(a->names[i], name) == 0) {
			/* The name now means the new socket; the old fd stays
			 * open as in a program that lost track of it. */
			a->fds[i] = fd;
			return;
		}
		if (a->fds[i] < 0 && free_slot < 0)
			free_slot = i;
	}
	if (free_slot >= 0) {
		cut_copy(a->names[free_slot], SS_NAME_MAX, name);
		a->fds[free_slot] = fd;
	}
}

static int fd_of(struct actor *a, const char *name)
{
	int i = slot_of(a, name);
	return i >= 0 ? a->fds[i] : -1;
}

/* The step's address as a sockaddr for a socket of family and type: the
 * address the lesson parser read (st->target, addr.h), or for an
 * "actor.sock" reference the address the director resolved it to (the
 * kernel's, formatted by trace.c, read back by the same parser). */
static int step_sockaddr(const struct ss_step *st, const char *resolved,
			 int family, int type, struct sockaddr_storage *ss,
			 socklen_t *len, char *why, size_t whysz)
{
	struct ss_addr ref;
	const struct ss_addr *a = &st->target;

	if (resolved && resolved[0]) {
		if (addr_parse(&ref, resolved, 0, why, whysz) < 0)
			return -1;
		a = &ref;
	} else if (a->kind == SS_ADDR_NONE) {
		snprintf(why, whysz, _("address '%s': that socket has no address yet"),
			 st->addr);
		return -1;
	}
	return addr_sockaddr(a, family, type, ss, len, why, whysz);
}

static void sock_kind(int fd, int *family, int *type)
{
	socklen_t l = sizeof *family;

	*family = AF_INET;
	*type = SOCK_STREAM;
	getsockopt(fd, SOL_SOCKET, SO_DOMAIN, family, &l);
	l = sizeof *type;
	getsockopt(fd, SOL_SOCKET, SO_TYPE, type, &l);
}

static void seed_reply(const struct actor *a, const unsigned char **data,
		       size_t *len)
{
	static const char welcome[] = "welcome to server!";
	static const char goaway[] = "please go out!";

	if (a->last_recv_len == 1 && a->last_recv[0] == '1') {
		*data = (const unsigned char *)welcome;
		*len = sizeof welcome - 1;
	} else {
		*data = (const unsigned char *)goaway;
		*len = sizeof goaway - 1;
	}
}

static void do_option(struct actor *a, const struct ss_step *st, int fd,
		      const struct trace_names *n)
{
	char args[SS_ARGS_MAX];

	if (st->call == SS_CALL_GETSOCKOPT) {
		trace_getsockopt(&a->trace, n, fd, st->level, st->optname);
		return;
	}
	if (st->optname == SO_RCVTIMEO || st->optname == SO_SNDTIMEO) {
		struct timeval tv;
		tv.tv_sec = (time_t)st->seconds;
		tv.tv_usec = (suseconds_t)((st->seconds - (double)tv.tv_sec) * 1e6);
		snprintf(args, sizeof args, "%s, %gs", st->addr, st->seconds);
		trace_setsockopt(&a->trace, n, fd, st->level, st->optname, &tv,
				 sizeof tv, args);
	} else if (st->optname == SO_LINGER) {
		struct linger lg = {.l_onoff = (int)st->num, .l_linger = (int)st->num2};
		a->lingers = 1;
		snprintf(args, sizeof args, "SO_LINGER, {%d, %d}", lg.l_onoff,
			 lg.l_linger);
		trace_setsockopt(&a->trace, n, fd, st->level, st->optname, &lg,
				 sizeof lg, args);
	} else {
		int v = (int)st->num;
		snprintf(args, sizeof args, "%s, %d", st->addr, v);
		trace_setsockopt(&a->trace, n, fd, st->level, st->optname, &v,
				 sizeof v, args);
	}
}

/* poll's arguments as the call event will show them: the names after the
 * first (that one is the begin event's sock), the events, the timeout. */
static void poll_args(const struct ss_step *st, char *buf, size_t size)
{
	const char *rest = strchr(st->addr, ' ');
	size_t used = 0;

	buf[0] = '\0';
	while (rest && *rest && used + 2 < size) {
		const char *end = strchr(rest + 1, ' ');
		int len = (int)(end ? end - rest - 1 : (long)strlen(rest + 1));
		used += (size_t)snprintf(buf + used, size - used, "%.*s, ", len, rest + 1);
		rest = end;
	}
	if (used < size)
		snprintf(buf + used, size - used, "%s%s%s, %ldms",
			 st->flags & POLLIN ? "POLLIN" : "",
			 (st->flags & POLLIN) && (st->flags & POLLOUT) ? "|" : "",
			 st->flags & POLLOUT ? "POLLOUT" : "", st->num);
}

/* The arguments of a call about to be made, as the call event will show
 * them, for the `begin`/`blocked` report. */
static const char *begin_args(const struct ss_step *st, const char *addr,
			      char *buf, size_t size)
{
	switch (st->call) {
	case SS_CALL_RECV:
	case SS_CALL_RECVFROM:
		snprintf(buf, size, "len=%ld", st->num);
		break;
	case SS_CALL_SLEEP:
		snprintf(buf, size, "%gs", st->seconds);
		break;
	case SS_CALL_SEND:
	case SS_CALL_SENDTO:
		if (strncmp((const char *)st->data, SCRIPT_FILL, strlen(SCRIPT_FILL)) == 0)
			snprintf(buf, size, "len=%.*s", (int)(st->data_len - strlen(SCRIPT_FILL)),
				 (const char *)st->data + strlen(SCRIPT_FILL));
		else
			snprintf(buf, size, "len=%zu", st->data_len);
		break;
	case SS_CALL_POLL:
		poll_args(st, buf, size);
		break;
	case SS_CALL_LISTEN:
		snprintf(buf, size, "backlog=%ld", st->num);
		break;
	case SS_CALL_BIND:
	case SS_CALL_CONNECT:
		snprintf(buf, size, "%s", addr);
		break;
	default:
		buf[0] = '\0';
		break;
	}
	return buf;
}

/* The bytes a send step carries: as written, the tutorial's reply, or
 * "@fill:N" bytes made here.  *owned is set when the caller must free. */
static const unsigned char *send_data(const struct actor *a,
				      const struct ss_step *st, size_t *len,
				      unsigned char **owned)
{
	const unsigned char *data = st->data;
	size_t fill = strlen(SCRIPT_FILL);

	*owned = NULL;
	*len = st->data_len;
	if (*len == strlen(SCRIPT_SEED_REPLY) &&
	    memcmp(data, SCRIPT_SEED_REPLY, *len) == 0) {
		seed_reply(a, &data, len);
	} else if (*len > fill && memcmp(data, SCRIPT_FILL, fill) == 0) {
		long n = strtol((const char *)data + fill, NULL, 10);
		*owned = n > 0 && n <= SCRIPT_FILL_MAX ? malloc((size_t)n) : NULL;
		*len = *owned ? (size_t)n : 0;
		if (*owned)
			memset(*owned, 'x', *len);
		data = *owned ? *owned : data;
	}
	return data;
}

static void do_send(struct actor *a, const struct ss_step *st, int fd,
		    struct trace_names *n, const struct sockaddr_storage *ss,
		    socklen_t sslen)
{
	unsigned char *owned;
	size_t len;
	const unsigned char *data = send_data(a, st, &len, &owned);

	if (st->call == SS_CALL_SEND)
		trace_send(&a->trace, n, fd, data, len, st->flags);
	else
		trace_sendto(&a->trace, n, fd, data, len, st->flags,
			     (const struct sockaddr *)ss, sslen);
	free(owned);
}

static void do_recv(struct actor *a, const struct ss_step *st, int fd,
		    struct trace_names *n)
{
	size_t size = (size_t)st->num < sizeof a->buf ? (size_t)st->num : sizeof a->buf;
	long got = st->call == SS_CALL_RECV
			   ? trace_recv(&a->trace, n, fd, a->buf, size, st->flags)
			   : trace_recvfrom(&a->trace, n, fd, a->buf, size, st->flags);

	a->last_recv_len = got > 0 ? got : 0;
	if (got > 0)
		memcpy(a->last_recv, a->buf,
		       (size_t)got < sizeof a->last_recv ? (size_t)got : sizeof a->last_recv);
}

/* sleep is no socket call, but a step: reported like one. */
static void do_sleep(struct actor *a, const struct ss_step *st, int idx)
{
	struct timespec ts;
	struct ss_event ev;

	ts.tv_sec = (time_t)st->seconds;
	ts.tv_nsec = (long)((st->seconds - (double)ts.tv_sec) * 1e9);
	/* No handler is left in the actor: a signal that interrupts the
	 * sleep ends the process, nothing restarts it. */
	nanosleep(&ts, NULL);
	if (!a->trace.enabled)
		return;
	event_init(&ev, SS_EV_CALL);
	cut_copy(ev.actor, sizeof ev.actor, a->trace.actor);
	ev.step = idx + 1;
	snprintf(ev.u.call.name, sizeof ev.u.call.name, "sleep");
	snprintf(ev.u.call.args, sizeof ev.u.call.args, "%gs", st->seconds);
	ev.u.call.ret = 0;
	emit_line(a, &ev);
}

/* fork(): the child keeps a copy of every fd (sockets included) for
 * `seconds`, then exits, which closes them: a connection ends only when
 * its last copy is closed.  The child makes no traced calls of its own;
 * it gives up the actor's pipes at once so the director sees only the
 * parent. */
static void do_fork(struct actor *a, const struct ss_step *st, int idx)
{
	struct ss_event ev;
	int slot = -1;
	pid_t pid;

	for (int i = 0; i < ACTOR_CHILDREN; i++)
		if (a->children[i] == 0)
			slot = i;
	pid = slot < 0 ? (errno = EAGAIN, -1) : fork();
	if (pid == 0) {
		struct timespec ts;
		close(a->ctrl_fd);
		close(a->event_fd);
		prctl(PR_SET_PDEATHSIG, SIGKILL); /* never outlive the actor */
		ts.tv_sec = (time_t)st->seconds;
		ts.tv_nsec = (long)((st->seconds - (double)ts.tv_sec) * 1e9);
		while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
			;
		_exit(0);
	}
	if (pid > 0)
		a->children[slot] = pid;
	if (!a->trace.enabled)
		return;
	event_init(&ev, SS_EV_CALL);
	snprintf(ev.actor, sizeof ev.actor, "%s", a->trace.actor);
	ev.step = idx + 1;
	snprintf(ev.u.call.name, sizeof ev.u.call.name, "fork");
	snprintf(ev.u.call.args, sizeof ev.u.call.args,
		 "child holds every fd %gs, then exits", st->seconds);
	ev.u.call.ret = pid;
	ev.u.call.err = pid < 0 ? errno : 0;
	emit_line(a, &ev);
}

/* Collect children that have exited; with `all`, end the rest first. */
static void reap_children(struct actor *a, int all)
{
	for (int i = 0; i < ACTOR_CHILDREN; i++) {
		if (a->children[i] == 0)
			continue;
		if (all)
			kill(a->children[i], SIGKILL);
		if (waitpid(a->children[i], NULL, all ? 0 : WNOHANG) != 0)
			a->children[i] = 0;
	}
}

/* poll(a, b, ..., EVENTS, MS): the names are in st->addr. */
static void do_poll(struct actor *a, const struct ss_step *st, int idx,
		    const struct trace_names *n)
{
	char names[SCRIPT_POLL_MAX][SS_NAME_MAX];
	const char *pnames[SCRIPT_POLL_MAX];
	int fds[SCRIPT_POLL_MAX];
	int nfds = 0;
	char list[SS_ADDR_MAX], *save = NULL;
	struct trace_names one = *n;

	snprintf(list, sizeof list, "%s", st->addr);
	for (char *tok = strtok_r(list, " ", &save); tok && nfds < SCRIPT_POLL_MAX;
	     tok = strtok_r(NULL, " ", &save)) {
		int fd = fd_of(a, tok);
		if (fd < 0) {
			char why[96];
			snprintf(why, sizeof why, _("step %d: %s has no open socket '%s'"),
				 idx + 1, a->sc->actors[a->index], tok);
			emit_simple(a, SS_EV_NOTE, st, idx + 1, why, -1);
			return;
		}
		snprintf(names[nfds], SS_NAME_MAX, "%s", tok);
		pnames[nfds] = names[nfds];
		fds[nfds++] = fd;
	}
	if (nfds > 1)
		one.sock = NULL; /* not one socket's event */
	trace_poll(&a->trace, &one, fds, pnames, nfds, st->flags, (int)st->num);
}

/* The step's call, through the traced layer (trace.c): accept() is
 * performed and reported there. */
static void perform(struct actor *a, const struct ss_step *st, int idx, int fd,
		    const struct sockaddr_storage *ss, socklen_t sslen)
{
	struct trace_names n = {.sock = st->sock, .newsock = st->result};

	switch (st->call) {
	case SS_CALL_SOCKET:
		fd = trace_socket(&a->trace, &n, st->family, st->type);
		if (fd >= 0)
			remember(a, st->result, fd);
		break;
	case SS_CALL_BIND:
		trace_bind(&a->trace, &n, fd, (const struct sockaddr *)ss, sslen);
		break;
	case SS_CALL_LISTEN:
		trace_listen(&a->trace, &n, fd, (int)st->num);
		break;
	case SS_CALL_ACCEPT: {
		int nfd = trace_accept(&a->trace, &n, fd);
		if (nfd >= 0)
			remember(a, st->result, nfd);
		break;
	}
	case SS_CALL_CONNECT:
		trace_connect(&a->trace, &n, fd, (const struct sockaddr *)ss, sslen);
		break;
	case SS_CALL_SEND:
	case SS_CALL_SENDTO:
		do_send(a, st, fd, &n, ss, sslen);
		break;
	case SS_CALL_RECV:
	case SS_CALL_RECVFROM:
		do_recv(a, st, fd, &n);
		break;
	case SS_CALL_SETSOCKOPT:
	case SS_CALL_GETSOCKOPT:
		do_option(a, st, fd, &n);
		break;
	case SS_CALL_SHUTDOWN:
		trace_shutdown(&a->trace, &n, fd, (int)st->num);
		break;
	case SS_CALL_CLOSE: {
		int slot = slot_of(a, st->sock);
		trace_close(&a->trace, &n, fd);
		if (slot >= 0)
			a->fds[slot] = -1;
		break;
	}
	case SS_CALL_FIONREAD:
		trace_fionread(&a->trace, &n, fd);
		break;
	case SS_CALL_SLEEP:
		do_sleep(a, st, idx);
		break;
	case SS_CALL_FCNTL:
		trace_set_nonblock(&a->trace, &n, fd);
		break;
	case SS_CALL_POLL:
		do_poll(a, st, idx, &n);
		break;
	case SS_CALL_FORK:
		do_fork(a, st, idx);
		break;
	case SS_CALL_COUNT:
		break;
	}
}

static void run_step(struct actor *a, int idx, const char *resolved)
{
	const struct ss_step *st = &a->sc->steps[idx];
	struct sockaddr_storage ss;
	socklen_t sslen = 0;
	int fd = -1, family, type;
	char why[160];
	const char *addr = resolved && resolved[0] ? resolved : st->addr;

	a->trace.step = idx + 1;
	reap_children(a, 0);
	if (st->call != SS_CALL_SOCKET && st->call != SS_CALL_SLEEP &&
	    st->call != SS_CALL_FORK) {
		fd = fd_of(a, st->sock);
		if (fd < 0) {
			snprintf(why, sizeof why, _("step %d: %s has no open socket '%s'"),
				 idx + 1, a->sc->actors[a->index], st->sock);
			emit_simple(a, SS_EV_NOTE, st, idx + 1, why, fd);
			return;
		}
	}
	if (st->call == SS_CALL_BIND || st->call == SS_CALL_CONNECT ||
	    st->call == SS_CALL_SENDTO) {
		sock_kind(fd, &family, &type);
		if (step_sockaddr(st, resolved, family, type, &ss, &sslen, why,
				  sizeof why) < 0) {
			emit_simple(a, SS_EV_NOTE, st, idx + 1, why, fd);
			return;
		}
	}
	emit_simple(a, SS_EV_BEGIN, st, idx + 1, begin_args(st, addr, why, sizeof why), fd);
	if (a->batch && may_block(a, st, fd))
		flush(a);
	perform(a, st, idx, fd, &ss, sslen);
}

/* The control pipe, read a buffer at a time and cut into lines. */
struct ctrl {
	int fd;
	size_t len;
	char buf[256];
};

/* The next line (without its newline) into line; -1 on EOF. */
static int read_line(struct ctrl *c, char *line, size_t size)
{
	for (;;) {
		char *nl = memchr(c->buf, '\n', c->len);
		ssize_t r;

		if (nl != NULL || c->len == sizeof c->buf) {
			size_t n = nl ? (size_t)(nl - c->buf) : c->len;
			size_t keep = n < size ? n : size - 1;
			memcpy(line, c->buf, keep);
			line[keep] = '\0';
			n += nl != NULL; /* a line longer than buf is cut */
			memmove(c->buf, c->buf + n, c->len - n);
			c->len -= n;
			return 0;
		}
		r = read(c->fd, c->buf + c->len, sizeof c->buf - c->len);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return -1;
		c->len += (size_t)r;
	}
}

/* Run free: the whole script, in its order, with no grant per step. */
static void run_free(struct actor *a)
{
	const struct ss_script *sc = a->sc;
	struct script_cursor cur;
	int skip = 0, over;

	script_cursor_init(&cur, sc);
	a->batch = 1;
	for (over = cur.total == 0; !over;) {
		int idx = cur.pc;
		const struct ss_step *st = &sc->steps[idx];

		if (st->actor != a->index)
			break; /* not a script for running free */
		if (skip > 0) {
			skip--; /* on-error: skip N */
			over = script_cursor_advance(&cur, sc, idx);
			continue;
		}
		a->failed = a->aborted = 0;
		run_step(a, idx, NULL);
		emit_simple(a, SS_EV_END, NULL, idx + 1, NULL, -1);
		over = script_cursor_advance(&cur, sc, idx);
		if (a->aborted || (a->failed && st->skip_on_error == 0))
			break; /* the director stops the session */
		if (a->failed)
			skip = st->skip_on_error;
	}
	/* step 0: the run is over (the director counts the skipped steps) */
	emit_simple(a, SS_EV_END, NULL, 0, NULL, -1);
	flush(a);
	a->batch = 0;
}

/* The actor is a fresh program as far as its calls can tell: only 0, 1, 2
 * and, out of the way at FDS_HIGH, its two pipes are open (so its first
 * socket is fd 3, as in a standalone program), and SIGTERM/SIGHUP kill it
 * at once (a handler inherited from sockstep would turn them into a fake
 * EINTR in the learner's call and a sleep that goes on). */
static void actor_isolate(int *ctrl_fd, int *event_fd)
{
	static const int fatal[] = {SIGTERM, SIGHUP, SIGQUIT, SIGALRM, SIGUSR1, SIGUSR2};
	int keep[2];
	sigset_t none;

	for (size_t i = 0; i < sizeof fatal / sizeof fatal[0]; i++)
		signal(fatal[i], SIG_DFL);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	keep[0] = fds_move_high(*ctrl_fd);
	keep[1] = fds_move_high(*event_fd);
	if (keep[0] < 0 || keep[1] < 0)
		_exit(3); /* no fd above FDS_HIGH: cannot report anything */
	*ctrl_fd = keep[0];
	*event_fd = keep[1];
	fds_close_others(keep, 2);
}

_Noreturn void actor_main(const struct ss_script *sc, int actor, int ctrl_fd,
			  int event_fd, int tracing)
{
	static struct actor a; /* static: the receive buffer is large */
	struct ctrl ctrl;
	char line[256];

	actor_isolate(&ctrl_fd, &event_fd);
	ctrl = (struct ctrl){.fd = ctrl_fd};
	memset(&a, 0, sizeof a);
	a.sc = sc;
	a.index = actor;
	a.event_fd = event_fd;
	a.ctrl_fd = ctrl_fd;
	a.trace.actor = sc->actors[actor];
	a.trace.enabled = tracing;
	a.trace.emit = emit_line;
	a.trace.emit_ctx = &a;
	for (int i = 0; i < ACTOR_SOCKS; i++)
		a.fds[i] = -1;

	while (read_line(&ctrl, line, sizeof line) == 0) {
		int idx;
		char resolved[SS_ADDR_MAX] = "";

		if (strcmp(line, "quit") == 0)
			break;
		if (strcmp(line, "run") == 0) {
			run_free(&a);
			continue;
		}
		if (sscanf(line, "go %d %63s", &idx, resolved) < 1 || idx < 0 ||
		    idx >= sc->nsteps || sc->steps[idx].actor != actor)
			continue;
		if (strcmp(resolved, "-") == 0)
			resolved[0] = '\0';
		run_step(&a, idx, resolved);
		emit_simple(&a, SS_EV_END, NULL, idx + 1, NULL, -1);
	}
	for (int i = 0; i < ACTOR_SOCKS; i++)
		if (a.fds[i] >= 0)
			close(a.fds[i]);
	reap_children(&a, 1);
	_exit(0);
}

int actor_inbox_read(struct actor_inbox *in, int fd,
		     void (*fn)(void *ctx, struct ss_event *ev), void *ctx)
{
	const size_t rec = sizeof(struct ss_event);
	int handed = 0;

	for (;;) {
		ssize_t n = read(fd, in->buf + in->len, sizeof in->buf - in->len);
		size_t off = 0;

		if (n < 0 && errno == EINTR)
			continue;
		if (n == 0)
			return handed > 0 ? handed : -1;
		if (n < 0)
			return handed;
		in->len += (size_t)n;
		for (; in->len - off >= rec; off += rec) {
			struct ss_event ev;
			memcpy(&ev, in->buf + off, rec);
			if ((unsigned)ev.kind >= SS_EV_KIND_COUNT)
				continue; /* not a record of ours */
			ev.actor[sizeof ev.actor - 1] = '\0';
			fn(ctx, &ev);
			handed++;
		}
		memmove(in->buf, in->buf + off, in->len - off);
		in->len -= off;
	}
}
