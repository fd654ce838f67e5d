/* own_steps: each call of a traced program is one step, said once, before
 * its blocked line if it blocks. */
#include <check.h>

#include <stdio.h>

#include "sockstep/own_steps.h"

static struct ss_event line(enum ss_kind kind, int pid, double t)
{
	struct ss_event ev;
	event_init(&ev, kind);
	ev.pid = pid;
	ev.t = t;
	snprintf(ev.actor, sizeof ev.actor, "server");
	snprintf(ev.u.call.name, sizeof ev.u.call.name, "accept4");
	return ev;
}

START_TEST(test_own_steps__a_call_is_a_step_numbered_in_order)
{
	struct own_steps o;
	struct ss_event step;
	struct ss_event a = line(SS_EV_CALL, 10, 0.5);
	struct ss_event b = line(SS_EV_CALL, 11, 0.7);

	own_steps_init(&o);
	ck_assert_ptr_null(own_steps_last_call(&o));
	ck_assert_int_eq(own_steps_starts(&o, &a, &step), 1);
	ck_assert_int_eq(step.kind, SS_EV_STEP);
	ck_assert_int_eq(step.u.note.index, 1);
	ck_assert_int_eq(step.pid, 10);
	ck_assert_double_eq(step.t, 0.5);
	ck_assert_str_eq(step.actor, "server");
	ck_assert_int_eq(own_steps_starts(&o, &b, &step), 1);
	ck_assert_int_eq(step.u.note.index, 2);
	ck_assert_int_eq(own_steps_last_call(&o)->pid, 11);
}
END_TEST

START_TEST(test_own_steps__a_blocked_call_is_one_step_said_before_it_blocks)
{
	struct own_steps o;
	struct ss_event step;
	struct ss_event blocked = line(SS_EV_BLOCKED, 10, 0.5);
	struct ss_event other = line(SS_EV_CALL, 12, 0.6);
	struct ss_event ret = line(SS_EV_CALL, 10, 0.9);
	struct ss_event next = line(SS_EV_CALL, 10, 1.0);

	own_steps_init(&o);
	ck_assert_int_eq(own_steps_starts(&o, &blocked, &step), 1);
	ck_assert_double_eq(step.t, 0.5);
	ck_assert_ptr_null(own_steps_last_call(&o));
	/* another process's call is a step of its own */
	ck_assert_int_eq(own_steps_starts(&o, &other, &step), 1);
	/* the blocked call returning is the same step */
	ck_assert_int_eq(own_steps_starts(&o, &ret, &step), 0);
	ck_assert_double_eq(own_steps_last_call(&o)->t, 0.9);
	/* and the process's next call a new one */
	ck_assert_int_eq(own_steps_starts(&o, &next, &step), 1);
	ck_assert_int_eq(step.u.note.index, 3);
}
END_TEST

START_TEST(test_own_steps__more_blocked_than_remembered_says_the_step_again)
{
	struct own_steps o;
	struct ss_event step;

	own_steps_init(&o);
	for (int pid = 1; pid <= OWN_BLOCKED_MAX + 1; pid++) {
		struct ss_event b = line(SS_EV_BLOCKED, pid, pid);
		ck_assert_int_eq(own_steps_starts(&o, &b, &step), 1);
	}
	struct ss_event first = line(SS_EV_CALL, 1, 100);
	struct ss_event last = line(SS_EV_CALL, OWN_BLOCKED_MAX + 1, 101);
	ck_assert_int_eq(own_steps_starts(&o, &first, &step), 0);
	ck_assert_int_eq(own_steps_starts(&o, &last, &step), 1);
}
END_TEST

struct seen {
	char kinds[16]; /* P push, C call, E ended */
	int n;
	enum ss_kind pushed[16];
	const struct ss_event *last;
};

static void seen_push(void *ctx, const struct ss_event *ev)
{
	struct seen *s = ctx;
	s->pushed[s->n] = ev->kind;
	s->kinds[s->n++] = 'P';
}

static void seen_call(void *ctx, const struct ss_event *ev)
{
	struct seen *s = ctx;
	s->kinds[s->n++] = 'C';
}

static void seen_ended(void *ctx, const struct ss_event *last)
{
	struct seen *s = ctx;
	s->last = last;
	s->kinds[s->n++] = 'E';
}

START_TEST(test_own_steps__events_go_out_with_a_step_before_each_call)
{
	struct own_steps o;
	struct seen s = {0};
	struct own_steps_out out = {seen_push, seen_call, seen_ended, &s};
	struct ss_event begin = line(SS_EV_BEGIN, 10, 0.1);
	struct ss_event blocked = line(SS_EV_BLOCKED, 10, 0.2);
	struct ss_event ret = line(SS_EV_CALL, 10, 0.3);
	struct ss_event end = line(SS_EV_END, 10, 0.3);

	own_steps_init(&o);
	own_steps_event(&o, &begin, &out);
	own_steps_event(&o, &blocked, &out);
	own_steps_event(&o, &ret, &out);
	own_steps_event(&o, &end, &out);
	ck_assert_str_eq(s.kinds, "PPPCE");
	ck_assert_int_eq(s.pushed[0], SS_EV_BEGIN);
	ck_assert_int_eq(s.pushed[1], SS_EV_STEP);
	ck_assert_int_eq(s.pushed[2], SS_EV_BLOCKED);
	ck_assert_ptr_eq(s.last, own_steps_last_call(&o));
	ck_assert_int_eq(o.steps, 1);
}
END_TEST

Suite *test_suite(void)
{
	Suite *s = suite_create("own_steps");
	TCase *tc = tcase_create("own_steps");

	tcase_add_test(tc, test_own_steps__a_call_is_a_step_numbered_in_order);
	tcase_add_test(tc, test_own_steps__a_blocked_call_is_one_step_said_before_it_blocks);
	tcase_add_test(tc, test_own_steps__more_blocked_than_remembered_says_the_step_again);
	tcase_add_test(tc, test_own_steps__events_go_out_with_a_step_before_each_call);
	suite_add_tcase(s, tc);
	return s;
}
