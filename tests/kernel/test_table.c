/* table: which rows of the kernel's socket table belong to the session
 * (inode, 4-tuple, its mirror, a listener's queue), on rules and on real
 * loopback sockets. */
#include <check.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sockstep/table.h"

static struct ss_event call(const char *actor, const char *name,
			    const char *sock, const char *local,
			    const char *peer, int state, unsigned long inode)
{
	struct ss_event ev;
	event_init(&ev, SS_EV_CALL);
	snprintf(ev.actor, sizeof ev.actor, "%s", actor);
	snprintf(ev.u.call.name, sizeof ev.u.call.name, "%s", name);
	snprintf(ev.u.call.sock, sizeof ev.u.call.sock, "%s", sock);
	snprintf(ev.u.call.local, sizeof ev.u.call.local, "%s", local);
	snprintf(ev.u.call.peer, sizeof ev.u.call.peer, "%s", peer);
	ev.u.call.state = state;
	ev.u.call.inode = inode;
	ev.u.call.ret = 0;
	ev.u.call.family = AF_INET;
	return ev;
}

static struct ss_socket_event row(const char *local, const char *peer,
				  int state, unsigned long inode)
{
	struct ss_socket_event r;
	memset(&r, 0, sizeof r);
	snprintf(r.local, sizeof r.local, "%s", local);
	snprintf(r.peer, sizeof r.peer, "%s", peer);
	r.state = state;
	r.inode = inode;
	return r;
}

START_TEST(test_table__a_row_with_an_open_sockets_inode_belongs)
{
	static struct registry r;
	struct ss_event ev = call("server", "listen", "s", "127.0.0.1:9001", "",
				  TCP_LISTEN, 42);
	struct ss_socket_event mine = row("0.0.0.0:9001", "", TCP_LISTEN, 42);
	struct ss_socket_event other = row("0.0.0.0:9001", "", TCP_LISTEN, 43);

	registry_init(&r);
	registry_record(&r, &ev);
	ck_assert_int_eq(table_row_relevant(&r, &mine), 1);
	ck_assert_int_eq(table_row_relevant(&r, &other), 0);
}
END_TEST

START_TEST(test_table__the_mirror_of_a_connection_belongs_even_after_close)
{
	static struct registry r;
	struct ss_event conn = call("client", "connect", "k", "127.0.0.1:40000",
				    "127.0.0.1:9001", TCP_ESTABLISHED, 7);
	struct ss_event cl = call("client", "close", "k", "127.0.0.1:40000",
				  "127.0.0.1:9001", -1, 7);
	/* the server's end: same 4-tuple seen from the other side */
	struct ss_socket_event mirror = row("127.0.0.1:9001", "127.0.0.1:40000",
					    TCP_CLOSE_WAIT, 0);
	struct ss_socket_event tw = row("127.0.0.1:40000", "127.0.0.1:9001",
					TCP_TIME_WAIT, 0);
	struct ss_socket_event stranger = row("127.0.0.1:9001", "127.0.0.1:40001",
					      TCP_TIME_WAIT, 0);

	registry_init(&r);
	registry_record(&r, &conn);
	registry_record(&r, &cl);
	ck_assert_int_eq(table_row_relevant(&r, &mirror), 1);
	ck_assert_int_eq(table_row_relevant(&r, &tw), 1);
	ck_assert_int_eq(table_row_relevant(&r, &stranger), 0);
}
END_TEST

START_TEST(test_table__a_listeners_queue_belongs_but_not_its_old_time_waits)
{
	static struct registry r;
	struct ss_event ev = call("server", "listen", "s", "127.0.0.1:9001", "",
				  TCP_LISTEN, 42);
	struct ss_socket_event queued = row("127.0.0.1:9001", "127.0.0.1:40000",
					    TCP_SYN_RECV, 0);
	struct ss_socket_event old = row("127.0.0.1:9001", "127.0.0.1:39999",
					 TCP_TIME_WAIT, 0);

	registry_init(&r);
	registry_record(&r, &ev);
	ck_assert_int_eq(table_row_relevant(&r, &queued), 1);
	ck_assert_int_eq(table_row_relevant(&r, &old), 0);
}
END_TEST

static void collect(void *ctx, const struct ss_event *ev)
{
	int *n = ctx;
	(*n)++;
	ck_assert(ev->kind == SS_EV_SOCKET || ev->kind == SS_EV_NOTE);
}

/* A real listener with one connection in its accept queue: the kernel
 * shows the listener (our inode, owned by "server") and the queued socket
 * (no fd yet); the client's end, unknown to the script, is not shown. */
START_TEST(test_table__a_snapshot_keeps_the_listener_and_its_queued_connection)
{
	static struct registry r;
	static struct table t;
	struct sockaddr_in a = {.sin_family = AF_INET};
	socklen_t len = sizeof a;
	struct stat stl;
	char local[SS_ADDR_MAX];
	int lfd = socket(AF_INET, SOCK_STREAM, 0), cfd, found = 0, emitted = 0;

	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	ck_assert_int_eq(bind(lfd, (struct sockaddr *)&a, sizeof a), 0);
	ck_assert_int_eq(listen(lfd, 4), 0);
	ck_assert_int_eq(getsockname(lfd, (struct sockaddr *)&a, &len), 0);
	ck_assert_int_eq(fstat(lfd, &stl), 0);
	snprintf(local, sizeof local, "127.0.0.1:%d", ntohs(a.sin_port));
	cfd = socket(AF_INET, SOCK_STREAM, 0);
	ck_assert_int_eq(connect(cfd, (struct sockaddr *)&a, sizeof a), 0);

	registry_init(&r);
	table_init(&t);
	struct ss_event ev = call("server", "listen", "s", local, "", TCP_LISTEN,
				  (unsigned long)stl.st_ino);
	registry_record(&r, &ev);
	for (int tries = 0; tries < 100 && found < 2; tries++) {
		ck_assert_int_eq(table_snapshot(&t, &r), 0);
		found = t.nrows;
		if (found < 2)
			poll(NULL, 0, 10);
	}
	ck_assert_int_eq(t.nrows, 2);
	for (int i = 0; i < t.nrows; i++) {
		const struct ss_socket_event *s = &t.rows[i].u.sock;
		ck_assert_str_eq(s->local, local);
		if (s->state == TCP_LISTEN) {
			ck_assert_str_eq(s->owner, "server");
		} else {
			ck_assert_str_eq(s->owner, "");
			ck_assert_int_eq(s->owner_fd, -1);
		}
	}
	ck_assert_int_eq(table_emit_snapshot(&t, 1.0, 1, 0, collect, &emitted), 2);
	ck_assert_int_eq(table_emit_snapshot(&t, 1.1, 2, 0, collect, &emitted), 0);
	ck_assert_int_eq(emitted, 2);
	close(cfd);
	close(lfd);
}
END_TEST

/* A server-side TIME_WAIT on a port of its own (the server closed first). */
static int server_time_wait(char *local, size_t localsz)
{
	struct sockaddr_in a = {.sin_family = AF_INET};
	socklen_t len = sizeof a;
	int l = socket(AF_INET, SOCK_STREAM, 0), c, s;

	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	ck_assert_int_eq(bind(l, (struct sockaddr *)&a, sizeof a), 0);
	ck_assert_int_eq(listen(l, 1), 0);
	getsockname(l, (struct sockaddr *)&a, &len);
	c = socket(AF_INET, SOCK_STREAM, 0);
	ck_assert_int_eq(connect(c, (struct sockaddr *)&a, sizeof a), 0);
	s = accept(l, NULL, NULL);
	close(s);
	poll(NULL, 0, 20);
	close(c);
	close(l);
	snprintf(local, localsz, "127.0.0.1:%d", ntohs(a.sin_port));
	return ntohs(a.sin_port);
}

static void count_sockets(void *ctx, const struct ss_event *ev)
{
	int *n = ctx;
	*n += ev->kind == SS_EV_SOCKET;
}

/* The demo on the host network: the earlier run's TIME_WAIT holds the
 * port and belongs to no socket of this session, yet the table shows it;
 * after the last step its countdown ticks, so a second later it is news. */
START_TEST(test_table__a_watched_port_shows_its_earlier_time_wait_ticking)
{
	static struct registry r;
	static struct table t;
	char local[SS_ADDR_MAX];
	int port = server_time_wait(local, sizeof local), emitted = 0;
	long first;

	registry_init(&r);
	registry_add_port(&r, port);
	table_init(&t);
	ck_assert_int_eq(table_snapshot(&t, &r), 0);
	ck_assert_int_eq(t.nrows, 0); /* not the session's: hidden */
	t.watch_port = port;
	for (int tries = 0; tries < 100 && t.nrows == 0; tries++) {
		ck_assert_int_eq(table_snapshot(&t, &r), 0);
		if (t.nrows == 0)
			poll(NULL, 0, 10);
	}
	ck_assert_int_eq(t.nrows, 1);
	ck_assert_str_eq(t.rows[0].u.sock.local, local);
	ck_assert_int_eq(t.rows[0].u.sock.state, TCP_TIME_WAIT);
	first = t.rows[0].u.sock.timer_ms;
	ck_assert_int_gt(first, 50000);
	ck_assert_int_eq(table_after_end(&t, &r, 1.0, count_sockets, &emitted), 1);
	ck_assert_int_eq(emitted, 1);
	poll(NULL, 0, 1100);
	ck_assert_int_eq(table_after_end(&t, &r, 2.1, count_sockets, &emitted), 1);
	ck_assert_int_eq(emitted, 2); /* a second less: emitted again */
	ck_assert_int_lt(t.rows[0].u.sock.timer_ms, first - 1000);
}
END_TEST

static void addr_text(int fd, int peer, char *out, size_t outsz)
{
	struct sockaddr_in a;
	socklen_t len = sizeof a;

	if (peer)
		ck_assert_int_eq(getpeername(fd, (struct sockaddr *)&a, &len), 0);
	else
		ck_assert_int_eq(getsockname(fd, (struct sockaddr *)&a, &len), 0);
	snprintf(out, outsz, "127.0.0.1:%d", ntohs(a.sin_port));
}

/* Both ends of a connection are the session's (a traced server and its
 * client): each end's 4-tuple is the other's mirror, and a lookup the
 * kernel finds no connection for falls back to the port's listener.  The
 * exact lookups still show each socket once, the rows a dump shows: the
 * listener and the client's TIME_WAIT (the client closed first). */
START_TEST(test_table__exact_lookups_show_each_socket_once_as_the_dump_does)
{
	static struct registry r;
	static struct table dump, known;
	struct sockaddr_in a = {.sin_family = AF_INET};
	socklen_t len = sizeof a;
	char ls[SS_ADDR_MAX], cl[SS_ADDR_MAX], sv[SS_ADDR_MAX];
	int l = socket(AF_INET, SOCK_STREAM, 0), c, s;

	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	ck_assert_int_eq(bind(l, (struct sockaddr *)&a, sizeof a), 0);
	ck_assert_int_eq(listen(l, 1), 0);
	getsockname(l, (struct sockaddr *)&a, &len);
	c = socket(AF_INET, SOCK_STREAM, 0);
	ck_assert_int_eq(connect(c, (struct sockaddr *)&a, sizeof a), 0);
	s = accept(l, NULL, NULL);
	addr_text(l, 0, ls, sizeof ls);
	addr_text(c, 0, cl, sizeof cl);
	addr_text(s, 0, sv, sizeof sv);

	registry_init(&r);
	struct ss_event ev[3] = {
	    call("server", "listen", "s", ls, "", TCP_LISTEN, 1),
	    call("client", "connect", "k", cl, sv, TCP_ESTABLISHED, 2),
	    call("server", "accept", "c", sv, cl, TCP_ESTABLISHED, 3)};
	for (int i = 0; i < 3; i++) {
		ev[i].u.call.type = SOCK_STREAM;
		registry_record(&r, &ev[i]);
	}
	close(c);
	poll(NULL, 0, 20);
	close(s);
	poll(NULL, 0, 20);
	table_init(&dump);
	table_init(&known);
	ck_assert_int_eq(table_snapshot(&dump, &r), 0);
	ck_assert_int_eq(table_snapshot_known(&known, &r), 0);
	ck_assert_int_eq(dump.nrows, 2);
	ck_assert_int_eq(known.nrows, 2);
	for (int i = 0; i < known.nrows; i++) {
		const struct ss_socket_event *k = &known.rows[i].u.sock;
		ck_assert(k->state == TCP_LISTEN || k->state == TCP_TIME_WAIT);
		ck_assert_int_eq(k->rows, 2);
		for (int j = 0; j < i; j++)
			ck_assert(k->state != known.rows[j].u.sock.state);
	}
	close(l);
}
END_TEST

Suite *test_suite(void)
{
	Suite *s = suite_create("table");
	TCase *tc = tcase_create("table");

	tcase_add_test(tc, test_table__a_row_with_an_open_sockets_inode_belongs);
	tcase_add_test(tc, test_table__the_mirror_of_a_connection_belongs_even_after_close);
	tcase_add_test(tc, test_table__a_listeners_queue_belongs_but_not_its_old_time_waits);
	tcase_add_test(tc, test_table__a_snapshot_keeps_the_listener_and_its_queued_connection);
	tcase_add_test(tc, test_table__a_watched_port_shows_its_earlier_time_wait_ticking);
	tcase_add_test(tc, test_table__exact_lookups_show_each_socket_once_as_the_dump_does);
	suite_add_tcase(s, tc);
	return s;
}
