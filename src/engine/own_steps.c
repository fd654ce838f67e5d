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

const struct ss_event *own_steps_last_call(const struct own_steps *o)
{
	return o->have_call ? &o->call : NULL;
}
