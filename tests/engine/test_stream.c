/* stream: every event reaches every sink in time order once the merge's
 * hold is over; notes are stamped with the session clock and cut at a
 * character's start; a removed sink hears nothing more. */
#include <check.h>

#include <string.h>

#include "sockstep/stream.h"

static struct stream out; /* the merge: 300 KB, not on a test's stack */

struct got {
	int n;
	struct ss_event ev[4];
};

static void collect(void *ctx, const struct ss_event *ev)
{
	struct got *g = ctx;
	if (g->n < 4)
		g->ev[g->n++] = *ev;
}

START_TEST(test_stream__events_wait_for_the_hold_then_reach_every_sink_in_time_order)
{
	struct got a = {0}, b = {0};
	struct ss_event late, early;

	stream_init(&out);
	stream_add_sink(&out, collect, &a);
	stream_add_sink(&out, collect, &b);
	stream_start(&out);
	event_init(&late, SS_EV_NOTE);
	late.t = stream_now(&out);
	early = late;
	early.t -= 0.001;
	stream_push(&out, &late);
	stream_push(&out, &early);
	stream_flush(&out, 0); /* younger than the hold: kept */
	ck_assert_int_eq(a.n, 0);
	stream_flush(&out, 1);
	ck_assert_int_eq(a.n, 2);
	ck_assert_int_eq(b.n, 2);
	ck_assert(a.ev[0].t < a.ev[1].t);
}
END_TEST

START_TEST(test_stream__a_note_is_stamped_now_and_a_long_one_keeps_whole_characters)
{
	struct got a = {0};
	char zh[SS_TEXT_MAX * 2] = "";

	stream_init(&out);
	stream_add_sink(&out, collect, &a);
	stream_start(&out);
	while (strlen(zh) + 3 < sizeof zh)
		strcat(zh, "\xe5\x86\x85"); /* 内, three bytes */
	stream_note(&out, 1, NULL, "x%s", zh);
	stream_flush(&out, 1);
	ck_assert_int_eq(a.n, 1);
	ck_assert_str_eq(a.ev[0].actor, "sockstep");
	ck_assert_int_eq(a.ev[0].u.note.index, 1);
	ck_assert(a.ev[0].t >= 0 && a.ev[0].t < 1.0);
	/* "x" then whole characters only: the length is 1 + 3k */
	ck_assert_int_eq((strlen(a.ev[0].u.note.text) - 1) % 3, 0);
}
END_TEST

START_TEST(test_stream__a_removed_sink_hears_nothing_and_deliver_skips_the_merge)
{
	struct got a = {0}, b = {0};
	struct ss_event ev;

	stream_init(&out);
	stream_add_sink(&out, collect, &a);
	stream_add_sink(&out, collect, &b);
	stream_remove_sink(&out, collect, &a);
	event_init(&ev, SS_EV_STEP);
	stream_deliver(&out, &ev); /* a recording: in order already */
	ck_assert_int_eq(a.n, 0);
	ck_assert_int_eq(b.n, 1);
	ck_assert_int_eq(merge_pending(&out.merge), 0);
}
END_TEST

Suite *test_suite(void)
{
	Suite *s = suite_create("stream");
	TCase *tc = tcase_create("stream");

	tcase_add_test(tc, test_stream__events_wait_for_the_hold_then_reach_every_sink_in_time_order);
	tcase_add_test(tc, test_stream__a_note_is_stamped_now_and_a_long_one_keeps_whole_characters);
	tcase_add_test(tc, test_stream__a_removed_sink_hears_nothing_and_deliver_skips_the_merge);
	suite_add_tcase(s, tc);
	return s;
}
