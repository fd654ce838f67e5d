/*
 * step_judge: a scripted step judged when it ends (step_judge.h): the
 * environment the lesson's expectations and the learner's prediction are
 * evaluated in, built from the step's call and the kernel view.
 */
#include "sockstep/step_judge.h"

#include <stdio.h>
#include <string.h>

#include "sockstep/i18n.h"
#include "sockstep/quiz.h"

static const struct ss_event *sock_event_cb(void *ctx, const char *actor,
					    const char *sock)
{
	const struct kernel_view *kv = ctx;
	const struct registry_sock *e = registry_find(&kv->reg, actor, sock);
	return e ? &e->last : NULL;
}

/* What an expectation or a prediction about the step is checked against. */
static void env_for(const struct step_judge *j, const struct judged_step *s,
		    struct expect_env *env)
{
	memset(env, 0, sizeof *env);
	env->call = s->call;
	env->blocked = s->blocked;
	env->sock_event = sock_event_cb;
	env->ctx = j->kv;
	env->rows = j->kv->table.rows;
	env->nrows = j->kv->table.nrows;
	expect_ephemeral_range(&env->eph_lo, &env->eph_hi);
}

/* An expectation on the kernel table not holding yet: look again (even
 * where the session shows no table: the lesson asked). */
static void refresh_table(void *ctx, struct expect_env *env)
{
	struct kernel_view *kv = ctx;

	kv->o.table = 1;
	kernel_view_snapshot(kv);
	env->rows = kv->table.rows;
	env->nrows = kv->table.nrows;
}

int step_judge_expectations(const struct step_judge *j, const struct judged_step *s,
			    char *first, size_t firstsz)
{
	struct expect_env env;

	if (j->sc->steps[s->idx].nexpect == 0)
		return 0; /* nothing to check: no environment to build */
	env_for(j, s, &env);
	return quiz_check_step(j->sc, s->idx, &env, refresh_table, j->kv,
			       j->out->t0, stream_push_cb, j->out, first, firstsz);
}

int step_judge_prediction(const struct step_judge *j, const struct judged_step *s,
			  const char *prediction)
{
	struct expect_env env;
	struct ss_event ev;
	int right;

	env_for(j, s, &env);
	right = quiz_answer_event(j->sc, s->idx, prediction, &env, j->out->t0, &ev);
	stream_push(j->out, &ev);
	return right;
}

enum step_failure step_judge_failure(const struct step_judge *j,
				     const struct judged_step *s, int *skip)
{
	const struct ss_step *st = &j->sc->steps[s->idx];
	const char *actor = j->sc->actors[st->actor];
	const struct ss_call_event *c = &s->call->u.call;

	if (quiz_expects_failure(st))
		return STEP_FAILURE_PLANNED;
	if (st->skip_on_error) {
		*skip = st->skip_on_error;
		return STEP_FAILURE_SKIP;
	}
	if (event_errno_name(c->err))
		stream_note(j->out, 2, actor,
			    _("%s: %s failed with %s (%s); the %s stops here"), actor,
			    c->name, event_errno_name(c->err), strerror(c->err), actor);
	else
		stream_note(j->out, 2, actor,
			    _("%s: %s failed with an error (%s); the %s stops here"),
			    actor, c->name, strerror(c->err), actor);
	return STEP_FAILURE_STOP;
}
