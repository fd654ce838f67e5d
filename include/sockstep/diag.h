/*
 * diag: the kernel's TCP socket table through sock_diag (the netlink
 * interface ss(8) uses; works unprivileged).
 *
 * Unlike TCP_INFO on an fd, sock_diag sees sockets no fd owns: connections
 * queued but not yet accepted, TIME_WAIT (a separate timewait object in the
 * kernel), orphaned FIN_WAIT2, half-open SYN_RECV.
 */
#ifndef SOCKSTEP_DIAG_H
#define SOCKSTEP_DIAG_H

#include <stdint.h>
#include "sockstep/event.h"

/* Dump IPv4 and IPv6 TCP sockets, all states, whose local or remote port is
 * one of ports[0..nports).  Fills rows[i].u.sock (local, peer, state,
 * recv_q, send_q, timer, timer_ms, inode; owner left "" / -1) with
 * kind SS_EV_SOCKET.  Returns the number of rows (at most max; extra rows
 * are dropped) or -1 with errno set. */
int diag_tcp_snapshot(const uint16_t *ports, int nports, struct ss_event *rows,
		      int max);

/* The same, keeping only the rows for which keep(ctx, row) is true: the
 * filter runs before the max is reached, so the rows wanted are never
 * crowded out by others (a server's TIME_WAITs of earlier clients).
 * families_mask: 1 IPv4, 2 IPv6, 0 both (each dump walks the kernel's
 * whole socket hash, so a family not in use is worth skipping). */
int diag_tcp_snapshot_keep(const uint16_t *ports, int nports, int families_mask,
			   int (*keep)(void *ctx, const struct ss_event *row),
			   void *ctx, struct ss_event *rows, int max);

/* A socket named by its 4-tuple, as events write addresses ("127.0.0.1:9001",
 * "[::1]:9001"); peer "" for a listener. */
struct diag_tuple {
	char local[SS_ADDR_MAX];
	char peer[SS_ADDR_MAX];
};

/* One exact question per tuple instead of a walk of the whole table: the
 * kernel looks each up in its hash (a request without NLM_F_DUMP, as
 * `ss -K` does for one socket), so the cost does not grow with the
 * machine's other sockets (thousands of TIME_WAITs under a load test).
 * A listener is found by its local address; a TIME_WAIT by its 4-tuple.
 * Fills rows as diag_tcp_snapshot does, one per tuple the kernel has
 * (none for one it has not), in the order given.  Sockets no tuple names
 * (connections queued on a listener) are not seen: that needs a dump.
 * Returns the number of rows (at most max) or -1 with errno set. */
int diag_tcp_lookup(const struct diag_tuple *tuples, int n,
		    struct ss_event *rows, int max);

#endif
