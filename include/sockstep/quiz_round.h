/*
 * quiz_round: predict, then step.  A step with "ask:" waits, when the quiz
 * is on, until the learner answers (or skips); the question is put once,
 * the answer is kept for the step it was given for (the grant number:
 * steps repeat, so the script's index is not enough) and judged when that
 * step ends (lesson/quiz.c).  With the quiz off, steps run without asking.
 *
 * Pure: a plain value the director owns; no I/O, no clock.
 */
#ifndef SOCKSTEP_QUIZ_ROUND_H
#define SOCKSTEP_QUIZ_ROUND_H

#include "sockstep/event.h"

struct quiz_round {
	int on;
	/* the question of grant number asked_key is out, answered once
	 * answered_key == asked_key (0: none) */
	int asked_key, answered_key;
	char answer[SS_NAME_MAX * 4];
	int have_answer; /* 0: the learner skipped */
	int asked, right; /* predictions judged, of which right */
};

/* Forget the session's questions and score; on stays. */
void quiz_round_reset(struct quiz_round *q);
/* Grant number key is a step asking ask ("" none): 1 while it waits for
 * the learner; *put is 1 when the question is to be put now (once). */
int quiz_round_waits(struct quiz_round *q, const char *ask, int key, int *put);
/* 1 while the question of grant key is out, unanswered. */
int quiz_round_open(const struct quiz_round *q, int key);
/* The learner's answer to the open question of grant key (NULL: skips
 * it); ignored when none is open. */
void quiz_round_answer(struct quiz_round *q, int key, const char *answer);
/* The prediction to judge for grant key asking ask, or NULL. */
const char *quiz_round_prediction(const struct quiz_round *q, const char *ask,
				  int key);
/* A prediction judged. */
void quiz_round_scored(struct quiz_round *q, int right);

#endif
