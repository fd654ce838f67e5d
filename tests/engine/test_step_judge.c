/* step_judge: a step judged when it ends, from the call the kernel
 * answered: a planned failure passes, on-error skips, an unplanned one
 * stops the session with the errno said; expectations and predictions
 * leave their events in the stream. */
#include <check.h>

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "sockstep/lesson.h"
#include "sockstep/step_judge.h"

static struct ss_script sc;
static struct stream out; /* the merge: 300 KB, not on a test's stack */
static struct kernel_view kv;
static struct step_judge judge;

struct got {
	int n;
	struct ss_event ev[8];
};
static struct got got;

static void collect(void *ctx, const struct ss_event *ev)
{
	struct got *g = ctx;
	if (g->n < 8)
		g->ev[g->n++] = *ev;
}

static void setup(void)
{
	char err[256];
	const char *text =
	    "# T\n```sockstep\n"
	    "client: k = socket(AF_INET, SOCK_STREAM)\n"
	    "client: connect(k, 127.0.0.1:1)\n"
	    "  on-error: skip 2\n"
	    "client: connect(k, 127.0.0.1:1)\n"
	    "  expect: fails ECONNREFUSED\n"
	    "client: connect(k, 127.0.0.1:1)\n"
	    "  ask: Will it connect? [yes | no]\n"
	    "  answer: ok\n"
	    "  explain: Nobody listens on port 1.\n"
	    "```\n";
	struct kernel_view_opts ko = {0}; /* no table, no capture */

	ck_assert_msg(lesson_parse(&sc, text, "t.md", NULL, 0, err, sizeof err) == 0,
		      "%s", err);
	memset(&got, 0, sizeof got);
	stream_init(&out);
	stream_add_sink(&out, collect, &got);
	stream_start(&out);
	kernel_view_init(&kv, &ko, stream_push_cb, &out);
	judge = (struct step_judge){&sc, &kv, &out};
}

static void teardown(void)
{
	script_free(&sc);
}

static struct ss_event refused(void)
{
	struct ss_event ev;
	event_init(&ev, SS_EV_CALL);
	snprintf(ev.actor, sizeof ev.actor, "client");
	snprintf(ev.u.call.name, sizeof ev.u.call.name, "connect");
	ev.u.call.ret = -1;
	ev.u.call.err = ECONNREFUSED;
	return ev;
}

START_TEST(test_step_judge__an_unplanned_failure_stops_and_names_the_errno)
{
	struct ss_event ev = refused();
	struct judged_step js = {3, &ev, 0}; /* the step that asks, expects nothing */
	int skip = 0;

	ck_assert_int_eq(step_judge_failure(&judge, &js, &skip), STEP_FAILURE_STOP);
	stream_flush(&out, 1);
	ck_assert_int_eq(got.n, 1);
	ck_assert_int_eq(got.ev[0].kind, SS_EV_NOTE);
	ck_assert_int_eq(got.ev[0].u.note.index, 2);
	ck_assert_str_eq(got.ev[0].actor, "client");
	ck_assert_msg(strstr(got.ev[0].u.note.text, "connect failed with ECONNREFUSED") != NULL,
		      "%s", got.ev[0].u.note.text);
}
END_TEST

START_TEST(test_step_judge__on_error_skips_and_a_planned_failure_passes_silently)
{
	struct ss_event ev = refused();
	struct judged_step skips = {1, &ev, 0}, planned = {2, &ev, 0};
	int skip = 0;

	ck_assert_int_eq(step_judge_failure(&judge, &skips, &skip), STEP_FAILURE_SKIP);
	ck_assert_int_eq(skip, 2);
	ck_assert_int_eq(step_judge_failure(&judge, &planned, &skip), STEP_FAILURE_PLANNED);
	stream_flush(&out, 1);
	ck_assert_int_eq(got.n, 0);
}
END_TEST

START_TEST(test_step_judge__an_expectation_not_met_is_counted_and_placed)
{
	struct ss_event ev = refused();
	struct judged_step js = {2, &ev, 0};
	char first[512] = "";

	ck_assert_int_eq(step_judge_expectations(&judge, &js, first, sizeof first), 0);
	ck_assert_str_eq(first, "");
	ev.u.call.err = ETIMEDOUT;
	ck_assert_int_eq(step_judge_expectations(&judge, &js, first, sizeof first), 1);
	ck_assert_msg(strstr(first, ":7: step 3 (client connect): expectation failed: fails ECONNREFUSED") != NULL,
		      "%s", first);
	/* a step without expectations builds nothing, says nothing */
	js.idx = 0;
	ck_assert_int_eq(step_judge_expectations(&judge, &js, first, sizeof first), 0);
	stream_flush(&out, 1);
	ck_assert_int_eq(got.n, 2);
	ck_assert_int_eq(got.ev[0].kind, SS_EV_EXPECT);
	ck_assert_int_eq(got.ev[1].kind, SS_EV_EXPECT);
}
END_TEST

START_TEST(test_step_judge__a_prediction_is_judged_by_the_kernel_answer)
{
	struct ss_event ev = refused();
	struct judged_step js = {3, &ev, 0};

	ck_assert_int_eq(step_judge_prediction(&judge, &js, "no"), 1);
	ck_assert_int_eq(step_judge_prediction(&judge, &js, "yes"), 0);
	stream_flush(&out, 1);
	ck_assert_int_eq(got.n, 2);
	ck_assert_int_eq(got.ev[0].kind, SS_EV_ANSWER);
	ck_assert_int_eq(got.ev[0].step, 4);
}
END_TEST

Suite *test_suite(void)
{
	Suite *s = suite_create("step_judge");
	TCase *tc = tcase_create("step_judge");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_step_judge__an_unplanned_failure_stops_and_names_the_errno);
	tcase_add_test(tc, test_step_judge__on_error_skips_and_a_planned_failure_passes_silently);
	tcase_add_test(tc, test_step_judge__an_expectation_not_met_is_counted_and_placed);
	tcase_add_test(tc, test_step_judge__a_prediction_is_judged_by_the_kernel_answer);
	suite_add_tcase(s, tc);
	return s;
}
