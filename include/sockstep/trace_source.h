/*
 * trace_source: traced programs (`sockstep trace`) as a source of events
 * (source.h), so the director, the UI, the kernel table, packets, the
 * diagram, filters, export and record/replay work on them unchanged.
 *
 * One tracer process (tracer.h) per program: the server's and the
 * client's command lines (each through /bin/sh -c), or one command's argv.
 * The client starts once the server's listen() returned (or the server
 * exited, or client_wait seconds passed), as a learner starts the server
 * first: a client racing a server that is not listening yet would only
 * show ECONNREFUSED.  The client finds the port the server listens on in
 * SOCKSTEP_PORT.
 *
 * Gated (the UI), every socket call of every process stops before it runs
 * and waits for a grant; the source grants them in the order they
 * arrived, or the oldest of one side (grant's actor).  Ungated (headless),
 * the programs run free.  Each returned call is followed by an END event,
 * the step being over.  Calls are named after the fd ("fd4"): a traced
 * program has no script names, and the fd is what its code holds.
 */
#ifndef SOCKSTEP_TRACE_SOURCE_H
#define SOCKSTEP_TRACE_SOURCE_H

#include <stddef.h>
#include "sockstep/source.h"

struct trace_spec {
	const char *server_line; /* two programs: each through /bin/sh -c */
	const char *client_line;
	char *const *argv;       /* or one program: execvp(argv[0], argv) */
	const char *name;        /* its actor name (default: argv[0]'s base) */
	int gated;               /* each socket call waits for a grant */
	double client_wait;      /* seconds the client waits for listen(); 0: 3 */
};

/* A new source for spec (which must outlive it), or NULL with err. */
struct source *trace_source_new(const struct trace_spec *spec, char *err,
				size_t errsz);

/* Stop gating: every waiting call and every later one runs at once (the
 * UI's `c`).  No-op for a source that is not a trace source. */
void trace_source_run_free(struct source *s);

#endif
