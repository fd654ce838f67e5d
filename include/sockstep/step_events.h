/*
 * step_events: what the walk of a script itself says, as events.  A step
 * begins (STEP: the script's step, its place among the grants, the total
 * with repetitions, the lesson's sentence) and a question is put before a
 * step (QUESTION: the step, the question's number, the lesson's question
 * with its choices).  The lesson's text is bytes from a file: copied
 * bounded here; the sinks escape it (escape.c) like every text field.
 *
 * Pure: events filled for the caller, who stamps nothing else.
 */
#ifndef SOCKSTEP_STEP_EVENTS_H
#define SOCKSTEP_STEP_EVENTS_H

#include "sockstep/event.h"
#include "sockstep/script.h"

/* Step idx (0-based) begins at t as grant number grant (1-based) of total. */
void step_events_step(const struct ss_script *sc, int idx, int grant, int total,
		      double t, struct ss_event *ev);
/* Step idx's question, the asked-th (1-based), put at t. */
void step_events_question(const struct ss_script *sc, int idx, int asked,
			  double t, struct ss_event *ev);

#endif
