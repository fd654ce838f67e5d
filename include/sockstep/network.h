/*
 * network: which network a session uses, and getting its port ready.
 *
 * A private network (netns.h) when both ends are sockstep's; the host's
 * for server and client modes (their peers live there), --host-net, a
 * --host of the host, or when the kernel refuses namespaces (then
 * `warning` holds the one line the caller prints once the session is sure
 * to start, after any usage error).  On the host network the port of the
 * demo or of server mode may still be held by an earlier run (porthold.h):
 * the session then shows the holder and sets SO_REUSEADDR in a narrated
 * step, or waits for the kernel's countdown when that cannot work.  Lessons are left as they are: one that expects
 * EADDRINUSE still gets it.
 */
#ifndef SOCKSTEP_NETWORK_H
#define SOCKSTEP_NETWORK_H

#include <signal.h>
#include "sockstep/options.h"

struct session_net {
	int private_net;
	char warning[320];     /* the one line for stderr (a refusal), or "" */
	char note[512];        /* "network: private (...)" / "network: host (why)" */
	char holder_note[512]; /* who held the demo's port, or "" */
	char reuse_say[512];   /* the demo's SO_REUSEADDR step's narration, or "" */
	int watch_port;        /* the demo's port on the host network, whose
				* earlier holders the table shows; 0 */
};

/* Choose the network for a session of o and, on the host network, make
 * the demo's port ready.  0, or -1 when *stop was set while waiting for a
 * TIME_WAIT to go (the caller exits 130). */
int network_prepare(const struct options *o, const volatile sig_atomic_t *stop,
		    struct session_net *n);

#endif
