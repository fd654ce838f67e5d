/*
 * snapshots: when the kernel's table is taken and said (snapshots.h).
 */
#include "sockstep/snapshots.h"

static double now_t(const struct snapshots *s)
{
	return event_clock_now() - s->kv->t0;
}

int snapshots_after_step(struct snapshots *s, int repeats, int nexpect)
{
	if (repeats > 1 && nexpect == 0 &&
	    now_t(s) - s->kv->last_table < SNAPSHOTS_BUSY_EVERY)
		return 0;
	kernel_view_snapshot(s->kv);
	s->kv->last_table = now_t(s);
	return 1;
}

void snapshots_say(struct snapshots *s, int step, const struct ss_event *call)
{
	kernel_view_emit(s->kv, step, 1);
	/* A connect that returned while an accept() was waiting did not
	 * return "before accept()": the table narrates it without the call. */
	call = accept_order_citable(s->accepts, s->nactors, call);
	kernel_view_narrate(s->kv, call);
}

void snapshots_after_call(struct snapshots *s, const struct ss_event *last)
{
	if (now_t(s) - s->kv->last_table < SNAPSHOTS_BUSY_EVERY)
		return;
	s->kv->last_table = now_t(s);
	if (kernel_view_snapshot(s->kv) == 0)
		snapshots_say(s, 0, last);
}

void snapshots_live(struct snapshots *s)
{
	kernel_view_live(s->kv, SNAPSHOTS_LIVE_EVERY);
}

void snapshots_final(struct snapshots *s)
{
	if (kernel_view_snapshot(s->kv) == 0)
		snapshots_say(s, 0, NULL);
}
