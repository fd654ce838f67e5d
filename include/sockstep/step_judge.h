/*
 * step_judge: a scripted step judged when it ends, against what the kernel
 * answered: the lesson's expectations (quiz.h: an expectation on the
 * table not holding yet is looked at again after a new snapshot), the
 * learner's prediction, and a failed call nobody planned for (the session
 * stops there, as an exception ends the seed's Python program, unless the
 * step says on-error: skip N).  What it finds goes into the stream as
 * EXPECT, ANSWER and NOTE events; the director keeps the score and decides
 * what follows.
 *
 * Ownership: struct step_judge only points at the director's script,
 * kernel view and stream, which must outlive each call.
 */
#ifndef SOCKSTEP_STEP_JUDGE_H
#define SOCKSTEP_STEP_JUDGE_H

#include <stddef.h>

#include "sockstep/event.h"
#include "sockstep/kernel_view.h"
#include "sockstep/script.h"
#include "sockstep/stream.h"

struct step_judge {
	const struct ss_script *sc;
	struct kernel_view *kv; /* the table and the session's sockets */
	struct stream *out;
};

/* What the director saw of one step. */
struct judged_step {
	int idx;                     /* the step, 0-based */
	const struct ss_event *call; /* its call event, NULL if none came */
	int blocked;                 /* it was seen asleep in the kernel */
};

/* Check the step's expectations, one EXPECT event each.  Returns how many
 * failed; the first failure is described in first while first is ""
 * ("file:line: step N (actor call): expectation failed: ..."). */
int step_judge_expectations(const struct step_judge *j, const struct judged_step *s,
			    char *first, size_t firstsz);
/* The learner's prediction for the step, judged: its ANSWER event.
 * Returns 1 if the kernel agreed, else 0. */
int step_judge_prediction(const struct step_judge *j, const struct judged_step *s,
			  const char *prediction);

enum step_failure {
	STEP_FAILURE_PLANNED, /* the step expects its call to fail */
	STEP_FAILURE_SKIP,    /* on-error: skip N (*skip = N) */
	STEP_FAILURE_STOP,    /* nobody planned it: said as an error note */
};

/* The step's call failed (s->call: ret < 0): what that means. */
enum step_failure step_judge_failure(const struct step_judge *j,
				     const struct judged_step *s, int *skip);

#endif
