/*
 * table: the kernel's socket table as this session sees it.
 *
 * One snapshot assembly: sock_diag dumps the session's ports (filtered in
 * the kernel), then only the rows that belong to the session's sockets are
 * kept (the relevance rules below), each row marked with the actor whose
 * open fd owns it.  Emitting turns the snapshot into SS_EV_SOCKET events
 * (one snapshot number, the row count in each) when it changed or when
 * forced; narration says in a NOTE what the table shows that no call
 * reported (the accept queue, CLOSE_WAIT, TIME_WAIT), once per 4-tuple.
 *
 * Relevance: a row belongs to the session when it is
 *   - the socket of an open script socket (same inode),
 *   - the 4-tuple of a script socket, or its mirror (the other end of a
 *     connection the script made, even after close: TIME_WAIT),
 *   - queued or half-open on a listener of the script (same local address,
 *     any state but TIME_WAIT).
 * Ports alone are not enough: a server that served many clients has a
 * TIME_WAIT for each, and they would drown the exchange.
 *
 * Ownership: a plain value (rows inside, ~150 KB: embed or allocate it);
 * the registry passed to each call is only read during the call.
 */
#ifndef SOCKSTEP_TABLE_H
#define SOCKSTEP_TABLE_H

#include "sockstep/event.h"
#include "sockstep/registry.h"

typedef void (*table_emit)(void *ctx, const struct ss_event *ev);

struct table {
	struct ss_event rows[SS_TABLE_ROWS + 1]; /* one more: a cut is seen */
	int nrows;
	int cut;         /* rows the last snapshot had beyond SS_TABLE_ROWS */
	int snapshot_no; /* snapshots emitted */
	char sig[1024];  /* what the last emitted snapshot showed */
	char told[64][2 * SS_ADDR_MAX + 4]; /* states narrated, per 4-tuple */
	int ntold;
	/* A port held before the session began (an earlier run's TIME_WAIT
	 * on the host network): its TIME_WAIT and LISTEN rows are shown too,
	 * though no script socket has them.  0: none.  Set after table_init. */
	int watch_port;
	/* After the last step: the seconds left on a timer are news (the
	 * countdown ticks), so they count as a change. */
	int countdown;
};

void table_init(struct table *t);
/* Does this kernel row belong to the session's sockets (rules above)? */
int table_row_relevant(const struct registry *r, const struct ss_socket_event *row);
/* Mark each row with the actor and fd of the open socket owning it. */
void table_own_rows(struct table *t, const struct registry *r);
/* Dump the kernel's table for r's ports and keep the session's rows.
 * 0, or -1 with errno (sock_diag failed); rows are then empty. */
int table_snapshot(struct table *t, const struct registry *r);
/* The same rows by exact lookups (diag_tcp_lookup) of the sockets the
 * registry knows: each 4-tuple and its mirror, a listener by its local
 * address.  The cost does not grow with the machine's other sockets
 * (thousands of TIME_WAITs under a load test); connections queued on a
 * listener, whose tuples no call reported, are not seen.  For a session
 * running free, where the table is a glance every so often.  0 or -1. */
int table_snapshot_known(struct table *t, const struct registry *r);
/* Emit the snapshot as SS_EV_SOCKET events stamped (now, step), unless it
 * equals the last one emitted and force is 0.  An empty table is one
 * event with rows 0.  Returns the number of events emitted. */
int table_emit_snapshot(struct table *t, double now, int step, int force,
			table_emit emit, void *ctx);
/* NOTEs from the kernel's facts: after a successful connect (call, may be
 * NULL; the caller passes it only when no accept() was seen waiting as it
 * returned) a connection waiting in the listener's accept queue, with the
 * numbers of the listener's row in this snapshot; a side newly
 * in CLOSE_WAIT or TIME_WAIT. */
void table_narrate(struct table *t, const struct registry *r,
		   const struct ss_event *call, double now, table_emit emit,
		   void *ctx);
/* After the last step, while someone watches: snapshot again (countdown
 * on), emit it when a second ticked, and say when a TIME_WAIT the last
 * snapshot had is gone ("port N is free again" once no row keeps that
 * port).  Returns the rows left (0: nothing more will change), or -1. */
int table_after_end(struct table *t, const struct registry *r, double now,
		    table_emit emit, void *ctx);

#endif
