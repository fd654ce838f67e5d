/* call_match: a lesson's step held against the calls of a real program. */
#include <check.h>

#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "sockstep/call_match.h"

static struct ss_event call(const char *name, int fd, long ret)
{
	struct ss_event ev;
	event_init(&ev, SS_EV_CALL);
	snprintf(ev.actor, sizeof ev.actor, "server");
	snprintf(ev.u.call.name, sizeof ev.u.call.name, "%s", name);
	ev.u.call.fd = fd;
	ev.u.call.ret = ret;
	ev.u.call.family = AF_INET;
	return ev;
}

static struct ss_step step(enum ss_call c, const char *sock, const char *result)
{
	struct ss_step st;
	memset(&st, 0, sizeof st);
	st.call = c;
	snprintf(st.sock, sizeof st.sock, "%s", sock);
	snprintf(st.result, sizeof st.result, "%s", result);
	return st;
}

START_TEST(test_call_match__accept4_is_the_steps_accept_and_takes_its_names)
{
	static struct registry r;
	struct ss_step st = step(SS_CALL_ACCEPT, "s", "c");
	struct ss_event ev = call("accept4", 3, 4);

	registry_init(&r);
	ck_assert_int_eq(call_match(&st, &r, &ev), 1);
	ck_assert_str_eq(ev.u.call.sock, "s");
	ck_assert_str_eq(ev.u.call.newsock, "c");
}
END_TEST

START_TEST(test_call_match__a_call_the_step_is_not_about_passes_untouched)
{
	static struct registry r;
	struct ss_step st = step(SS_CALL_ACCEPT, "s", "c");
	struct ss_event ev = call("getsockname", 3, 0);

	registry_init(&r);
	snprintf(ev.u.call.sock, sizeof ev.u.call.sock, "fd3");
	ck_assert_int_eq(call_match(&st, &r, &ev), 0);
	ck_assert_str_eq(ev.u.call.sock, "fd3");
}
END_TEST

START_TEST(test_call_match__close_of_a_named_socket_is_the_close_of_its_fd)
{
	static struct registry r;
	struct ss_event sock = call("socket", 5, 5);
	struct ss_step st = step(SS_CALL_CLOSE, "c", "");
	struct ss_event other = call("close", 3, 0);
	struct ss_event its = call("close", 5, 0);

	registry_init(&r);
	snprintf(sock.u.call.newsock, sizeof sock.u.call.newsock, "c");
	registry_record(&r, &sock);
	/* a forking server's child closes the listener (fd 3), not c */
	ck_assert_int_eq(call_match(&st, &r, &other), 0);
	ck_assert_int_eq(call_match(&st, &r, &its), 1);
	ck_assert_str_eq(its.u.call.sock, "c");
	/* a socket the registry does not know: any close is the step's */
	struct ss_step unknown = step(SS_CALL_CLOSE, "k", "");
	ck_assert_int_eq(call_match(&unknown, &r, &other), 1);
}
END_TEST

START_TEST(test_call_match__a_blocked_line_of_another_call_is_elsewhere)
{
	struct ss_step st = step(SS_CALL_RECV, "c", "");
	struct ss_event accept = call("accept4", 3, 0);
	struct ss_event recv = call("recvfrom", 4, 0);

	accept.kind = recv.kind = SS_EV_BLOCKED;
	ck_assert_int_eq(call_match_blocked_elsewhere(&st, &accept), 1);
	ck_assert_int_eq(call_match_blocked_elsewhere(&st, &recv), 0);
}
END_TEST

START_TEST(test_call_match__a_passing_call_ends_with_a_regrant_not_the_step)
{
	static struct registry r;
	struct ss_step st = step(SS_CALL_ACCEPT, "s", "c");
	struct ss_event getsockname = call("getsockname", 3, 0);
	struct ss_event end = call("getsockname", 3, 0);
	struct ss_event accept = call("accept4", 3, 4);
	int extra = 0;

	registry_init(&r);
	end.kind = SS_EV_END;
	ck_assert_int_eq(call_match_event(&st, &r, &extra, &getsockname), CALL_MATCH_PASS);
	ck_assert_int_eq(extra, 1);
	ck_assert_int_eq(call_match_event(&st, &r, &extra, &end), CALL_MATCH_REGRANT);
	ck_assert_int_eq(extra, 0);
	ck_assert_int_eq(call_match_event(&st, &r, &extra, &accept), CALL_MATCH_STEP);
	ck_assert_str_eq(accept.u.call.newsock, "c");
	ck_assert_int_eq(call_match_event(&st, &r, &extra, &end), CALL_MATCH_STEP);
	/* no step in flight: every call passes */
	struct ss_event later = call("accept4", 3, 5);
	ck_assert_int_eq(call_match_event(NULL, &r, &extra, &later), CALL_MATCH_PASS);
	ck_assert_str_eq(later.u.call.newsock, "");
}
END_TEST

START_TEST(test_call_match__a_parent_back_in_accept_waits_elsewhere)
{
	static struct registry r;
	struct ss_step st = step(SS_CALL_RECV, "c", "");
	struct ss_event accept = call("accept4", 3, 0);
	struct ss_event recv = call("recvfrom", 4, 0);
	int extra = 0;

	registry_init(&r);
	accept.kind = recv.kind = SS_EV_BLOCKED;
	ck_assert_int_eq(call_match_event(&st, &r, &extra, &accept), CALL_MATCH_ELSEWHERE);
	ck_assert_int_eq(call_match_event(&st, &r, &extra, &recv), CALL_MATCH_STEP);
	ck_assert_int_eq(call_match_event(NULL, &r, &extra, &accept), CALL_MATCH_STEP);
}
END_TEST

Suite *test_suite(void)
{
	Suite *s = suite_create("call_match");
	TCase *tc = tcase_create("call_match");

	tcase_add_test(tc, test_call_match__accept4_is_the_steps_accept_and_takes_its_names);
	tcase_add_test(tc, test_call_match__a_call_the_step_is_not_about_passes_untouched);
	tcase_add_test(tc, test_call_match__close_of_a_named_socket_is_the_close_of_its_fd);
	tcase_add_test(tc, test_call_match__a_blocked_line_of_another_call_is_elsewhere);
	tcase_add_test(tc, test_call_match__a_passing_call_ends_with_a_regrant_not_the_step);
	tcase_add_test(tc, test_call_match__a_parent_back_in_accept_waits_elsewhere);
	suite_add_tcase(s, tc);
	return s;
}
