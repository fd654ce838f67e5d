/* accept_order: "connect() returned before accept()" said only from what
 * the events showed. */
#include <check.h>

#include <stdio.h>

#include "sockstep/accept_order.h"

static struct ss_event ev_at(enum ss_kind kind, const char *call, double t)
{
	struct ss_event ev;
	event_init(&ev, kind);
	ev.t = t;
	snprintf(ev.u.call.name, sizeof ev.u.call.name, "%s", call);
	return ev;
}

START_TEST(test_accept_order__connect_with_no_accept_seen_waiting_may_be_cited)
{
	struct accept_order a[2];
	struct ss_event connect = ev_at(SS_EV_CALL, "connect", 1.0);

	accept_order_init(&a[0]);
	accept_order_init(&a[1]);
	ck_assert_ptr_eq(accept_order_citable(a, 2, &connect), &connect);
	ck_assert_ptr_null(accept_order_citable(a, 2, NULL));
}
END_TEST

START_TEST(test_accept_order__accept_seen_blocked_before_forbids_the_claim)
{
	struct accept_order a[2];
	struct ss_event blocked = ev_at(SS_EV_BLOCKED, "accept4", 0.5);
	struct ss_event connect = ev_at(SS_EV_CALL, "connect", 1.0);

	accept_order_init(&a[0]);
	accept_order_init(&a[1]);
	accept_order_begins(&a[1], &blocked);
	ck_assert_int_eq(accept_order_waiting_at(a, 2, 1.0), 1);
	ck_assert_ptr_null(accept_order_citable(a, 2, &connect));
	/* the rule is about connect only */
	struct ss_event send = ev_at(SS_EV_CALL, "send", 1.0);
	ck_assert_ptr_eq(accept_order_citable(a, 2, &send), &send);
	/* an actor not counted is not looked at */
	ck_assert_ptr_eq(accept_order_citable(a, 1, &connect), &connect);
}
END_TEST

START_TEST(test_accept_order__an_accept_that_returned_before_was_not_waiting)
{
	struct accept_order a;
	struct ss_event begin = ev_at(SS_EV_BEGIN, "accept", 0.2);
	struct ss_event ret = ev_at(SS_EV_CALL, "accept", 0.4);
	struct ss_event connect = ev_at(SS_EV_CALL, "connect", 1.0);

	accept_order_init(&a);
	accept_order_begins(&a, &begin);
	accept_order_returns(&a, &ret);
	ck_assert_ptr_eq(accept_order_citable(&a, 1, &connect), &connect);
	/* a connect at 0.3 returned while it waited */
	connect.t = 0.3;
	ck_assert_ptr_null(accept_order_citable(&a, 1, &connect));
	/* an accept that begins after the connect did not wait for it */
	connect.t = 0.1;
	ck_assert_ptr_eq(accept_order_citable(&a, 1, &connect), &connect);
}
END_TEST

START_TEST(test_accept_order__a_blocked_line_after_the_begin_keeps_its_start)
{
	struct accept_order a;
	struct ss_event begin = ev_at(SS_EV_BEGIN, "accept", 0.2);
	struct ss_event blocked = ev_at(SS_EV_BLOCKED, "accept", 0.6);
	struct ss_event other = ev_at(SS_EV_BEGIN, "recv", 0.7);

	accept_order_init(&a);
	accept_order_begins(&a, &begin);
	accept_order_begins(&a, &blocked);
	accept_order_begins(&a, &other);
	ck_assert_double_eq(a.from, 0.2);
	ck_assert_double_eq(a.to, -1);
	/* after it returned, a new blocked accept starts anew */
	struct ss_event ret = ev_at(SS_EV_CALL, "accept", 0.8);
	accept_order_returns(&a, &ret);
	blocked.t = 0.9;
	accept_order_begins(&a, &blocked);
	ck_assert_double_eq(a.from, 0.9);
	ck_assert_double_eq(a.to, -1);
}
END_TEST

Suite *test_suite(void)
{
	Suite *s = suite_create("accept_order");
	TCase *tc = tcase_create("accept_order");

	tcase_add_test(tc, test_accept_order__connect_with_no_accept_seen_waiting_may_be_cited);
	tcase_add_test(tc, test_accept_order__accept_seen_blocked_before_forbids_the_claim);
	tcase_add_test(tc, test_accept_order__an_accept_that_returned_before_was_not_waiting);
	tcase_add_test(tc, test_accept_order__a_blocked_line_after_the_begin_keeps_its_start);
	suite_add_tcase(s, tc);
	return s;
}
