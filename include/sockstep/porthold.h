/*
 * porthold: who holds a port a session is about to bind, on the host
 * network (a private network starts with every port free).
 *
 * A demo run twice within a minute meets its own TIME_WAIT: the server
 * closed first, and its side of the connection keeps the port for 60 s
 * (TCP_TIMEWAIT_LEN).  bind() then fails EADDRINUSE unless the old socket
 * and the new one both set SO_REUSEADDR; against a listener nothing helps.
 * porthold asks sock_diag for the rows on the port and tries the bind the
 * session will make (with SO_REUSEADDR, then closed at once: a socket that
 * was only bound leaves no TIME_WAIT), so the caller can say what it is and
 * do the right thing: set SO_REUSEADDR, or wait for the countdown.
 */
#ifndef SOCKSTEP_PORTHOLD_H
#define SOCKSTEP_PORTHOLD_H

#include <stddef.h>
#include "sockstep/event.h"

enum porthold_kind {
	PORTHOLD_FREE,      /* no socket on the port */
	PORTHOLD_TIME_WAIT, /* only TIME_WAIT connections */
	PORTHOLD_LISTEN,    /* a listening socket */
	PORTHOLD_OTHER,     /* a live connection (a server still running) */
};

struct porthold {
	enum porthold_kind kind;
	int nrows;                   /* sockets with this local port */
	struct ss_socket_event row;  /* the holder shown: the listener, else
				      * the TIME_WAIT that lasts longest */
	int bind_ok; /* a bind with SO_REUSEADDR succeeds now */
};

/* Look at host:port (host numeric, as options_resolve_host leaves it).
 * 0, or -1 with err (sock_diag or socket failed). */
int porthold_check(const char *host, int port, struct porthold *h, char *err,
		   size_t errsz);

/* One sentence on the holder, e.g. "port 9001 is held by the TIME_WAIT of
 * 127.0.0.1:9001 <-> 127.0.0.1:41234 (57 s left)". */
void porthold_describe(const struct porthold *h, int port, char *out,
		       size_t outsz);

#endif
