/*
 * registry: the session's sockets, by the names the script gave them.
 *
 * Every traced call that names a socket ("server.s", "client.k") is
 * recorded here with what the kernel said about it last: its fd, inode,
 * local and peer address, TCP state.  From those facts the registry
 * answers: which socket "actor.sock" is, what address a reference stands
 * for, which actor owns a kernel row (by inode) or a 4-tuple, which ports
 * and families the session uses (what sock_diag and the capture must ask
 * for) and which unix socket files it made (removed at the end).
 *
 * A name given again (socket() or accept() into "c" once more) means a new
 * socket: the registry forgets the old one, as the script has.  Bounded:
 * REGISTRY_MAX sockets; when full the oldest closed socket (else the
 * oldest) is forgotten.  A plain value: embed it, no free needed.
 */
#ifndef SOCKSTEP_REGISTRY_H
#define SOCKSTEP_REGISTRY_H

#include <stddef.h>
#include <stdint.h>
#include "sockstep/addr.h"
#include "sockstep/event.h"

#define REGISTRY_MAX 64
#define REGISTRY_PORTS_MAX 8
/* One per bind step a script may hold: every socket file a lesson
 * makes is removed, however many (the limit was once 4). */
#define REGISTRY_UNIX_MAX 256

struct registry_sock {
	char actor[SS_NAME_MAX];
	char sock[SS_NAME_MAX];
	int fd;
	int closed;
	struct ss_event last; /* latest call event about this socket */
};

struct registry {
	struct registry_sock socks[REGISTRY_MAX];
	int n;
	uint16_t ports[REGISTRY_PORTS_MAX];
	int nports;
	int families; /* 1 IPv4, 2 IPv6: what the table must dump */
	char unix_paths[REGISTRY_UNIX_MAX][SS_ADDR_MAX];
	int nunix;
};

void registry_init(struct registry *r);
/* Learn from one SS_EV_CALL event.  Returns 1 when a new port joined the
 * session's ports (the capture filter must follow), else 0. */
int registry_record(struct registry *r, const struct ss_event *call);
/* After a call: a successful bind to a filesystem AF_UNIX path made a
 * socket file; remember it (removed at the end) as the path bytes the
 * script gave (target: the step's parsed address), never the escaped
 * text the event shows: "/tmp/caf\xc3\xa9.sock" is not the file's name.
 * 0, or -1 when REGISTRY_UNIX_MAX files are held already. */
int registry_unix_bound(struct registry *r, const struct ss_event *call,
			const struct ss_addr *target);
/* Add a port the session talks to (a connect's target).  1 if new. */
int registry_add_port(struct registry *r, int port);
/* The socket actor.sock names now, or NULL. */
const struct registry_sock *registry_find(const struct registry *r,
					  const char *actor, const char *sock);
/* The actor that had a socket with exactly this local/peer pair (its fd
 * may be closed by now), or NULL. */
const char *registry_tuple_owner(const struct registry *r, const char *local,
				 const char *peer);
/* The open socket with this inode (0 never matches), or NULL. */
const struct registry_sock *registry_by_inode(const struct registry *r,
					      unsigned long inode);
/* "actor.sock" (a reference the lesson parser checked) -> the local
 * address the kernel gave that socket, into out.  0 if resolved, -1 if it
 * is not known (yet) or ref is not of that form (out: "-"). */
int registry_resolve(const struct registry *r, const char *ref, char *out,
		     size_t outsz);

#endif
