/*
 * snapshots: the kernel's table at the director's moments, and how often.
 * After a scripted step (every step; a server serving client after client
 * at most every SNAPSHOTS_BUSY_EVERY seconds, as tables would scroll by
 * unread and cost a kernel dump each), after a traced program's call, while
 * a call waits in the kernel, and the last word of a session.  Each taken
 * table is emitted and narrated; the narration says "connect() returned
 * before accept()" only when no accept() was seen waiting (accept_order.h).
 *
 * Ownership: struct snapshots points at the director's kernel view and its
 * per-actor accept orders, which must outlive it.
 */
#ifndef SOCKSTEP_SNAPSHOTS_H
#define SOCKSTEP_SNAPSHOTS_H

#include "sockstep/accept_order.h"
#include "sockstep/event.h"
#include "sockstep/kernel_view.h"

#define SNAPSHOTS_BUSY_EVERY 0.1
#define SNAPSHOTS_LIVE_EVERY 0.25

struct snapshots {
	struct kernel_view *kv;
	const struct accept_order *accepts; /* one per actor of the script */
	int nactors;
};

/* A scripted step ended: take the table unless the script repeats (a busy
 * server) and the step has no expectation and the last one is younger
 * than SNAPSHOTS_BUSY_EVERY.  1 if taken: say it with snapshots_say once
 * the step is judged. */
int snapshots_after_step(struct snapshots *s, int repeats, int nexpect);
/* The table taken, emitted for step (1-based; 0: not after a step) and
 * narrated, citing call (NULL: none). */
void snapshots_say(struct snapshots *s, int step, const struct ss_event *call);
/* A traced program's call (last) ended: the table, at most every
 * SNAPSHOTS_BUSY_EVERY seconds (the final one comes at the end). */
void snapshots_after_call(struct snapshots *s, const struct ss_event *last);
/* A call waits in the kernel: the table every SNAPSHOTS_LIVE_EVERY s. */
void snapshots_live(struct snapshots *s);
/* The session's last word: what the close left in the kernel. */
void snapshots_final(struct snapshots *s);

#endif
