/* merge: events from several processes come out in time order, ties in
 * arrival order, none older than the hold time is kept, the buffer is
 * bounded. */
#include <check.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sockstep/merge.h"

struct got {
	int n;
	double t[MERGE_MAX + 8];
	int step[MERGE_MAX + 8];
};

static void collect(void *ctx, const struct ss_event *ev)
{
	struct got *g = ctx;
	g->t[g->n] = ev->t;
	g->step[g->n] = ev->step;
	g->n++;
}

static struct ss_event at(double t, int tag)
{
	struct ss_event ev;
	event_init(&ev, SS_EV_NOTE);
	ev.t = t;
	ev.step = tag;
	return ev;
}

static struct merge *fresh(struct got *g)
{
	static struct merge m; /* 300 KB: not on a test's stack */
	memset(g, 0, sizeof *g);
	merge_init(&m, MERGE_HOLD, collect, g);
	return &m;
}

START_TEST(test_merge__a_packet_captured_before_the_call_returned_comes_first)
{
	struct got g;
	struct merge *m = fresh(&g);
	struct ss_event call = at(1.002, 1), syn = at(1.001, 2);

	merge_push(m, &call);
	merge_push(m, &syn);
	merge_flush(m, 2.0, 0);
	ck_assert_int_eq(g.n, 2);
	ck_assert_int_eq(g.step[0], 2);
	ck_assert_int_eq(g.step[1], 1);
}
END_TEST

START_TEST(test_merge__equal_times_keep_arrival_order)
{
	struct got g;
	struct merge *m = fresh(&g);

	for (int i = 1; i <= 5; i++) {
		struct ss_event ev = at(1.0, i);
		merge_push(m, &ev);
	}
	merge_flush(m, 0, 1);
	ck_assert_int_eq(g.n, 5);
	for (int i = 0; i < 5; i++)
		ck_assert_int_eq(g.step[i], i + 1);
}
END_TEST

START_TEST(test_merge__an_event_waits_the_hold_time_then_goes)
{
	struct got g;
	struct merge *m = fresh(&g);
	struct ss_event ev = at(1.0, 1);

	merge_push(m, &ev);
	merge_flush(m, 1.0 + MERGE_HOLD / 2, 0);
	ck_assert_int_eq(g.n, 0);
	ck_assert_int_eq(merge_pending(m), 1);
	merge_flush(m, 1.0 + MERGE_HOLD + 1e-9, 0);
	ck_assert_int_eq(g.n, 1);
	ck_assert_int_eq(merge_pending(m), 0);
}
END_TEST

START_TEST(test_merge__due_is_the_oldest_event_plus_the_hold)
{
	struct got g;
	struct merge *m = fresh(&g);

	ck_assert(merge_due(m) < 0);
	struct ss_event late = at(2.0, 1), early = at(1.0, 2);
	merge_push(m, &late);
	merge_push(m, &early);
	ck_assert(merge_due(m) > 1.0 + MERGE_HOLD - 1e-9);
	ck_assert(merge_due(m) < 1.0 + MERGE_HOLD + 1e-9);
	merge_flush(m, merge_due(m) + 1e-9, 0);
	ck_assert_int_eq(merge_pending(m), 1);
	ck_assert(merge_due(m) > 2.0);
}
END_TEST

START_TEST(test_merge__a_release_delivers_up_to_its_time_however_young)
{
	struct got g;
	struct merge *m = fresh(&g);
	struct ss_event a = at(1.0, 1), b = at(1.001, 2), c = at(1.002, 3);

	merge_push(m, &c);
	merge_push(m, &a);
	merge_push(m, &b);
	merge_release(m, 1.001);
	ck_assert_int_eq(g.n, 2);
	ck_assert_int_eq(g.step[0], 1);
	ck_assert_int_eq(g.step[1], 2);
	ck_assert_int_eq(merge_pending(m), 1);
}
END_TEST

START_TEST(test_merge__only_the_old_enough_leave)
{
	struct got g;
	struct merge *m = fresh(&g);
	struct ss_event old = at(1.0, 1), young = at(1.1, 2);

	merge_push(m, &young);
	merge_push(m, &old);
	merge_flush(m, 1.05, 0);
	ck_assert_int_eq(g.n, 1);
	ck_assert_int_eq(g.step[0], 1);
	ck_assert_int_eq(merge_pending(m), 1);
}
END_TEST

START_TEST(test_merge__a_full_buffer_delivers_everything_in_order_first)
{
	struct got g;
	struct merge *m = fresh(&g);

	for (int i = 0; i < MERGE_MAX; i++) {
		struct ss_event ev = at(10.0 - i * 0.001, i);
		merge_push(m, &ev);
	}
	ck_assert_int_eq(g.n, 0);
	ck_assert_int_eq(merge_pending(m), MERGE_MAX);
	struct ss_event one_more = at(20.0, -1);
	merge_push(m, &one_more);
	ck_assert_int_eq(g.n, MERGE_MAX);
	ck_assert_int_eq(merge_pending(m), 1);
	for (int i = 1; i < g.n; i++)
		ck_assert(g.t[i - 1] <= g.t[i]);
}
END_TEST

Suite *test_suite(void)
{
	Suite *s = suite_create("merge");
	TCase *tc = tcase_create("merge");

	tcase_add_test(tc, test_merge__a_packet_captured_before_the_call_returned_comes_first);
	tcase_add_test(tc, test_merge__equal_times_keep_arrival_order);
	tcase_add_test(tc, test_merge__an_event_waits_the_hold_time_then_goes);
	tcase_add_test(tc, test_merge__only_the_old_enough_leave);
	tcase_add_test(tc, test_merge__due_is_the_oldest_event_plus_the_hold);
	tcase_add_test(tc, test_merge__a_release_delivers_up_to_its_time_however_young);
	tcase_add_test(tc, test_merge__a_full_buffer_delivers_everything_in_order_first);
	suite_add_tcase(s, tc);
	return s;
}
