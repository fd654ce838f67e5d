/* quiz: the learner's prediction judged against call events as the kernel
 * reported them, and a step's expectations. */
#include <check.h>

#include <errno.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <string.h>

#include "sockstep/lesson.h"
#include "sockstep/quiz.h"

static struct ss_script sc;

static void setup(void)
{
	char err[256];
	const char *text =
	    "# T\n```sockstep\n"
	    "server: s = socket(AF_INET, SOCK_STREAM)\n"
	    "server: bind(s, 127.0.0.1:0)\n"
	    "  ask: Will this bind() succeed? [yes | no]\n"
	    "  answer: ok\n"
	    "  explain: A port held by a listener cannot be bound again.\n"
	    "  expect: fails EADDRINUSE\n"
	    "client: k = socket(AF_INET, SOCK_STREAM)\n"
	    "client: connect(k, server.s)\n"
	    "  ask: Which state? [SYN_SENT | ESTABLISHED]\n"
	    "  answer: state\n"
	    "  explain: The handshake is done.\n"
	    "  expect: state == ESTABLISHED\n"
	    "```\n";

	ck_assert_msg(lesson_parse(&sc, text, "t.md", NULL, 0, err, sizeof err) == 0,
		      "%s", err);
}

static void teardown(void)
{
	script_free(&sc);
}

static struct ss_event call(const char *name, long ret, int err, int state)
{
	struct ss_event ev;
	event_init(&ev, SS_EV_CALL);
	snprintf(ev.u.call.name, sizeof ev.u.call.name, "%s", name);
	ev.u.call.ret = ret;
	ev.u.call.err = err;
	ev.u.call.state = state;
	return ev;
}

static const struct ss_step *step_asking(const char *answer)
{
	for (int i = 0; i < sc.nsteps; i++)
		if (strcmp(sc.steps[i].answer, answer) == 0)
			return &sc.steps[i];
	ck_abort_msg("no step answers %s", answer);
	return NULL;
}

START_TEST(test_quiz__yes_has_many_spellings_no_has_none)
{
	ck_assert(quiz_is_yes("YES"));
	ck_assert(quiz_is_yes("y"));
	ck_assert(quiz_is_yes("Succeeds"));
	ck_assert(!quiz_is_yes("no"));
	/* the Chinese lessons' [会 | 不会] */
	ck_assert(quiz_is_yes("\xe4\xbc\x9a"));
	ck_assert(!quiz_is_yes("\xe4\xb8\x8d\xe4\xbc\x9a"));
	ck_assert(quiz_is_yes("\xe6\x88\x90\xe5\x8a\x9f"));
	ck_assert(!quiz_is_yes(""));
}
END_TEST

START_TEST(test_quiz__a_prediction_becomes_a_number_a_name_or_a_string)
{
	char out[64];

	quiz_prediction_value("-12", out, sizeof out);
	ck_assert_str_eq(out, "-12");
	quiz_prediction_value("established", out, sizeof out);
	ck_assert_str_eq(out, "ESTABLISHED");
	quiz_prediction_value("say \"hi\"", out, sizeof out);
	ck_assert_str_eq(out, "\"say 'hi'\"");
	quiz_prediction_value("a very long answer", out, 8);
	ck_assert_int_eq(strlen(out), 7);
	ck_assert_int_eq(out[6], '"');
}
END_TEST

START_TEST(test_quiz__no_to_a_bind_that_failed_with_eaddrinuse_is_right)
{
	struct ss_event ev = call("bind", -1, EADDRINUSE, 7);
	struct expect_env env = {.call = &ev};
	char verdict[SS_TEXT_MAX], value[SS_ADDR_MAX];

	ck_assert_int_eq(quiz_judge(&sc, step_asking("ok"), "no", &env, verdict,
				    sizeof verdict, value, sizeof value), 1);
	ck_assert_msg(strstr(verdict, "Right! You said no; the kernel says the call failed with EADDRINUSE.") == verdict,
		      "%s", verdict);
	ck_assert_str_eq(value, "no");
	ck_assert_int_eq(quiz_judge(&sc, step_asking("ok"), "yes", &env, verdict,
				    sizeof verdict, value, sizeof value), 0);
}
END_TEST

START_TEST(test_quiz__a_state_predicted_in_lower_case_is_judged_by_its_name)
{
	struct ss_event ev = call("connect", 0, 0, TCP_ESTABLISHED);
	struct expect_env env = {.call = &ev};
	char verdict[SS_TEXT_MAX], value[SS_ADDR_MAX];

	ck_assert_int_eq(quiz_judge(&sc, step_asking("state"), "established", &env,
				    verdict, sizeof verdict, value, sizeof value), 1);
	ck_assert_msg(strstr(verdict, "state is ESTABLISHED") != NULL, "%s", verdict);
	ck_assert_str_eq(value, "ESTABLISHED");
	ck_assert_int_eq(quiz_judge(&sc, step_asking("state"), "SYN_SENT", &env,
				    verdict, sizeof verdict, value, sizeof value), 0);
	ck_assert_msg(strncmp(verdict, "Not quite.", 10) == 0, "%s", verdict);
}
END_TEST

START_TEST(test_quiz__a_step_expecting_failure_is_known_and_checked)
{
	const struct ss_step *st = step_asking("ok");
	struct ss_event ev = call("bind", -1, EADDRINUSE, 7);
	struct expect_env env = {.call = &ev};
	char report[SS_TEXT_MAX];

	ck_assert(quiz_expects_failure(st));
	ck_assert(!quiz_expects_failure(step_asking("state")));
	ck_assert_int_eq(quiz_expectation(&sc, st, 0, &env, NULL, NULL, report,
					  sizeof report), 1);
	ev.u.call.err = EACCES;
	ck_assert_int_eq(quiz_expectation(&sc, st, 0, &env, NULL, NULL, report,
					  sizeof report), 0);
}
END_TEST

static int nemitted;

static void count_event(void *ctx, const struct ss_event *ev)
{
	ck_assert_int_eq(ev->kind, SS_EV_EXPECT);
	nemitted++;
}

START_TEST(test_quiz__a_failed_expectation_names_file_line_and_step)
{
	int idx = (int)(step_asking("state") - sc.steps);
	struct ss_event ev = call("connect", 0, 0, TCP_SYN_SENT);
	struct expect_env env = {.call = &ev};
	char first[512] = "";

	nemitted = 0;
	ck_assert_int_eq(quiz_check_step(&sc, idx, &env, NULL, NULL, 0, count_event,
					 NULL, first, sizeof first), 1);
	ck_assert_int_eq(nemitted, 1);
	/* the lesson's line of the expectation, the step, the comparison */
	ck_assert_msg(strstr(first, ":14: step 4 (client connect): expectation failed: state == ESTABLISHED") != NULL,
		      "%s", first);
	ev.u.call.state = TCP_ESTABLISHED;
	first[0] = '\0';
	ck_assert_int_eq(quiz_check_step(&sc, idx, &env, NULL, NULL, 0, count_event,
					 NULL, first, sizeof first), 0);
	ck_assert_str_eq(first, "");
}
END_TEST

Suite *test_suite(void)
{
	Suite *s = suite_create("quiz");
	TCase *tc = tcase_create("quiz");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_quiz__yes_has_many_spellings_no_has_none);
	tcase_add_test(tc, test_quiz__a_prediction_becomes_a_number_a_name_or_a_string);
	tcase_add_test(tc, test_quiz__no_to_a_bind_that_failed_with_eaddrinuse_is_right);
	tcase_add_test(tc, test_quiz__a_state_predicted_in_lower_case_is_judged_by_its_name);
	tcase_add_test(tc, test_quiz__a_step_expecting_failure_is_known_and_checked);
	tcase_add_test(tc, test_quiz__a_failed_expectation_names_file_line_and_step);
	suite_add_tcase(s, tc);
	return s;
}
