/* free_run: what a free-running actor's reports mean for the director's
 * walk of the script, and the pace of reading them. */
#include <check.h>

#include <time.h>

#include "sockstep/free_run.h"

static struct ss_event report(enum ss_kind kind, int step)
{
	struct ss_event ev;
	event_init(&ev, kind);
	ev.step = step;
	return ev;
}

START_TEST(test_free_run__begins_are_steps_and_an_end_of_step_0_is_the_end)
{
	struct ss_event begin = report(SS_EV_BEGIN, 3);
	struct ss_event over = report(SS_EV_END, 0);
	struct ss_event end = report(SS_EV_END, 3);
	struct ss_event call = report(SS_EV_CALL, 3);
	struct ss_event beyond = report(SS_EV_BEGIN, 5);
	struct ss_event zero = report(SS_EV_BEGIN, 0);
	int idx = -1;

	ck_assert_int_eq(free_run_report(&begin, 4, &idx), FREE_RUN_BEGIN);
	ck_assert_int_eq(idx, 2);
	ck_assert_int_eq(free_run_report(&over, 4, &idx), FREE_RUN_OVER);
	ck_assert_int_eq(free_run_report(&end, 4, &idx), FREE_RUN_NONE);
	ck_assert_int_eq(free_run_report(&call, 4, &idx), FREE_RUN_NONE);
	ck_assert_int_eq(free_run_report(&beyond, 4, &idx), FREE_RUN_NONE);
	ck_assert_int_eq(free_run_report(&zero, 4, &idx), FREE_RUN_NONE);
	ck_assert_int_eq(idx, 2);
}
END_TEST

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

START_TEST(test_free_run__a_run_that_keeps_reporting_is_read_at_a_pace)
{
	struct free_run f;

	free_run_init(&f);
	ck_assert_int_eq(free_run_pace(&f, 0, 500), 500); /* not free */
	f.on = 1;
	free_run_read_begins(&f);
	free_run_read_ends(&f);
	ck_assert_int_eq(f.busy, 0);
	ck_assert_int_eq(free_run_pace(&f, 0, 500), 500); /* quiet: woken */
	free_run_read_begins(&f);
	free_run_reported(&f);
	free_run_read_ends(&f);
	ck_assert_int_eq(f.busy, 1);
	ck_assert_int_eq(free_run_pace(&f, 1, 500), 500); /* told to end */
	double t = now();
	ck_assert_int_eq(free_run_pace(&f, 0, 500), 0);
	ck_assert(now() - t >= FREE_READ_MS / 1000.0);
}
END_TEST

Suite *test_suite(void)
{
	Suite *s = suite_create("free_run");
	TCase *tc = tcase_create("free_run");

	tcase_add_test(tc, test_free_run__begins_are_steps_and_an_end_of_step_0_is_the_end);
	tcase_add_test(tc, test_free_run__a_run_that_keeps_reporting_is_read_at_a_pace);
	suite_add_tcase(s, tc);
	return s;
}
