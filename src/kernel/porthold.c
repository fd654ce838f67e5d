/* porthold: the kernel's answer to "who holds this port?". */
#include "sockstep/porthold.h"

#include <errno.h>
#include <netdb.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "sockstep/diag.h"
#include "sockstep/i18n.h"

#define PORTHOLD_ROWS 64

struct want {
	int port;
};

/* Sockets whose local port is ours hold it; a client connected to the
 * port from an ephemeral one does not. */
static int local_port_is(void *ctx, const struct ss_event *row)
{
	const struct want *w = ctx;
	return event_addr_port(row->u.sock.local) == w->port;
}

/* The bind the session will make, with SO_REUSEADDR: 1 if it works now. */
static int try_bind(const char *host, int port, char *err, size_t errsz)
{
	struct addrinfo hints, *res = NULL;
	char serv[8];
	int fd, one = 1, ok;

	memset(&hints, 0, sizeof hints);
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_NUMERICHOST | AI_NUMERICSERV | AI_PASSIVE;
	snprintf(serv, sizeof serv, "%d", port);
	if (getaddrinfo(host, serv, &hints, &res) != 0 || res == NULL) {
		snprintf(err, errsz, "porthold: not a numeric address: %s", host);
		return -1;
	}
	fd = socket(res->ai_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		snprintf(err, errsz, "porthold: socket: %s", strerror(errno));
		freeaddrinfo(res);
		return -1;
	}
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	ok = bind(fd, res->ai_addr, res->ai_addrlen) == 0;
	close(fd); /* never listened: leaves nothing behind */
	freeaddrinfo(res);
	return ok;
}

int porthold_check(const char *host, int port, struct porthold *h, char *err,
		   size_t errsz)
{
	static struct ss_event rows[PORTHOLD_ROWS];
	struct want w = {port};
	uint16_t p = (uint16_t)port;
	int n, ok;

	memset(h, 0, sizeof *h);
	h->row.timer_ms = -1;
	n = diag_tcp_snapshot_keep(&p, 1, 0, local_port_is, &w, rows, PORTHOLD_ROWS);
	if (n < 0) {
		snprintf(err, errsz, "sock_diag: %s", strerror(errno));
		return -1;
	}
	h->nrows = n;
	h->kind = n ? PORTHOLD_TIME_WAIT : PORTHOLD_FREE;
	for (int i = 0; i < n; i++) {
		const struct ss_socket_event *s = &rows[i].u.sock;
		if (s->state == TCP_LISTEN) {
			h->kind = PORTHOLD_LISTEN;
			h->row = *s;
		} else if (s->state != TCP_TIME_WAIT && h->kind != PORTHOLD_LISTEN) {
			h->kind = PORTHOLD_OTHER;
			h->row = *s;
		} else if (h->kind == PORTHOLD_TIME_WAIT && s->timer_ms > h->row.timer_ms) {
			h->row = *s;
		}
	}
	ok = try_bind(host, port, err, errsz);
	if (ok < 0)
		return -1;
	h->bind_ok = ok;
	return 0;
}

void porthold_describe(const struct porthold *h, int port, char *out,
		       size_t outsz)
{
	const struct ss_socket_event *s = &h->row;

	switch (h->kind) {
	case PORTHOLD_FREE:
		snprintf(out, outsz, _("port %d is free"), port);
		break;
	case PORTHOLD_TIME_WAIT:
		snprintf(out, outsz,
			 h->nrows > 1 ? _("port %d is held by the TIME_WAIT of an earlier connection, %s <-> %s (%.0f s left, and others)")
				      : _("port %d is held by the TIME_WAIT of an earlier connection, %s <-> %s (%.0f s left)"),
			 port, s->local, s->peer, s->timer_ms / 1000.0);
		break;
	case PORTHOLD_LISTEN:
		snprintf(out, outsz, _("port %d is held by a listening socket, %s (inode %lu, not this session's)"),
			 port, s->local, s->inode);
		break;
	case PORTHOLD_OTHER:
		snprintf(out, outsz, _("port %d is held by a live connection, %s <-> %s (%s)"),
			 port, s->local, s->peer, event_tcp_state_name(s->state));
		break;
	}
}
