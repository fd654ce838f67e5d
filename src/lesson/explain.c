/* explain: what a call's result means, in plain words. */
#include "sockstep/explain.h"

#include <errno.h>
#include <stddef.h>
#include <string.h>

struct explanation {
	const char *call; /* NULL: any call */
	int err;
	const char *text;
};

static const struct explanation table[] = {
	{"bind", EADDRINUSE, "Another socket holds this address: a listener, or a connection still in TIME_WAIT (SO_REUSEADDR on both sockets lets a server rebind over TIME_WAIT)."},
	{"bind", EACCES, "Ports below 1024 need privileges (CAP_NET_BIND_SERVICE)."},
	{"bind", EADDRNOTAVAIL, "That address is not one of this machine's."},
	{"connect", ECONNREFUSED, "Nobody listens on that port: the peer's kernel answered the SYN with a RST."},
	{"connect", ETIMEDOUT, "The SYNs went unanswered (dropped: a full accept queue, a firewall, no host) until the retries ran out."},
	{"connect", ENETUNREACH, "No route to that network."},
	{"connect", EHOSTUNREACH, "No route to that host."},
	{"connect", EINPROGRESS, "The socket is non-blocking (Python's settimeout() makes it so, with ioctl FIONBIO): the handshake goes on in the kernel; poll() says when it is over, getsockopt(SO_ERROR) how it ended."},
	{NULL, EAGAIN, "Nothing arrived before the timeout (SO_RCVTIMEO), or the socket is non-blocking and nothing was ready."},
	{NULL, ECONNRESET, "The peer reset the connection (RST): it closed with data unread, or aborted with SO_LINGER {1, 0}."},
	{NULL, EPIPE, "The connection is closed for writing: the peer is gone."},
	{NULL, ENOTCONN, "The socket is not connected (no peer yet, or the connection is over)."},
	{NULL, EINVAL, "The kernel rejected the arguments for this socket in its current state."},
};

const char *explain_call(const struct ss_event *ev)
{
	const struct ss_call_event *c = &ev->u.call;

	if (ev->kind != SS_EV_CALL)
		return NULL;
	if (c->ret < 0) {
		for (size_t i = 0; i < sizeof table / sizeof table[0]; i++)
			if (table[i].err == c->err &&
			    (table[i].call == NULL || strcmp(table[i].call, c->name) == 0))
				return table[i].text;
		return NULL;
	}
	/* What a language really calls, said where a learner meets it. */
	if (strcmp(c->name, "accept4") == 0)
		return "accept4 is accept with flags: what Python's accept() calls. The new socket keeps the listener's port; what is new is its fd and the peer's port.";
	/* A 0-byte read on a stream is the peer's FIN, not an empty message. */
	if (event_call_role(c->name) == SS_ROLE_RECV && c->ret == 0 &&
	    c->type == 1 /* SOCK_STREAM */)
		return "recv() returned 0: the peer closed its side (its FIN arrived). End of stream; this socket is now in CLOSE_WAIT until it closes too.";
	return NULL;
}
