/* quiz: a step's expectations and the learner's prediction, judged. */
#include "sockstep/quiz.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "sockstep/cut.h"
#include "sockstep/i18n.h"

int quiz_expects_failure(const struct ss_step *st)
{
	for (int i = 0; i < st->nexpect; i++)
		if (strncmp(st->expect[i].text, "fails", 5) == 0)
			return 1;
	return 0;
}

static int has_kernel_field(const char *text)
{
	return strstr(text, "kstate") || strstr(text, "krecv_q") ||
	       strstr(text, "ksend_q") || strstr(text, "ktimer") ||
	       strstr(text, "kpeerstate");
}

int quiz_expectation(const struct ss_script *sc, const struct ss_step *st,
		     int i, struct expect_env *env, quiz_refresh refresh,
		     void *ctx, char *report, size_t reportsz)
{
	const char *text = st->expect[i].text;

	for (int tries = 0;; tries++) {
		int ok = expect_eval(sc, text, env, report, reportsz);
		if (ok == 1 || tries == QUIZ_RETRIES || refresh == NULL ||
		    !has_kernel_field(text))
			return ok == 1;
		struct timespec ts = {0, 25 * 1000 * 1000};
		nanosleep(&ts, NULL);
		refresh(ctx, env);
	}
}

int quiz_is_yes(const char *a)
{
	/* a Chinese learner answers 会 / 能 / 可以 / 是 / 对 / 成功 (the
	 * Chinese lessons offer [会 | 不会]), in any locale: an answers file
	 * may come from a class in another one */
	static const char *const zh_yes[] = {
		"\xe4\xbc\x9a",		   /* 会 */
		"\xe8\x83\xbd",		   /* 能 */
		"\xe5\x8f\xaf\xe4\xbb\xa5", /* 可以 */
		"\xe6\x98\xaf",		   /* 是 */
		"\xe6\x98\xaf\xe7\x9a\x84", /* 是的 */
		"\xe5\xaf\xb9",		   /* 对 */
		"\xe6\x88\x90\xe5\x8a\x9f", /* 成功 */
		NULL};

	for (int i = 0; zh_yes[i]; i++)
		if (strcmp(a, zh_yes[i]) == 0)
			return 1;
	return strcasecmp(a, "yes") == 0 || strcasecmp(a, "y") == 0 ||
	       strcasecmp(a, "true") == 0 || strcasecmp(a, "ok") == 0 ||
	       strcasecmp(a, "succeeds") == 0 || strcasecmp(a, "success") == 0;
}

void quiz_prediction_value(const char *p, char *out, size_t outsz)
{
	size_t n = strlen(p);
	int digits = n > 0 && strspn(p + (p[0] == '-'), "0123456789") == n - (p[0] == '-');
	int word = n > 0 && strspn(p, "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
				    "abcdefghijklmnopqrstuvwxyz_") == n;

	if (digits) {
		snprintf(out, outsz, "%s", p);
	} else if (word) {
		size_t i;
		for (i = 0; i + 1 < outsz && p[i]; i++)
			out[i] = (char)toupper((unsigned char)p[i]);
		out[i] = '\0';
	} else {
		size_t i, o = 0;
		out[o++] = '"';
		for (i = 0; o + 2 < outsz && p[i]; i++)
			out[o++] = p[i] == '"' ? '\'' : p[i];
		out[o++] = '"';
		out[o] = '\0';
	}
}

/* "answer: ok": did the call succeed, as the learner said? */
static int judge_ok(const char *prediction, const struct ss_event *call,
		    char *report, size_t reportsz, char *value, size_t valuesz)
{
	int succeeded = call && call->u.call.ret >= 0;
	const char *name = call ? event_errno_name(call->u.call.err) : NULL;

	snprintf(value, valuesz, "%s", succeeded ? "yes" : "no");
	if (succeeded || name == NULL)
		snprintf(report, reportsz, "%s",
			 succeeded ? _("the call succeeded") : _("the call failed"));
	else
		snprintf(report, reportsz, _("the call failed with %s"), name);
	return quiz_is_yes(prediction) == succeeded;
}

/* "answer: FIELD": the prediction as FIELD's expected value. */
static int judge_field(const struct ss_script *sc, const struct ss_step *st,
		       const char *prediction, const struct expect_env *env,
		       char *report, size_t reportsz, char *kvalue, size_t kvaluesz)
{
	char value[SS_NAME_MAX * 4 + 2];
	char expr[SCRIPT_EXPR_MAX + sizeof value + 8];
	int ok;

	quiz_prediction_value(prediction, value, sizeof value);
	snprintf(expr, sizeof expr, "%s == %s", st->answer, value);
	ok = expect_eval(sc, expr, env, report, reportsz) == 1;
	if (expect_field_text(sc, st->answer, env, value, sizeof value) == 0) {
		snprintf(report, reportsz, _("%s is %s"), st->answer, value);
		snprintf(kvalue, kvaluesz, "%s", value);
	}
	return ok;
}

int quiz_judge(const struct ss_script *sc, const struct ss_step *st,
	       const char *prediction, const struct expect_env *env,
	       char *verdict, size_t versz, char *value, size_t valuesz)
{
	char report[SS_TEXT_MAX];
	char text[SS_TEXT_MAX * 3];
	int ok;

	if (valuesz)
		value[0] = '\0';
	if (strcmp(st->answer, "ok") == 0)
		ok = judge_ok(prediction, env->call, report, sizeof report, value,
			      valuesz);
	else
		ok = judge_field(sc, st, prediction, env, report, sizeof report,
				 value, valuesz);
	snprintf(text, sizeof text,
		 ok ? _("Right! You said %s; the kernel says %s. %s")
		    : _("Not quite. You said %s; the kernel says %s. %s"),
		 prediction, report, st->explain);
	if (versz)
		cut_copy(verdict, versz, text); /* the caller's size, whole characters */
	return ok;
}

static void describe_failure(const struct ss_script *sc, const struct ss_step *st,
			     int i, int step, const char *report, char *first,
			     size_t firstsz)
{
	if (firstsz == 0 || first[0] != '\0')
		return;
	snprintf(first, firstsz, _("%s:%d: step %d (%s %s): expectation failed: %.200s"),
		 sc->path[0] ? sc->path : "built-in", st->expect[i].line, step,
		 sc->actors[st->actor], script_call_name(st->call), report);
}

int quiz_check_step(const struct ss_script *sc, int idx, struct expect_env *env,
		    quiz_refresh refresh, void *ctx, double t0, quiz_emit emit,
		    void *emit_ctx, char *first, size_t firstsz)
{
	const struct ss_step *st = &sc->steps[idx];
	int failed = 0;

	for (int i = 0; i < st->nexpect; i++) {
		struct ss_event ev;
		int ok;

		event_init(&ev, SS_EV_EXPECT);
		ok = quiz_expectation(sc, st, i, env, refresh, ctx, ev.u.note.text,
				      sizeof ev.u.note.text);
		ev.t = event_clock_now() - t0;
		ev.step = idx + 1;
		snprintf(ev.actor, sizeof ev.actor, "%s", sc->actors[st->actor]);
		ev.u.note.index = ok;
		if (!ok) {
			failed++;
			describe_failure(sc, st, i, idx + 1, ev.u.note.text, first, firstsz);
		}
		emit(emit_ctx, &ev);
	}
	return failed;
}

int quiz_answer_event(const struct ss_script *sc, int idx, const char *prediction,
		      const struct expect_env *env, double t0, struct ss_event *ev)
{
	const struct ss_step *st = &sc->steps[idx];
	int ok;

	event_init(ev, SS_EV_ANSWER);
	ev->t = event_clock_now() - t0;
	ev->step = idx + 1;
	snprintf(ev->actor, sizeof ev->actor, "%s", sc->actors[st->actor]);
	ok = quiz_judge(sc, st, prediction, env, ev->u.note.text,
			sizeof ev->u.note.text, ev->u.note.value,
			sizeof ev->u.note.value);
	snprintf(ev->u.note.field, sizeof ev->u.note.field, "%.*s",
		 (int)sizeof ev->u.note.field - 1, st->answer);
	ev->u.note.index = ok;
	return ok;
}
