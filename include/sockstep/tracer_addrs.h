/*
 * tracer_addrs: the addresses of a traced program's connected TCP sockets,
 * remembered so a call on an established connection costs no getsockname
 * and no getpeername.
 *
 * The kernel fixes a TCP socket's two addresses when it connects (connect,
 * accept, a fast-open sendto); they change again only after the socket has
 * gone back to CLOSE (connect(AF_UNSPEC), a reset) and connected anew, or
 * through setsockopt(IPV6_ADDRFORM).  So an entry, keyed by the socket's
 * inode, is kept only while the socket is connected (ESTABLISHED, or one of
 * the closing states before CLOSE: TCP_INFO, read at every call anyway,
 * says so), and forgotten at the entry stop of any traced call on the
 * socket that could connect or disconnect it (taddrs_call_keeps).  A call
 * the tracer does not see cannot be caught: an io_uring connect, or a
 * process outside the traced program holding the same socket.
 * Direct-mapped, TADDRS_SLOTS entries; zeroed memory is empty.
 */
#ifndef SOCKSTEP_TRACER_ADDRS_H
#define SOCKSTEP_TRACER_ADDRS_H

#include "sockstep/event.h"
#include "sockstep/tracer_calls.h"

#define TADDRS_SLOTS 64

struct taddrs {
	struct {
		unsigned long inode; /* 0: empty */
		int family;
		char local[SS_ADDR_MAX];
		char peer[SS_ADDR_MAX];
	} e[TADDRS_SLOTS];
};

/* Is a TCP socket in this state (TCP_INFO's number) connected: its
 * addresses fixed until it reaches CLOSE? */
int taddrs_connected(int state);

/* Remember c's local, peer and family for the socket inode, if c shows
 * it connected (state, both addresses); else forget what was kept. */
void taddrs_put(struct taddrs *a, unsigned long inode,
		const struct ss_call_event *c);

/* Copy the kept local, peer and family of inode into c: 1, or 0 if none. */
int taddrs_get(const struct taddrs *a, unsigned long inode,
	       struct ss_call_event *c);

/* Forget inode's addresses; everything with inode 0 (a call on a socket
 * whose inode the tracer could not learn). */
void taddrs_forget(struct taddrs *a, unsigned long inode);

/* Can call c with these arguments not change its socket's addresses?
 * 1 for data calls (a sendto without an address and without
 * MSG_FASTOPEN), SOL_SOCKET options, fcntl, ioctl, dup; 0 for connect,
 * bind, listen, accept, shutdown, close and anything else. */
int taddrs_call_keeps(const struct tcall_info *c,
		      const unsigned long long args[6]);

#endif
