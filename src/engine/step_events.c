/*
 * step_events: a step begins, a question is put (step_events.h).
 */
#include "sockstep/step_events.h"

#include <stdio.h>

/* The fields both events share: the step and its actor, the text. */
static void fill(const struct ss_script *sc, int idx, int kind, double t,
		 const char *text, struct ss_event *ev)
{
	const struct ss_step *st = &sc->steps[idx];

	event_init(ev, kind);
	ev->t = t;
	ev->step = idx + 1;
	snprintf(ev->actor, sizeof ev->actor, "%s", sc->actors[st->actor]);
	snprintf(ev->u.note.text, sizeof ev->u.note.text, "%s", text);
}

void step_events_step(const struct ss_script *sc, int idx, int grant, int total,
		      double t, struct ss_event *ev)
{
	fill(sc, idx, SS_EV_STEP, t, sc->steps[idx].say, ev);
	ev->u.note.index = grant;
	ev->u.note.count = total;
}

void step_events_question(const struct ss_script *sc, int idx, int asked,
			  double t, struct ss_event *ev)
{
	fill(sc, idx, SS_EV_QUESTION, t, sc->steps[idx].ask, ev);
	ev->u.note.index = asked;
}
