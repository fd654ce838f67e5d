/*
 * own_steps: a traced program's calls as steps (own_steps.h).
 */
#include "sockstep/own_steps.h"

#include <stdio.h>
#include <string.h>

void own_steps_init(struct own_steps *o)
{
	memset(o, 0, sizeof *o);
}

/* 1 if pid's step began with its blocked line (a call ends that). */
static int began_blocked(struct own_steps *o, const struct ss_event *ev)
{
	for (int i = 0; i < o->nblocked; i++)
		if (o->blocked[i] == ev->pid) {
			if (ev->kind == SS_EV_CALL)
				o->blocked[i] = o->blocked[--o->nblocked];
			return 1;
		}
	return 0;
}

int own_steps_starts(struct own_steps *o, const struct ss_event *ev,
		     struct ss_event *step)
{
	if (ev->kind == SS_EV_CALL) {
		o->call = *ev;
		o->have_call = 1;
	}
	if (began_blocked(o, ev))
		return 0;
	/* more blocked at once than remembered: the call says a step again */
	if (ev->kind == SS_EV_BLOCKED && o->nblocked < OWN_BLOCKED_MAX)
		o->blocked[o->nblocked++] = ev->pid;
	event_init(step, SS_EV_STEP);
	step->t = ev->t;
	step->pid = ev->pid;
	snprintf(step->actor, sizeof step->actor, "%s", ev->actor);
	step->u.note.index = ++o->steps;
	return 1;
}

void own_steps_event(struct own_steps *o, const struct ss_event *ev,
		     const struct own_steps_out *out)
{
	struct ss_event step;

	switch (ev->kind) {
	case SS_EV_BLOCKED:
	case SS_EV_CALL:
		/* no narration with the step: the call's own line says it */
		if (own_steps_starts(o, ev, &step))
			out->push(out->ctx, &step);
		(ev->kind == SS_EV_CALL ? out->call : out->push)(out->ctx, ev);
		return;
	case SS_EV_END:
		out->ended(out->ctx, own_steps_last_call(o));
		return;
	default: /* a begin: stopped before the call, the UI shows what waits */
		out->push(out->ctx, ev);
		return;
	}
}

const struct ss_event *own_steps_last_call(const struct own_steps *o)
{
	return o->have_call ? &o->call : NULL;
}
