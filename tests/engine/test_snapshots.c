/* snapshots: when the kernel's table is taken.  A script played once
 * takes it after every step; a server serving client after client (a
 * repeated script) at most every SNAPSHOTS_BUSY_EVERY seconds, unless the
 * step has an expectation to check against it; a traced program's calls
 * at most as often. */
#include <check.h>

#include <string.h>
#include <time.h>

#include "sockstep/snapshots.h"

static struct kernel_view kv;
static struct snapshots snaps;

static void drop(void *ctx, const struct ss_event *ev)
{
	(void)ctx;
	(void)ev;
}

static void setup(void)
{
	struct kernel_view_opts ko = {0}; /* no sock_diag: the timing only */

	kernel_view_init(&kv, &ko, drop, NULL);
	kv.t0 = event_clock_now();
	snaps = (struct snapshots){&kv, NULL, 0};
}

static void wait_busy_every(void)
{
	struct timespec ts = {0, (long)(SNAPSHOTS_BUSY_EVERY * 1e9) + 5000000};
	nanosleep(&ts, NULL);
}

START_TEST(test_snapshots__a_script_played_once_takes_the_table_after_every_step)
{
	for (int i = 0; i < 3; i++)
		ck_assert_int_eq(snapshots_after_step(&snaps, 1, 0), 1);
}
END_TEST

START_TEST(test_snapshots__a_busy_server_takes_it_every_so_often_or_for_an_expectation)
{
	wait_busy_every();
	ck_assert_int_eq(snapshots_after_step(&snaps, 5, 0), 1);
	ck_assert_int_eq(snapshots_after_step(&snaps, 5, 0), 0);
	ck_assert_int_eq(snapshots_after_step(&snaps, 5, 1), 1);
	wait_busy_every();
	ck_assert_int_eq(snapshots_after_step(&snaps, 5, 0), 1);
}
END_TEST

START_TEST(test_snapshots__a_traced_program_calls_faster_than_it_is_shown)
{
	double first;

	wait_busy_every();
	snapshots_after_call(&snaps, NULL);
	first = kv.last_table;
	ck_assert(first > 0);
	snapshots_after_call(&snaps, NULL);
	ck_assert(kv.last_table == first);
	wait_busy_every();
	snapshots_after_call(&snaps, NULL);
	ck_assert(kv.last_table > first);
}
END_TEST

Suite *test_suite(void)
{
	Suite *s = suite_create("snapshots");
	TCase *tc = tcase_create("snapshots");

	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_test(tc, test_snapshots__a_script_played_once_takes_the_table_after_every_step);
	tcase_add_test(tc, test_snapshots__a_busy_server_takes_it_every_so_often_or_for_an_expectation);
	tcase_add_test(tc, test_snapshots__a_traced_program_calls_faster_than_it_is_shown);
	suite_add_tcase(s, tc);
	return s;
}
