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

/* "yes", "y", "true", "ok", "succeeds", "success" (any case), or in
 * Chinese 会, 能, 可以, 是, 是的, 对, 成功. */
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

/* Emits events (the director's merge). */
typedef void (*quiz_emit)(void *ctx, const struct ss_event *ev);

/* Check every expectation of step idx of sc, emitting one SS_EV_EXPECT
 * event each (stamped with the session clock since t0, the step's actor).
 * Returns how many failed; the first failure is described in first when
 * first is still "" ("file:line: step N (actor call): expectation failed:
 * ..."). */
int quiz_check_step(const struct ss_script *sc, int idx, struct expect_env *env,
		    quiz_refresh refresh, void *ctx, double t0, quiz_emit emit,
		    void *emit_ctx, char *first, size_t firstsz);
/* The SS_EV_ANSWER event for the learner's prediction at step idx (with
 * the field asked and the kernel's value, so a replay or the HTML page can
 * check a new prediction).  Returns 1 if the prediction was right. */
int quiz_answer_event(const struct ss_script *sc, int idx, const char *prediction,
		      const struct expect_env *env, double t0, struct ss_event *ev);

#endif
