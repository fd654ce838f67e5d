/*
 * own_steps: the steps of a live source that takes its own (traced
 * programs, no script).  Each call of a traced program is a step, said by
 * a STEP event before it — before its blocked line if it blocks, and then
 * not again when the call returns — so a recording replays call by call,
 * as it was stepped.  The latest call is kept for the table's narration.
 *
 * Bookkeeping: a plain value the director owns (one per session, reset
 * with own_steps_init on a restart); no I/O, no clock: events go to the
 * caller's callbacks.
 */
#ifndef SOCKSTEP_OWN_STEPS_H
#define SOCKSTEP_OWN_STEPS_H

#include "sockstep/event.h"

#define OWN_BLOCKED_MAX 32 /* traced processes blocked at once */

struct own_steps {
	int steps;           /* steps said so far */
	struct ss_event call; /* the latest call, for narration */
	int have_call;
	int blocked[OWN_BLOCKED_MAX]; /* pids whose step began blocked */
	int nblocked;
};

void own_steps_init(struct own_steps *o);
/* ev, a call or blocked line: 1 and *step (the STEP event to put before
 * it, numbered) when it starts a step; 0 when its step began already
 * with its blocked line.  A call is also kept as the latest. */
int own_steps_starts(struct own_steps *o, const struct ss_event *ev,
		     struct ss_event *step);
/* Where own_steps_event sends a traced program's events. */
struct own_steps_out {
	void (*push)(void *ctx, const struct ss_event *ev); /* shown as it is */
	void (*call)(void *ctx, const struct ss_event *ev); /* a call: recorded, shown */
	/* a call is over: the table may be taken, narrated with last */
	void (*ended)(void *ctx, const struct ss_event *last);
	void *ctx;
};
/* One event of the traced programs: a begin is shown (stopped before the
 * call: what waits), a blocked line or a call after the STEP event that
 * starts its step, an end ends the step; anything else is shown. */
void own_steps_event(struct own_steps *o, const struct ss_event *ev,
		     const struct own_steps_out *out);
/* The latest call, or NULL before the first. */
const struct ss_event *own_steps_last_call(const struct own_steps *o);

#endif
