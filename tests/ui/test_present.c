/* present: which two sockets presenter mode shows for a step, derived by
 * the view model from the kernel's table (ui_view_present_sockets). */
#include <check.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <string.h>

#include "sockstep/view.h"

static struct ss_event call(const char *actor, const char *name, int fd,
			    long ret, const char *local, const char *peer,
			    int state)
{
	struct ss_event ev;

	event_init(&ev, SS_EV_CALL);
	snprintf(ev.actor, sizeof ev.actor, "%s", actor);
	ev.step = 1;
	snprintf(ev.u.call.name, sizeof ev.u.call.name, "%s", name);
	ev.u.call.fd = fd;
	ev.u.call.ret = ret;
	snprintf(ev.u.call.local, sizeof ev.u.call.local, "%s", local);
	snprintf(ev.u.call.peer, sizeof ev.u.call.peer, "%s", peer);
	ev.u.call.state = state;
	return ev;
}

static void row(struct ui_view *v, int rows, const char *owner, int fd,
		const char *local, const char *peer, int state)
{
	struct ss_event ev;

	event_init(&ev, SS_EV_SOCKET);
	snprintf(ev.actor, sizeof ev.actor, "kernel");
	ev.u.sock.snapshot = 7;
	ev.u.sock.rows = rows;
	snprintf(ev.u.sock.owner, sizeof ev.u.sock.owner, "%s", owner);
	ev.u.sock.owner_fd = fd;
	snprintf(ev.u.sock.local, sizeof ev.u.sock.local, "%s", local);
	snprintf(ev.u.sock.peer, sizeof ev.u.sock.peer, "%s", peer);
	ev.u.sock.state = state;
	ui_view_add(v, &ev);
}

/* The table after an accept: listener, accepted socket, client. */
static void table(struct ui_view *v)
{
	row(v, 3, "server", 3, "127.0.0.1:9001", "0.0.0.0:0", TCP_LISTEN);
	row(v, 3, "server", 6, "127.0.0.1:9001", "127.0.0.1:41000", TCP_ESTABLISHED);
	row(v, 3, "client", 3, "127.0.0.1:41000", "127.0.0.1:9001", TCP_ESTABLISHED);
}

START_TEST(test_present__accept_shows_the_new_socket_beside_its_listener)
{
	struct ui_view *v = ui_view_new(0, "live");
	struct ss_event ev = call("server", "accept", 3, 6, "127.0.0.1:9001",
				  "127.0.0.1:41000", TCP_ESTABLISHED);
	struct ui_row a, b;

	table(v);
	ui_view_add(v, &ev);
	ck_assert(v->have_last_call);
	ck_assert_int_eq(ui_view_present_sockets(v, &v->last_call, &a, &b), 2);
	ck_assert_int_eq(a.fd, 6);
	ck_assert_str_eq(a.peer, "127.0.0.1:41000");
	ck_assert_int_eq(b.fd, 3);
	ck_assert_int_eq(b.listen, 1);
	ui_view_free(v);
}
END_TEST

/* A connected socket's counterpart is the row with the mirror 4-tuple
 * (the accepted socket), not the listener that shares its local port. */
START_TEST(test_present__connected_socket_pairs_with_its_mirror_4_tuple)
{
	struct ui_view *v = ui_view_new(0, "live");
	struct ss_event ev = call("client", "connect", 3, 0, "127.0.0.1:41000",
				  "127.0.0.1:9001", TCP_ESTABLISHED);
	struct ui_row a, b;

	table(v);
	ui_view_add(v, &ev);
	ck_assert_int_eq(ui_view_present_sockets(v, &v->last_call, &a, &b), 2);
	ck_assert_str_eq(a.actor, "client");
	ck_assert_str_eq(b.local, "127.0.0.1:9001");
	ck_assert_str_eq(b.peer, "127.0.0.1:41000");
	ck_assert_int_eq(b.listen, 0);
	ck_assert_int_eq(b.fd, 6);
	ui_view_free(v);
}
END_TEST

/* Before the kernel's table lists the new socket, the call line itself
 * stands for it; a listener is its counterpart. */
START_TEST(test_present__socket_not_yet_in_the_table_comes_from_the_call)
{
	struct ui_view *v = ui_view_new(0, "live");
	struct ss_event ev = call("client", "socket", -1, 4, "", "", -1);
	struct ui_row a, b;

	row(v, 1, "server", 3, "127.0.0.1:9001", "0.0.0.0:0", TCP_LISTEN);
	ui_view_add(v, &ev);
	ck_assert_int_eq(ui_view_present_sockets(v, &v->last_call, &a, &b), 2);
	ck_assert_int_eq(a.fd, 4);
	ck_assert_str_eq(a.owner, "client fd 4");
	ck_assert_str_eq(a.local, "");
	ck_assert_int_eq(b.listen, 1);
	ui_view_free(v);
}
END_TEST

START_TEST(test_present__a_lone_socket_has_no_counterpart)
{
	struct ui_view *v = ui_view_new(0, "live");
	struct ss_event ev = call("server", "socket", -1, 3, "", "", -1);
	struct ui_row a, b;

	ui_view_add(v, &ev);
	ck_assert_int_eq(ui_view_present_sockets(v, &v->last_call, &a, &b), 1);
	ck_assert_int_eq(a.fd, 3);
	ui_view_free(v);
}
END_TEST

Suite *test_suite(void)
{
	Suite *s = suite_create("present");
	TCase *tc = tcase_create("present");
	tcase_add_test(tc, test_present__accept_shows_the_new_socket_beside_its_listener);
	tcase_add_test(tc, test_present__connected_socket_pairs_with_its_mirror_4_tuple);
	tcase_add_test(tc, test_present__socket_not_yet_in_the_table_comes_from_the_call);
	tcase_add_test(tc, test_present__a_lone_socket_has_no_counterpart);
	suite_add_tcase(s, tc);
	return s;
}
