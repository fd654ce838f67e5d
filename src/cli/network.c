/* network: a session's network, and the demo's port on the host's. */
#include "sockstep/network.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "sockstep/i18n.h"
#include "sockstep/netns.h"
#include "sockstep/porthold.h"

#define WAIT_LIMIT_S 65.0 /* TCP_TIMEWAIT_LEN is 60 s */
#define WAIT_STEP_NS (200 * 1000 * 1000L)

/* Loopback or the wildcard exist in a private network too; any other
 * address of --host is one of the host's. */
static int host_is_local(const char *host)
{
	return strncmp(host, "127.", 4) == 0 || strcmp(host, "::1") == 0 ||
	       strcmp(host, "0.0.0.0") == 0 || strcmp(host, "::") == 0;
}

static int choose(const struct options *o, struct session_net *n)
{
	char why[256];

	if (o->mode == MODE_SERVER || o->mode == MODE_CLIENT) {
		snprintf(n->note, sizeof n->note, "%s",
			 _("network: host (the peer is a program of the host)"));
		return 0;
	}
	/* one traced program: its peers are programs of the host; two: both
	 * ends are sockstep's, like the demo */
	if (o->mode == MODE_TRACE && o->trace_server == NULL) {
		snprintf(n->note, sizeof n->note, "%s",
			 _("network: host (your program's peers are programs of the host)"));
		return 0;
	}
	if (o->host_net) {
		snprintf(n->note, sizeof n->note, "%s",
			 _("network: host (--host-net: ss and tcpdump in another terminal see it)"));
		return 0;
	}
	if (o->mode != MODE_TRACE && !host_is_local(o->host)) {
		snprintf(n->note, sizeof n->note, _("network: host (%s is an address of the host)"), o->host);
		return 0;
	}
	if (!netns_probe(why, sizeof why)) {
		static int said; /* once, not again for every lesson */
		if (!said++)
			snprintf(n->warning, sizeof n->warning,
				 _("host network: no private network here: %s"), why);
		snprintf(n->note, sizeof n->note, _("network: host (no private network here: %s)"), why);
		return 0;
	}
	snprintf(n->note, sizeof n->note, "%s",
			 _("network: private (this session's own ports: no earlier TIME_WAIT, packets without root; --host-net to watch with ss)"));
	return 1;
}

/* A TIME_WAIT that did not set SO_REUSEADDR: nothing but time frees the
 * port.  Wait for it, visibly, as the kernel counts down. */
static int wait_for_port(const struct options *o, int port, struct porthold *h,
			 const volatile sig_atomic_t *stop)
{
	char what[256], err[256];
	struct timespec step = {0, WAIT_STEP_NS};

	porthold_describe(h, port, what, sizeof what);
	fprintf(stderr, _("sockstep: %s, which did not set SO_REUSEADDR: waiting for the kernel to free it (Ctrl-C stops; the private network or --port 0 need no wait)\n"),
		what);
	for (double waited = 0; waited < WAIT_LIMIT_S; waited += 0.2) {
		if (*stop)
			return -1;
		nanosleep(&step, NULL);
		if (porthold_check(o->host, port, h, err, sizeof err) < 0 || h->bind_ok)
			return 0;
	}
	return 0; /* the bind step will show what holds it still */
}

/* The demo on the host network: who holds its port, and what to do. */
static int ready_port(const struct options *o, struct session_net *n,
		      const volatile sig_atomic_t *stop)
{
	struct porthold h;
	char what[256], err[256];
	int port = atoi(o->port);
	int waited = 0;

	/* the seed's server on its fixed port, alone or with its client */
	if ((o->mode != MODE_CLASSIC && o->mode != MODE_SERVER) || port == 0)
		return 0; /* port 0: never held */
	if (porthold_check(o->host, port, &h, err, sizeof err) < 0) {
		fprintf(stderr, _("sockstep: note: cannot tell who holds port %d: %s\n"), port, err);
		h.kind = PORTHOLD_FREE;
	}
	if (h.kind == PORTHOLD_TIME_WAIT && !h.bind_ok) {
		if (wait_for_port(o, port, &h, stop) < 0)
			return -1;
		waited = 1;
	}
	porthold_describe(&h, port, what, sizeof what);
	/* watched even when free now: after `r` this run's TIME_WAIT holds it */
	n->watch_port = port;
	if (h.kind != PORTHOLD_FREE)
		snprintf(n->holder_note, sizeof n->holder_note, "%s", what);
	if (h.kind == PORTHOLD_FREE)
		snprintf(n->reuse_say, sizeof n->reuse_say,
			 waited ? _("SO_REUSEADDR before bind(): on the host network this run's TIME_WAIT will hold port %d for 60 s after the close; the next run's bind() gets through because both sockets set it (lesson 10) (sockstep waited for an earlier TIME_WAIT that had not set it).")
				: _("SO_REUSEADDR before bind(): on the host network this run's TIME_WAIT will hold port %d for 60 s after the close; the next run's bind() gets through because both sockets set it (lesson 10)."),
			 port);
	else if (h.bind_ok)
		snprintf(n->reuse_say, sizeof n->reuse_say,
			 _("Look at the table: %s. SO_REUSEADDR, set by that run and by this one, lets bind() through (lesson 10)."),
			 what);
	else
		snprintf(n->reuse_say, sizeof n->reuse_say,
			 _("Look at the table: %s. SO_REUSEADDR cannot help against it: bind() will fail with EADDRINUSE. Stop that program, or use --port 0 or the private network (lesson 10)."),
			 what);
	return 0;
}

int network_prepare(const struct options *o, const volatile sig_atomic_t *stop,
		    struct session_net *n)
{
	memset(n, 0, sizeof *n);
	if (o->mode == MODE_REPLAY || o->mode == MODE_LESSONS)
		return 0;
	n->private_net = choose(o, n);
	return n->private_net ? 0 : ready_port(o, n, stop);
}
