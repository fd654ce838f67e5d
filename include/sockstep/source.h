/*
 * source: one producer of events that can, where it is able, let a step
 * happen.  Scripted actors (forked processes, engine/actors_source.c), a
 * recording (engine/replay_source.c) and traced programs (`sockstep trace`)
 * each implement this small const table of callbacks, as ncdu's
 * `struct dir_output` or redis' ae backends do; the director holds one
 * source and keeps only the policy: which step may be taken next and when
 * the session is done.
 *
 * The contract every backend keeps:
 *   - Events go to the sink given to start(), one call per event, with `t`
 *     in seconds since the t0 given to start() (a backend whose processes
 *     stamp CLOCK_REALTIME, event_clock_now(), subtracts t0; a recording
 *     keeps its own relative times).  Events of one process come in the
 *     order that process produced them; the director's merge orders the
 *     rest.  A backend never calls sinks of its own.
 *   - The kinds a backend emits, each with `actor` naming the process's
 *     role ("server", "client", a traced program's name) and `step` the
 *     step number (1-based): SS_EV_BEGIN (a process is about to make the
 *     call of a granted step, or is stopped at a socket call waiting for a
 *     grant; not shown), SS_EV_CALL, SS_EV_BLOCKED (the process sleeps
 *     inside the call, seen in /proc/PID/stat), SS_EV_END (the step is
 *     over: the director takes the kernel's table now; not shown),
 *     SS_EV_NOTE (u.note.index: 0 info, 1 warning, 2 error: the session
 *     cannot go on, e.g. a process died or could not make its call; the
 *     director counts a failure and calls end(1)) and, for a `verbatim`
 *     recording, any kind it holds (SS_EV_STEP, SS_EV_SOCKET, ...), passed
 *     on as recorded.  Socket names (u.call.sock/newsock) are what the
 *     registry keys sockets by: a traced program may use "fd3" and the
 *     like.
 *   - The sink may call back into the source (end() from inside read() or
 *     grant(), when an error note arrives): a backend must allow it.
 *   - Nothing blocks: read() and grant() return at once; stop() alone may
 *     wait, bounded (SIGTERM, at most 1 s, then SIGKILL).
 *
 * Life of a source (all calls from the director's thread):
 *   new (backend's constructor) -> start -> { pollfds, read, status, grant }*
 *   -> end (with a script: the director ends it; without one the source
 *   ends by itself) -> done == 1 -> one more read -> stop
 *   -> [start again: a restart] -> free
 *
 * Ownership: the backend's constructor allocates `struct source` and its
 * state; whoever holds it (the director, once given it in director_opts)
 * frees it with source_free(), which stops first.  Anything passed to the
 * constructor (a script, a path, an argv) must outlive the source; the
 * source copies nothing it does not own.
 */
#ifndef SOCKSTEP_SOURCE_H
#define SOCKSTEP_SOURCE_H

#include <poll.h>
#include <stddef.h>
#include "sockstep/event.h"

/* Where a source hands its events (the director's merge). */
struct source_sink {
	void (*event)(void *ctx, const struct ss_event *ev);
	void *ctx;
};

/* What the director lets happen.  A scripted source is told which step of
 * the script to run; a recording or a tracer takes its own next step. */
struct source_grant {
	int index;         /* script step (0-based), or -1: the source's own next */
	const char *actor; /* whose call may proceed; NULL: the source chooses */
	const char *addr;  /* an "actor.sock" reference resolved by the director
			    * to the address the kernel gave that socket, or NULL */
	/* Scripted actors: take this step and every one after it, in the
	 * script's order, without a grant each (actor.h "run"); the source
	 * then reports a `begin` for each step it takes, and an `end` with
	 * step 0 when the run is over. */
	int run_free;
};

/* What the director asks between events.  Counts, not lists: the policy
 * needs no more. */
struct source_status {
	int running;       /* processes of this source still alive */
	int blocked;       /* of which asleep inside a call */
	int busy;          /* a granted step has neither ended nor blocked */
	unsigned inflight; /* bit i: actor i is inside a granted step */
	int waiting;       /* steps ready to be granted now (a recording: 1 while
			    * events are left; a tracer: processes stopped at a
			    * socket call; scripted actors: 0, the script says) */
	int nsteps;        /* steps it will take if it knows (a recording's step
			    * events), else 0 */
};

struct source_ops {
	const char *name; /* "actors", "replay", "trace": for messages */
	/* 1: the events are a finished stream (a recording: already merged,
	 * narrated, judged, with its table snapshots); the director passes
	 * them on as they are, the moment they come. */
	int verbatim;
	/* Begin (fork, open, load) with t0 as time zero; after stop(), begin
	 * again from the start.  0, or -1 with err. */
	int (*start)(void *self, double t0, const struct source_sink *sink,
		     char *err, size_t errsz);
	/* The fds the director should poll for this source (at most max). */
	int (*pollfds)(void *self, struct pollfd *fds, int max);
	/* Take what arrived (never blocks): parse lines, hand events to the
	 * sink, notice blocked and exited processes.  0, or -1 on a fatal
	 * error (reported as an SS_EV_NOTE of level 2 first). */
	int (*read)(void *self);
	void (*status)(const void *self, struct source_status *st);
	/* Let one step happen.  0 granted, 1 nothing to grant now (busy, or
	 * nothing waits, or the source has ended), -1 on error (reported as
	 * an SS_EV_NOTE of level 2 first). */
	int (*grant)(void *self, const struct source_grant *g);
	/* No more grants: let the processes finish; force: also stop those
	 * inside a call (SIGTERM).  Never waits. */
	void (*end)(void *self, int force);
	/* 1 when no event with a time before this call can still come from
	 * the source: every process idle (between steps) or asleep inside its
	 * call (seen in /proc during this call), and what they wrote read.
	 * The director then delivers what it holds for ordering at once.
	 * May be NULL: never (the director waits out the merge's hold). */
	int (*settled)(void *self);
	/* 1 once nothing more will start: every process exited (one more
	 * read() drains what they wrote), or the recording is played to its
	 * end. */
	int (*done)(const void *self);
	/* Stop and reap now (bounded), close every fd; the source may be
	 * started again. */
	void (*stop)(void *self);
	/* SIGKILL and reap at once, touching no allocator: a fatal signal's
	 * exit path.  May be NULL (nothing to kill). */
	void (*kill)(void *self);
	void (*free)(void *self);
};

struct source {
	const struct source_ops *ops;
	void *self; /* the backend's state; owned by the source */
};

/* Stop, then free the backend and the source itself.  NULL is fine. */
void source_free(struct source *s);

/* The backends, one file each in src/engine/.  Each returns a new source
 * (the caller owns it) or NULL with err. */
struct ss_script;
/* Scripted actors: one forked process per actor of sc (engine/actor.c),
 * granted "go INDEX [ADDRESS]" lines on a control pipe; a step that has not
 * begun after step_limit seconds ends the session. */
struct source *actors_source_new(const struct ss_script *sc, int tracing,
				 double step_limit, char *err, size_t errsz);
/* A recording (JSONL, docs/trace-format.md) played one step per grant:
 * from one SS_EV_STEP event up to the next. */
struct source *replay_source_new(const char *path, char *err, size_t errsz);

#endif
