/*
 * quiz: a step judged against the kernel's answers: the lesson's
 * expectations and the learner's prediction ("predict, then step").
 *
 * Pure but for one thing: an expectation on the kernel table (kstate,
 * krecv_q, ...) that does not hold yet is looked at again, bounded
 * (QUIZ_RETRIES x 25 ms), after the caller's refresh took a new snapshot:
 * the kernel finishes a close in softirq context, a moment after the call
 * returned.  The caller (the director) owns the env and what it points to.
 */
#ifndef SOCKSTEP_QUIZ_H
#define SOCKSTEP_QUIZ_H

#include <stddef.h>
#include "sockstep/expect.h"
#include "sockstep/script.h"

#define QUIZ_RETRIES 20

/* Takes a new kernel table snapshot and points env->rows at it. */
typedef void (*quiz_refresh)(void *ctx, struct expect_env *env);

/* Does the step expect its call to fail ("fails ...")? */
int quiz_expects_failure(const struct ss_step *st);
/* Evaluate expectation i of step st; refresh may be NULL.  1 holds, 0 not;
 * report says what was compared. */
int quiz_expectation(const struct ss_script *sc, const struct ss_step *st,
		     int i, struct expect_env *env, quiz_refresh refresh,
		     void *ctx, char *report, size_t reportsz);

/* "yes", "y", "true", "ok", "succeeds", "success" (any case). */
int quiz_is_yes(const char *answer);
/* The prediction as an expectation's right-hand side: a number as is, a
 * name (ESTABLISHED, EADDRINUSE) upper-cased, anything else quoted. */
void quiz_prediction_value(const char *prediction, char *out, size_t outsz);
/* Judge the learner's prediction for step st (its "answer:" field) against
 * env (env->call: the step's call, NULL if none).  Fills verdict ("Right!
 * You said ...; the kernel says .... <explain>", cut to versz) and value,
 * the kernel's answer as a learner would give it ("yes"/"no" for "answer:
 * ok", else the field's value; "" if not reported).  Returns 1 if right,
 * else 0. */
int quiz_judge(const struct ss_script *sc, const struct ss_step *st,
	       const char *prediction, const struct expect_env *env,
	       char *verdict, size_t versz, char *value, size_t valuesz);

#endif
