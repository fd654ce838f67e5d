/*
 * quiz_round: the predict-then-step protocol (quiz_round.h).
 */
#include "sockstep/quiz_round.h"

#include <stdio.h>

void quiz_round_reset(struct quiz_round *q)
{
	q->asked_key = q->answered_key = q->have_answer = 0;
	q->answer[0] = '\0';
	q->asked = q->right = 0;
}

int quiz_round_waits(struct quiz_round *q, const char *ask, int key, int *put)
{
	*put = 0;
	if (!q->on || !ask[0] || q->answered_key == key)
		return 0;
	if (q->asked_key != key) {
		*put = 1;
		q->asked_key = key;
	}
	return 1;
}

int quiz_round_open(const struct quiz_round *q, int key)
{
	return q->on && q->asked_key != 0 && q->answered_key != q->asked_key &&
	       q->asked_key == key;
}

void quiz_round_answer(struct quiz_round *q, int key, const char *answer)
{
	if (!quiz_round_open(q, key))
		return;
	q->answered_key = q->asked_key;
	q->have_answer = answer != NULL;
	snprintf(q->answer, sizeof q->answer, "%s", answer ? answer : "");
}

const char *quiz_round_prediction(const struct quiz_round *q, const char *ask,
				  int key)
{
	return ask[0] && q->have_answer && q->answered_key == key ? q->answer : NULL;
}

void quiz_round_scored(struct quiz_round *q, int right)
{
	q->asked++;
	q->right += right != 0;
}
