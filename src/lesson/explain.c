/* explain: what a call's result means, in plain words.
 *
 * Every sentence may only claim what this call event itself shows: its
 * errno, its return value, its flags and the TCP_INFO state read on the
 * same fd right after the call.  A state is named only when the event
 * carries it; nothing is inferred from what "usually" happens. */
#include "sockstep/explain.h"

#include <errno.h>
#include <netinet/tcp.h>
#include <stddef.h>
#include <string.h>
#include <sys/socket.h>

#include "sockstep/i18n.h"

struct explanation {
	const char *call; /* NULL: any call */
	int err;
	int family; /* 0: any family */
	const char *text; /* N_(): translated where it is returned */
};

static const struct explanation table[] = {
	{"bind", EADDRINUSE, AF_UNIX, N_("That path is taken: a socket file exists there, a listener's or one left behind (the file stays after close() until someone unlink()s it). TIME_WAIT and SO_REUSEADDR do not apply to AF_UNIX.")},
	{"bind", EADDRINUSE, 0, N_("Another socket holds this address: a listener, or a connection still in TIME_WAIT (SO_REUSEADDR on both sockets lets a server rebind over TIME_WAIT).")},
	{"bind", EACCES, 0, N_("Ports below 1024 need privileges (CAP_NET_BIND_SERVICE).")},
	{"bind", EADDRNOTAVAIL, 0, N_("That address is not one of this machine's.")},
	{"connect", ECONNREFUSED, 0, N_("Nobody listens on that port: the peer's kernel answered the SYN with a RST.")},
	{"connect", ETIMEDOUT, 0, N_("The SYNs went unanswered (dropped: a full accept queue, a firewall, no host) until the retries ran out.")},
	{"connect", EINPROGRESS, 0, N_("The socket is non-blocking (Python's settimeout() makes it so, with ioctl FIONBIO): the handshake has started and goes on in the kernel. poll() for writability says when it is over, getsockopt(SO_ERROR) how it ended.")},
	{"connect", ENETUNREACH, 0, N_("No route to that network.")},
	{"connect", EHOSTUNREACH, 0, N_("No route to that host.")},
	{NULL, ECONNRESET, 0, N_("The peer reset the connection (RST): it closed with data unread, or aborted with SO_LINGER {1, 0}.")},
	{NULL, EPIPE, 0, N_("The connection is closed for writing: this side shut down its sending direction, or the peer is gone. (sockstep sends with MSG_NOSIGNAL; without it the process would also get SIGPIPE, which kills it by default.)")},
	{NULL, ENOTCONN, 0, N_("The socket is not connected (no peer yet, or the connection is over).")},
	{NULL, EINVAL, 0, N_("The kernel rejected the arguments for this socket in its current state.")},
};

/* EAGAIN has several causes; the event's own flags decide which one is
 * named.  Without MSG_DONTWAIT the call cannot tell O_NONBLOCK from a
 * timeout (SO_RCVTIMEO / SO_SNDTIMEO), so it names both. */
static const char *explain_eagain(const struct ss_call_event *c)
{
	if (strstr(c->args, "MSG_DONTWAIT"))
		return _("MSG_DONTWAIT: nothing was ready, so this one call returned at once with EAGAIN instead of waiting.");
	if (strcmp(c->name, "accept") == 0)
		return _("No finished connection was waiting in the accept queue: the socket is non-blocking (O_NONBLOCK), or its timeout (SO_RCVTIMEO) ran out.");
	if (strcmp(c->name, "send") == 0 || strcmp(c->name, "sendto") == 0)
		return _("The send buffer is full: the socket is non-blocking (O_NONBLOCK), or its send timeout (SO_SNDTIMEO) ran out.");
	return _("Nothing arrived: the socket is non-blocking (O_NONBLOCK) and nothing was ready, or its receive timeout (SO_RCVTIMEO) ran out.");
}

/* A 0-byte read on a stream is the end of the stream.  What else can be
 * said depends on the state TCP_INFO reported for this socket. */
static const char *explain_eof(const struct ss_call_event *c)
{
	if (c->family == AF_UNIX)
		return _("0 bytes read: end of stream. The peer closed its end (or shut down its sending side).");
	switch (c->state) {
	case TCP_CLOSE_WAIT:
		return _("0 bytes read: end of stream. The peer closed its sending direction (its FIN arrived); TCP_INFO: this socket is in CLOSE_WAIT until it closes too.");
	case TCP_CLOSE:
		return _("0 bytes read: end of stream. TCP_INFO says CLOSE: this socket's connection is over in both directions, nothing more can arrive.");
	case TCP_LAST_ACK:
		return _("0 bytes read: end of stream. TCP_INFO says LAST_ACK: both sides have sent their FIN, and this side waits for the last ACK.");
	default:
		return _("0 bytes read: end of stream. Nothing more will arrive on this socket.");
	}
}

const char *explain_call(const struct ss_event *ev)
{
	const struct ss_call_event *c = &ev->u.call;

	if (ev->kind != SS_EV_CALL)
		return NULL;
	if (c->ret < 0) {
		if (c->err == EAGAIN)
			return explain_eagain(c);
		for (size_t i = 0; i < sizeof table / sizeof table[0]; i++)
			if (table[i].err == c->err &&
			    (table[i].family == 0 || table[i].family == c->family) &&
			    (table[i].call == NULL || strcmp(table[i].call, c->name) == 0))
				return _(table[i].text);
		return NULL;
	}
	/* What a language really calls, said where a learner meets it. */
	if (strcmp(c->name, "accept4") == 0)
		return _("accept4 is accept with flags: what Python's accept() calls. The new socket keeps the listener's port; what is new is its fd and the peer's port.");
	/* A 0-byte read on a stream is the peer's FIN or a reset, not an
	 * empty message. */
	if (event_call_role(c->name) == SS_ROLE_RECV && c->ret == 0 &&
	    c->type == SOCK_STREAM)
		return explain_eof(c);
	return NULL;
}
