/* table: one snapshot of the kernel's socket table, the session's rows. */
#include "sockstep/table.h"

#include <netinet/tcp.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "sockstep/cut.h"
#include "sockstep/diag.h"
#include "sockstep/i18n.h"

void table_init(struct table *t)
{
	memset(t, 0, sizeof *t);
}

static int same_tuple(const struct ss_socket_event *row, const char *local,
		      const char *peer)
{
	return strcmp(row->local, local) == 0 && strcmp(row->peer, peer) == 0;
}

int table_row_relevant(const struct registry *r, const struct ss_socket_event *row)
{
	for (int i = 0; i < r->n; i++) {
		const struct registry_sock *e = &r->socks[i];
		const struct ss_call_event *c = &e->last.u.call;
		if (!e->closed && row->inode && c->inode == row->inode)
			return 1;
		if (c->local[0] && c->peer[0] &&
		    (same_tuple(row, c->local, c->peer) ||
		     same_tuple(row, c->peer, c->local)))
			return 1;
		/* connections a listener has queued or half-open */
		if (!e->closed && c->state == TCP_LISTEN &&
		    strcmp(row->local, c->local) == 0 && row->state != TCP_TIME_WAIT)
			return 1;
	}
	return 0;
}

void table_own_rows(struct table *t, const struct registry *r)
{
	for (int i = 0; i < t->nrows; i++) {
		struct ss_socket_event *s = &t->rows[i].u.sock;
		const struct registry_sock *e = registry_by_inode(r, s->inode);
		snprintf(s->owner, sizeof s->owner, "%s", e ? e->actor : "");
		s->owner_fd = e ? e->fd : -1;
	}
}

struct keep_ctx {
	const struct table *t;
	const struct registry *r;
};

static int keep_row(void *ctx, const struct ss_event *row)
{
	const struct keep_ctx *k = ctx;
	const struct ss_socket_event *s = &row->u.sock;

	/* what held the session's port before it began */
	if (k->t->watch_port && event_addr_port(s->local) == k->t->watch_port &&
	    (s->state == TCP_TIME_WAIT || s->state == TCP_LISTEN))
		return 1;
	return table_row_relevant(k->r, s);
}

/* The one assembly of a snapshot: n rows came from the kernel (-1: the
 * dump failed), one more than kept so that a cut is seen and said; each
 * row learns the table's size and its owner. */
static int table_assemble(struct table *t, const struct registry *r, int n)
{
	t->nrows = 0;
	t->cut = 0;
	if (n < 0)
		return -1;
	t->cut = n > SS_TABLE_ROWS;
	t->nrows = n > SS_TABLE_ROWS ? SS_TABLE_ROWS : n;
	for (int i = 0; i < t->nrows; i++)
		t->rows[i].u.sock.rows = t->nrows;
	table_own_rows(t, r);
	return 0;
}

int table_snapshot(struct table *t, const struct registry *r)
{
	struct keep_ctx k = {t, r};
	/* One row more than kept, so that a cut is seen and said. */
	int n = diag_tcp_snapshot_keep(r->ports, r->nports, r->families, keep_row,
				       &k, t->rows, SS_TABLE_ROWS + 1);

	return table_assemble(t, r, n);
}

/* Tuple (local, peer) added to the n in tup, unless there already (both
 * ends of a connection are the session's: each is the other's mirror).
 * Returns the new count. */
static int add_tuple(struct diag_tuple *tup, int n, const char *local, const char *peer)
{
	for (int i = 0; i < n; i++)
		if (strcmp(tup[i].local, local) == 0 && strcmp(tup[i].peer, peer) == 0)
			return n;
	cut_copy(tup[n].local, sizeof tup[n].local, local);
	cut_copy(tup[n].peer, sizeof tup[n].peer, peer);
	return n + 1;
}

/* The session's sockets as tuples to look up: each known 4-tuple and its
 * mirror (the other end, even after close: TIME_WAIT), a listener by its
 * local address, each once.  Returns how many. */
static int known_tuples(const struct registry *r, struct diag_tuple *tup, int max)
{
	int n = 0;

	for (int i = 0; i < r->n && n + 2 <= max; i++) {
		const struct registry_sock *e = &r->socks[i];
		const struct ss_call_event *c = &e->last.u.call;
		if (c->local[0] == '\0' || c->type != SOCK_STREAM ||
		    (c->family != AF_INET && c->family != AF_INET6))
			continue;
		if (c->peer[0]) {
			n = add_tuple(tup, n, c->local, c->peer);
			n = add_tuple(tup, n, c->peer, c->local);
		} else if (!e->closed && c->state == TCP_LISTEN) {
			n = add_tuple(tup, n, c->local, "");
		}
	}
	return n;
}

static int same_socket(const struct ss_socket_event *a, const struct ss_socket_event *b)
{
	return a->inode == b->inode && a->state == b->state &&
	       strcmp(a->local, b->local) == 0 && strcmp(a->peer, b->peer) == 0;
}

/* The rows the lookups found, as a dump would keep them: a lookup the
 * kernel has no connection for answers with the port's listener
 * (inet_diag_find_one_icsk falls back as an incoming packet would), so a
 * socket can come twice, or a listener the session no longer has. */
static int keep_found(struct table *t, const struct registry *r, int n)
{
	struct keep_ctx k = {t, r};
	int kept = 0;

	for (int i = 0; i < n; i++) {
		int seen = !keep_row(&k, &t->rows[i]);
		for (int j = 0; j < kept && !seen; j++)
			seen = same_socket(&t->rows[j].u.sock, &t->rows[i].u.sock);
		if (!seen)
			t->rows[kept++] = t->rows[i];
	}
	return kept;
}

int table_snapshot_known(struct table *t, const struct registry *r)
{
	struct diag_tuple tup[2 * REGISTRY_MAX];
	int n = diag_tcp_lookup(tup, known_tuples(r, tup, 2 * REGISTRY_MAX),
				t->rows, SS_TABLE_ROWS + 1);

	return table_assemble(t, r, n < 0 ? n : keep_found(t, r, n));
}

/* What a reader of the table would see: changed or not. */
static void signature(const struct table *t, char *sig, size_t sigsz)
{
	size_t used = 0;

	sig[0] = '\0';
	for (int i = 0; i < t->nrows && used < sigsz - 1; i++) {
		const struct ss_socket_event *s = &t->rows[i].u.sock;
		int w = snprintf(sig + used, sigsz - used, "%s %s %d %ld %ld %s %ld;",
				 s->local, s->peer, s->state, s->recv_q,
				 s->send_q, s->owner,
				 t->countdown && s->timer_ms >= 0 ? s->timer_ms / 1000 : -1);
		if (w < 0)
			break;
		used += (size_t)w;
	}
}

static void emit_note(double now, int level, table_emit emit, void *ctx,
		      const char *fmt, ...) __attribute__((format(printf, 5, 6)));
static void emit_note(double now, int level, table_emit emit, void *ctx,
		      const char *fmt, ...)
{
	struct ss_event ev;
	va_list ap;

	event_init(&ev, SS_EV_NOTE);
	ev.t = now;
	snprintf(ev.actor, sizeof ev.actor, "%s", level ? "sockstep" : "kernel");
	ev.u.note.index = level;
	va_start(ap, fmt);
	vsnprintf(ev.u.note.text, sizeof ev.u.note.text, fmt, ap);
	cut_end(ev.u.note.text); /* a long Chinese note: no half character */
	va_end(ap);
	emit(ctx, &ev);
}

int table_emit_snapshot(struct table *t, double now, int step, int force,
			table_emit emit, void *ctx)
{
	char sig[sizeof t->sig];
	struct ss_event ev;

	signature(t, sig, sizeof sig);
	if (!force && strcmp(sig, t->sig) == 0)
		return 0;
	snprintf(t->sig, sizeof t->sig, "%s", sig);
	t->snapshot_no++;
	if (t->nrows == 0) {
		event_init(&ev, SS_EV_SOCKET);
		snprintf(ev.actor, sizeof ev.actor, "kernel");
	}
	for (int i = 0; i < t->nrows || i == 0; i++) {
		if (t->nrows)
			ev = t->rows[i];
		ev.t = now;
		ev.step = step;
		ev.u.sock.snapshot = t->snapshot_no;
		ev.u.sock.rows = t->nrows;
		emit(ctx, &ev);
	}
	if (t->cut)
		emit_note(now, 1, emit, ctx,
			  _("the kernel's table has more than %d rows of this session; the first %d are shown"),
			  SS_TABLE_ROWS, SS_TABLE_ROWS);
	return t->nrows ? t->nrows : 1;
}

static int told_once(struct table *t, const struct ss_socket_event *s)
{
	char key[sizeof t->told[0]];
	int slots = (int)(sizeof t->told / sizeof t->told[0]);

	snprintf(key, sizeof key, "%d %s %s", s->state, s->local, s->peer);
	for (int i = 0; i < t->ntold; i++)
		if (strcmp(t->told[i], key) == 0)
			return 1;
	if (t->ntold == slots) {
		memmove(t->told, t->told + 1, sizeof t->told - sizeof t->told[0]);
		t->ntold--;
	}
	snprintf(t->told[t->ntold++], sizeof key, "%s", key);
	return 0;
}

/* connect() returned and the listener's accept queue holds it. */
static void narrate_queue(const struct table *t, const struct ss_event *call,
			  double now, table_emit emit, void *ctx)
{
	if (call == NULL || strcmp(call->u.call.name, "connect") != 0 ||
	    call->u.call.ret != 0)
		return;
	for (int i = 0; i < t->nrows; i++) {
		const struct ss_socket_event *s = &t->rows[i].u.sock;
		if (s->state == TCP_LISTEN && strcmp(s->local, call->u.call.peer) == 0 &&
		    s->recv_q > 0)
			emit_note(now, 0, emit, ctx,
				  _("connect() returned before the server called accept(): the kernel did the handshake, and the connection waits in the listener's accept queue (%ld waiting in the accept queue, backlog %ld)"),
				  s->recv_q, s->send_q);
	}
}

void table_narrate(struct table *t, const struct registry *r,
		   const struct ss_event *call, double now, table_emit emit,
		   void *ctx)
{
	narrate_queue(t, call, now, emit, ctx);
	for (int i = 0; i < t->nrows; i++) {
		const struct ss_socket_event *s = &t->rows[i].u.sock;
		const char *who;
		if ((s->state != TCP_TIME_WAIT && s->state != TCP_CLOSE_WAIT) ||
		    told_once(t, s))
			continue;
		who = registry_tuple_owner(r, s->local, s->peer);
		if (s->state == TCP_TIME_WAIT && who)
			emit_note(now, 0, emit, ctx,
				  _("%s %s <-> %s is in TIME_WAIT: that side closed first; the kernel keeps it %.0f s more so late packets cannot reach a new connection"),
				  who, s->local, s->peer, s->timer_ms / 1000.0);
		else if (s->state == TCP_TIME_WAIT)
			emit_note(now, 0, emit, ctx,
				  _("the socket %s <-> %s is in TIME_WAIT: that side closed first; the kernel keeps it %.0f s more so late packets cannot reach a new connection"),
				  s->local, s->peer, s->timer_ms / 1000.0);
		else if (who)
			emit_note(now, 0, emit, ctx,
				  _("%s %s <-> %s is in CLOSE_WAIT: the peer closed (its FIN arrived); recv() returns 0 and this side must close() too"),
				  who, s->local, s->peer);
		else
			emit_note(now, 0, emit, ctx,
				  _("the socket %s <-> %s is in CLOSE_WAIT: the peer closed (its FIN arrived); recv() returns 0 and this side must close() too"),
				  s->local, s->peer);
	}
}

/* Is a row with this 4-tuple, or only this local port, still there? */
static int still_there(const struct table *t, const char *local,
		       const char *peer, int any_peer)
{
	for (int i = 0; i < t->nrows; i++) {
		const struct ss_socket_event *s = &t->rows[i].u.sock;
		if (any_peer ? event_addr_port(s->local) == event_addr_port(local)
			     : same_tuple(s, local, peer))
			return 1;
	}
	return 0;
}

int table_after_end(struct table *t, const struct registry *r, double now,
		    table_emit emit, void *ctx)
{
	char gone[8][2][SS_ADDR_MAX];
	int ngone = 0;

	for (int i = 0; i < t->nrows && ngone < 8; i++) {
		const struct ss_socket_event *s = &t->rows[i].u.sock;
		if (s->state != TCP_TIME_WAIT)
			continue;
		snprintf(gone[ngone][0], SS_ADDR_MAX, "%s", s->local);
		snprintf(gone[ngone++][1], SS_ADDR_MAX, "%s", s->peer);
	}
	t->countdown = 1;
	if (table_snapshot(t, r) < 0)
		return -1;
	table_emit_snapshot(t, now, 0, 0, emit, ctx);
	for (int g = 0; g < ngone; g++) {
		const char *local = gone[g][0], *peer = gone[g][1];
		if (still_there(t, local, peer, 0))
			continue;
		if (still_there(t, local, peer, 1))
			emit_note(now, 0, emit, ctx, _("the kernel dropped the TIME_WAIT of %s <-> %s"),
				  local, peer);
		else
			emit_note(now, 0, emit, ctx,
				  _("port %d is free again: the kernel dropped the TIME_WAIT of %s <-> %s"),
				  event_addr_port(local), local, peer);
	}
	return t->nrows;
}
