/* step_events: a step's STEP event says which step of the script, which
 * grant of how many, in the lesson's words; a question's QUESTION event
 * carries the lesson's question with its choices and its number. */
#include <check.h>

#include <string.h>

#include "sockstep/lesson.h"
#include "sockstep/step_events.h"

static struct ss_script sc;

static void setup(void)
{
	char err[256];
	const char *text = "# T\n```sockstep\n"
			   "server: s = socket(AF_INET, SOCK_STREAM)\n"
			   "  say: The server asks for a socket.\n"
			   "client: k = socket(AF_INET, SOCK_STREAM)\n"
			   "  ask: Which fd? [3 | 4]\n"
			   "  answer: ret\n"
			   "  explain: The lowest free one.\n"
			   "```\n";

	ck_assert_msg(lesson_parse(&sc, text, "t.md", NULL, 0, err, sizeof err) == 0,
		      "%s", err);
}

static void teardown(void)
{
	script_free(&sc);
}

START_TEST(test_step_events__a_step_says_its_place_among_the_grants)
{
	struct ss_event ev;

	step_events_step(&sc, 0, 3, 7, 1.5, &ev);
	ck_assert_int_eq(ev.kind, SS_EV_STEP);
	ck_assert_int_eq(ev.step, 1);
	ck_assert_str_eq(ev.actor, "server");
	ck_assert_int_eq(ev.u.note.index, 3);
	ck_assert_int_eq(ev.u.note.count, 7);
	ck_assert_str_eq(ev.u.note.text, "The server asks for a socket.");
	ck_assert(ev.t == 1.5);
}
END_TEST

START_TEST(test_step_events__a_question_is_the_lessons_with_its_number)
{
	struct ss_event ev;

	step_events_question(&sc, 1, 2, 0.25, &ev);
	ck_assert_int_eq(ev.kind, SS_EV_QUESTION);
	ck_assert_int_eq(ev.step, 2);
	ck_assert_str_eq(ev.actor, "client");
	ck_assert_int_eq(ev.u.note.index, 2);
	ck_assert_msg(strncmp(ev.u.note.text, "Which fd?", 9) == 0, "%s", ev.u.note.text);
}
END_TEST

Suite *test_suite(void)
{
	Suite *s = suite_create("step_events");
	TCase *tc = tcase_create("step_events");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_step_events__a_step_says_its_place_among_the_grants);
	tcase_add_test(tc, test_step_events__a_question_is_the_lessons_with_its_number);
	suite_add_tcase(s, tc);
	return s;
}
