/* registry: the script's names for sockets, and what the kernel said about
 * each, from call events as the actors report them. */
#include <check.h>

#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "sockstep/registry.h"

static struct ss_event call(const char *actor, const char *name,
			    const char *sock, const char *newsock, long ret)
{
	struct ss_event ev;
	event_init(&ev, SS_EV_CALL);
	snprintf(ev.actor, sizeof ev.actor, "%s", actor);
	snprintf(ev.u.call.name, sizeof ev.u.call.name, "%s", name);
	snprintf(ev.u.call.sock, sizeof ev.u.call.sock, "%s", sock);
	snprintf(ev.u.call.newsock, sizeof ev.u.call.newsock, "%s", newsock);
	ev.u.call.ret = ret;
	ev.u.call.family = AF_INET;
	return ev;
}

static void tuple(struct ss_event *ev, const char *local, const char *peer,
		  unsigned long inode)
{
	snprintf(ev->u.call.local, sizeof ev->u.call.local, "%s", local);
	snprintf(ev->u.call.peer, sizeof ev->u.call.peer, "%s", peer);
	ev->u.call.inode = inode;
}

START_TEST(test_registry__a_reused_name_forgets_its_old_socket)
{
	static struct registry r;
	struct ss_event first = call("server", "accept", "s", "c", 4);
	struct ss_event second = call("server", "accept", "s", "c", 5);

	registry_init(&r);
	tuple(&first, "127.0.0.1:9001", "127.0.0.1:40000", 111);
	registry_record(&r, &first);
	tuple(&second, "127.0.0.1:9001", "127.0.0.1:40002", 222);
	registry_record(&r, &second);

	const struct registry_sock *e = registry_find(&r, "server", "c");
	ck_assert_ptr_nonnull(e);
	ck_assert_int_eq(e->fd, 5);
	ck_assert_str_eq(e->last.u.call.peer, "127.0.0.1:40002");
	ck_assert_ptr_null(registry_by_inode(&r, 111));
	ck_assert_ptr_eq(registry_by_inode(&r, 222), e);
	ck_assert_int_eq(r.n, 1);
}
END_TEST

START_TEST(test_registry__the_same_name_in_two_actors_is_two_sockets)
{
	static struct registry r;
	struct ss_event a = call("server", "socket", "", "s", 3);
	struct ss_event b = call("client", "socket", "", "s", 3);

	registry_init(&r);
	registry_record(&r, &a);
	registry_record(&r, &b);
	ck_assert_int_eq(r.n, 2);
	ck_assert_str_eq(registry_find(&r, "client", "s")->actor, "client");
}
END_TEST

START_TEST(test_registry__a_closed_socket_owns_no_row_but_keeps_its_tuple)
{
	static struct registry r;
	struct ss_event conn = call("client", "connect", "k", "", 0);
	struct ss_event cl = call("client", "close", "k", "", 0);

	registry_init(&r);
	tuple(&conn, "127.0.0.1:40000", "127.0.0.1:9001", 7);
	registry_record(&r, &conn);
	tuple(&cl, "127.0.0.1:40000", "127.0.0.1:9001", 7);
	registry_record(&r, &cl);
	ck_assert_ptr_null(registry_by_inode(&r, 7));
	ck_assert_str_eq(registry_tuple_owner(&r, "127.0.0.1:40000", "127.0.0.1:9001"),
			 "client");
	/* the mirror is the server's side, not the client's */
	ck_assert_ptr_null(registry_tuple_owner(&r, "127.0.0.1:9001", "127.0.0.1:40000"));
}
END_TEST

START_TEST(test_registry__a_socket_a_forked_child_still_uses_is_open_again)
{
	static struct registry r;
	struct ss_event acc = call("server", "accept", "s", "c", 4);
	struct ss_event parent_close = call("server", "close", "c", "", 0);
	struct ss_event child_read = call("server", "read", "c", "", 1);
	struct ss_event child_close = call("server", "close", "c", "", 0);

	registry_init(&r);
	tuple(&acc, "127.0.0.1:9001", "127.0.0.1:40000", 9);
	registry_record(&r, &acc);
	tuple(&parent_close, "127.0.0.1:9001", "127.0.0.1:40000", 9);
	registry_record(&r, &parent_close);
	ck_assert_ptr_null(registry_by_inode(&r, 9));
	/* the child's read: the kernel described the same inode, open */
	tuple(&child_read, "127.0.0.1:9001", "127.0.0.1:40000", 9);
	child_read.pid = 4242;
	registry_record(&r, &child_read);
	ck_assert_ptr_nonnull(registry_by_inode(&r, 9));
	ck_assert_int_eq(registry_by_inode(&r, 9)->last.pid, 4242);
	tuple(&child_close, "127.0.0.1:9001", "127.0.0.1:40000", 9);
	registry_record(&r, &child_close);
	ck_assert_ptr_null(registry_by_inode(&r, 9));
	/* a call the kernel could not describe (EBADF) opens nothing */
	registry_record(&r, &child_read);
	child_read.u.call.inode = 0;
	child_read.u.call.ret = -1;
	registry_record(&r, &child_close);
	registry_record(&r, &child_read);
	ck_assert_ptr_null(registry_by_inode(&r, 9));
}
END_TEST

START_TEST(test_registry__a_reference_resolves_to_the_kernels_address)
{
	static struct registry r;
	struct ss_event bind = call("server", "bind", "s", "", 0);
	char out[SS_ADDR_MAX];

	registry_init(&r);
	tuple(&bind, "127.0.0.1:43210", "", 9);
	ck_assert_int_eq(registry_record(&r, &bind), 1); /* a new port */
	ck_assert_int_eq(r.nports, 1);
	ck_assert_int_eq(r.ports[0], 43210);
	ck_assert_int_eq(registry_resolve(&r, "server.s", out, sizeof out), 0);
	ck_assert_str_eq(out, "127.0.0.1:43210");
	ck_assert_int_eq(registry_resolve(&r, "127.0.0.1:9001", out, sizeof out), -1);
	ck_assert_str_eq(out, "-");
	ck_assert_int_eq(registry_resolve(&r, "client.k", out, sizeof out), -1);
}
END_TEST

START_TEST(test_registry__full_forgets_the_oldest_closed_socket_first)
{
	static struct registry r;
	char name[SS_NAME_MAX];

	registry_init(&r);
	for (int i = 0; i < REGISTRY_MAX; i++) {
		snprintf(name, sizeof name, "s%d", i);
		struct ss_event ev = call("server", "socket", "", name, 3 + i);
		registry_record(&r, &ev);
	}
	struct ss_event cl = call("server", "close", "s5", "", 0);
	registry_record(&r, &cl);
	struct ss_event extra = call("server", "socket", "", "extra", 99);
	registry_record(&r, &extra);
	ck_assert_int_eq(r.n, REGISTRY_MAX);
	ck_assert_ptr_null(registry_find(&r, "server", "s5"));
	ck_assert_ptr_nonnull(registry_find(&r, "server", "s0"));
	ck_assert_ptr_nonnull(registry_find(&r, "server", "extra"));
}
END_TEST

START_TEST(test_registry__a_bound_unix_file_is_kept_by_the_scripts_name)
{
	/* the event shows the path escaped; the file's name is the script's */
	static struct registry r;
	struct ss_event ok = call("server", "bind", "s", "", 0);
	struct ss_event failed = call("server", "bind", "s", "", -1);
	struct ss_addr target = {.kind = SS_ADDR_UNIX, .path = "/tmp/caf\xc3\xa9.sock"};
	struct ss_addr inet = {.kind = SS_ADDR_INET, .host = "127.0.0.1"};

	registry_init(&r);
	tuple(&ok, "/tmp/caf\\xc3\\xa9.sock", "", 1);
	ck_assert_int_eq(registry_unix_bound(&r, &failed, &target), 0);
	ck_assert_int_eq(registry_unix_bound(&r, &ok, &inet), 0);
	ck_assert_int_eq(r.nunix, 0);
	for (int i = 0; i < REGISTRY_UNIX_MAX; i++)
		ck_assert_int_eq(registry_unix_bound(&r, &ok, &target), 0);
	ck_assert_str_eq(r.unix_paths[0], "/tmp/caf\xc3\xa9.sock");
	ck_assert_int_eq(registry_unix_bound(&r, &ok, &target), -1);
}
END_TEST

Suite *test_suite(void)
{
	Suite *s = suite_create("registry");
	TCase *tc = tcase_create("registry");

	tcase_add_test(tc, test_registry__a_reused_name_forgets_its_old_socket);
	tcase_add_test(tc, test_registry__the_same_name_in_two_actors_is_two_sockets);
	tcase_add_test(tc, test_registry__a_closed_socket_owns_no_row_but_keeps_its_tuple);
	tcase_add_test(tc, test_registry__a_reference_resolves_to_the_kernels_address);
	tcase_add_test(tc, test_registry__full_forgets_the_oldest_closed_socket_first);
	tcase_add_test(tc, test_registry__a_bound_unix_file_is_kept_by_the_scripts_name);
	tcase_add_test(tc, test_registry__a_socket_a_forked_child_still_uses_is_open_again);
	suite_add_tcase(s, tc);
	return s;
}
