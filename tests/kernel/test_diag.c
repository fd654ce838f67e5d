/* diag: what sock_diag shows that an fd cannot (queued connections,
 * TIME_WAIT, CLOSE_WAIT), on real loopback sockets with kernel-chosen ports. */
#include <check.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "sockstep/diag.h"

#define MAX_ROWS 64
/* The kernel finishes a handshake or a FIN in softirq context: give it up to
 * 100 x 10 ms before calling a test failed. */
#define RETRIES 100
#define RETRY_MS 10

static void nap(void) { poll(NULL, 0, RETRY_MS); }

static int listener(int backlog, uint16_t *port)
{
	struct sockaddr_in a = {.sin_family = AF_INET};
	socklen_t len = sizeof(a);
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	ck_assert_int_ge(fd, 0);
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	ck_assert_int_eq(bind(fd, (struct sockaddr *)&a, sizeof(a)), 0);
	ck_assert_int_eq(listen(fd, backlog), 0);
	ck_assert_int_eq(getsockname(fd, (struct sockaddr *)&a, &len), 0);
	*port = ntohs(a.sin_port);
	return fd;
}

static int connect_to(uint16_t port)
{
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons(port)};
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	ck_assert_int_ge(fd, 0);
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	ck_assert_int_eq(connect(fd, (struct sockaddr *)&a, sizeof(a)), 0);
	return fd;
}

static void name_of(int fd, char *out, size_t outsz)
{
	struct sockaddr_in a;
	socklen_t len = sizeof(a);

	ck_assert_int_eq(getsockname(fd, (struct sockaddr *)&a, &len), 0);
	snprintf(out, outsz, "127.0.0.1:%u", (unsigned)ntohs(a.sin_port));
}

/* The port after the last ':' (kept local: event.c is not linked here). */
static int port_of(const char *addr)
{
	const char *c = strrchr(addr, ':');
	return c ? atoi(c + 1) : -1;
}

/* The row local -> peer in state, or NULL. */
static const struct ss_socket_event *find_row(const struct ss_event *rows,
					      int n, const char *local,
					      const char *peer, int state)
{
	for (int i = 0; i < n; i++) {
		const struct ss_socket_event *s = &rows[i].u.sock;
		if (strcmp(s->local, local) == 0 &&
		    (!peer || strcmp(s->peer, peer) == 0) &&
		    (state < 0 || s->state == state))
			return s;
	}
	return NULL;
}

/* Snapshot until the wanted row appears (bounded); NULL if it never does. */
static const struct ss_socket_event *wait_row(uint16_t port,
					      struct ss_event *rows,
					      const char *local,
					      const char *peer, int state)
{
	for (int r = 0; r < RETRIES; r++) {
		int n = diag_tcp_snapshot(&port, 1, rows, MAX_ROWS);
		ck_assert_int_ge(n, 0);
		const struct ss_socket_event *s =
		    find_row(rows, n, local, peer, state);
		if (s)
			return s;
		nap();
	}
	return NULL;
}

START_TEST(listen_queue_counts_unaccepted_connections)
{
	static struct ss_event rows[MAX_ROWS];
	char server[32], client_addr[32];
	uint16_t port;
	int lfd = listener(5, &port);
	int cfd = connect_to(port);

	name_of(lfd, server, sizeof(server));
	name_of(cfd, client_addr, sizeof(client_addr));

	/* The kernel finished the handshake without accept(): the connection
	 * waits in the accept queue, an ESTABLISHED socket no fd owns. */
	const struct ss_socket_event *queued =
	    wait_row(port, rows, server, client_addr, TCP_ESTABLISHED);
	ck_assert_ptr_nonnull(queued);
	ck_assert_uint_eq(queued->inode, 0);
	ck_assert_int_eq(queued->owner_fd, -1);
	ck_assert_str_eq(queued->owner, "");

	const struct ss_socket_event *l =
	    wait_row(port, rows, server, "0.0.0.0:0", TCP_LISTEN);
	ck_assert_ptr_nonnull(l);
	/* On a listener Recv-Q is the accept queue and Send-Q the backlog. */
	ck_assert_int_eq(l->recv_q, 1);
	ck_assert_int_eq(l->send_q, 5);
	ck_assert_uint_ne(l->inode, 0);
	ck_assert_int_eq(l->timer, 0);
	ck_assert_int_eq(l->timer_ms, -1);

	int afd = accept(lfd, NULL, NULL);
	ck_assert_int_ge(afd, 0);
	int n = diag_tcp_snapshot(&port, 1, rows, MAX_ROWS);
	ck_assert_int_ge(n, 3);
	l = find_row(rows, n, server, "0.0.0.0:0", TCP_LISTEN);
	ck_assert_ptr_nonnull(l);
	ck_assert_int_eq(l->recv_q, 0);
	/* accept() gave the queued socket an fd, hence an inode. */
	const struct ss_socket_event *acc =
	    find_row(rows, n, server, client_addr, TCP_ESTABLISHED);
	ck_assert_ptr_nonnull(acc);
	ck_assert_uint_ne(acc->inode, 0);
	ck_assert_int_eq(rows[0].kind, SS_EV_SOCKET);
	ck_assert_str_eq(rows[0].actor, "kernel");
	ck_assert_int_eq(rows[0].u.sock.rows, n);

	close(afd);
	close(cfd);
	close(lfd);
}
END_TEST

START_TEST(active_closer_enters_time_wait_with_countdown)
{
	static struct ss_event rows[MAX_ROWS];
	char server[32], client_addr[32], buf[8];
	uint16_t port;
	int lfd = listener(5, &port);
	int cfd = connect_to(port);
	int afd = accept(lfd, NULL, NULL);

	ck_assert_int_ge(afd, 0);
	name_of(lfd, server, sizeof(server));
	name_of(cfd, client_addr, sizeof(client_addr));

	/* The client closes first, the server reads EOF and closes too: the
	 * side that closed first waits in TIME_WAIT, which no fd shows. */
	close(cfd);
	ck_assert_int_eq(read(afd, buf, sizeof(buf)), 0);
	close(afd);

	const struct ss_socket_event *tw =
	    wait_row(port, rows, client_addr, server, TCP_TIME_WAIT);
	ck_assert_ptr_nonnull(tw);
	ck_assert_int_eq(tw->timer, 3);
	ck_assert_int_gt(tw->timer_ms, 0);
	ck_assert_int_le(tw->timer_ms, 60000);
	ck_assert_uint_eq(tw->inode, 0);
	ck_assert_int_eq(tw->recv_q, 0);
	ck_assert_int_eq(tw->send_q, 0);

	close(lfd);
}
END_TEST

START_TEST(passive_side_goes_through_close_wait)
{
	static struct ss_event rows[MAX_ROWS];
	char server[32], client_addr[32];
	uint16_t port;
	int lfd = listener(5, &port);
	int cfd = connect_to(port);
	int afd = accept(lfd, NULL, NULL);

	ck_assert_int_ge(afd, 0);
	name_of(lfd, server, sizeof(server));
	name_of(cfd, client_addr, sizeof(client_addr));

	/* The peer's FIN arrived; the server has not closed yet. */
	close(cfd);
	const struct ss_socket_event *cw =
	    wait_row(port, rows, server, client_addr, TCP_CLOSE_WAIT);
	ck_assert_ptr_nonnull(cw);
	ck_assert_uint_ne(cw->inode, 0);

	close(afd);
	close(lfd);
}
END_TEST

START_TEST(filter_keeps_only_requested_ports)
{
	static struct ss_event rows[MAX_ROWS];
	uint16_t pa, pb;
	int la = listener(5, &pa);
	int lb = listener(5, &pb);
	int ca = connect_to(pa);
	int cb = connect_to(pb);

	int n = diag_tcp_snapshot(&pa, 1, rows, MAX_ROWS);
	ck_assert_int_ge(n, 2);
	for (int i = 0; i < n; i++) {
		const struct ss_socket_event *s = &rows[i].u.sock;
		int lp = port_of(s->local), rp = port_of(s->peer);
		ck_assert_msg(lp == pa || rp == pa, "row %s -> %s not port %u",
			      s->local, s->peer, (unsigned)pa);
	}

	uint16_t both[2] = {pa, pb};
	int m = diag_tcp_snapshot(both, 2, rows, MAX_ROWS);
	ck_assert_int_gt(m, n - 1);
	bool saw_b = false;
	for (int i = 0; i < m; i++) {
		const struct ss_socket_event *s = &rows[i].u.sock;
		if (port_of(s->local) == pb || port_of(s->peer) == pb)
			saw_b = true;
	}
	ck_assert(saw_b);

	/* max caps the rows; no write past it. */
	ck_assert_int_eq(diag_tcp_snapshot(both, 2, rows, 1), 1);
	ck_assert_int_eq(diag_tcp_snapshot(both, 2, NULL, 0), 0);

	close(ca);
	close(cb);
	close(la);
	close(lb);
}
END_TEST

/* An exact lookup finds each socket by its 4-tuple, a listener by its local
 * address, a TIME_WAIT after both fds are gone; a tuple the kernel does not
 * have gives no row. */
START_TEST(lookup_finds_each_socket_by_its_tuple)
{
	static struct ss_event rows[MAX_ROWS];
	struct diag_tuple t[4];
	char server[32], client_addr[32], buf[8];
	uint16_t port;
	int lfd = listener(5, &port);
	int cfd = connect_to(port);
	int afd = accept(lfd, NULL, NULL);

	ck_assert_int_ge(afd, 0);
	name_of(lfd, server, sizeof(server));
	name_of(cfd, client_addr, sizeof(client_addr));
	memset(t, 0, sizeof t);
	snprintf(t[0].local, sizeof t[0].local, "%s", server);
	snprintf(t[1].local, sizeof t[1].local, "%s", server);
	snprintf(t[1].peer, sizeof t[1].peer, "%s", client_addr);
	snprintf(t[2].local, sizeof t[2].local, "%s", client_addr);
	snprintf(t[2].peer, sizeof t[2].peer, "%s", server);
	snprintf(t[3].local, sizeof t[3].local, "127.0.0.1:1");
	snprintf(t[3].peer, sizeof t[3].peer, "%s", server);

	ck_assert_int_eq(diag_tcp_lookup(t, 4, rows, MAX_ROWS), 3);
	ck_assert_ptr_nonnull(find_row(rows, 3, server, "0.0.0.0:0", TCP_LISTEN));
	ck_assert_ptr_nonnull(find_row(rows, 3, server, client_addr, TCP_ESTABLISHED));
	ck_assert_ptr_nonnull(find_row(rows, 3, client_addr, server, TCP_ESTABLISHED));
	ck_assert_int_eq(diag_tcp_lookup(t, 4, rows, 1), 1);

	close(cfd);
	ck_assert_int_eq(read(afd, buf, sizeof(buf)), 0);
	close(afd);
	int n = 0;
	for (int r = 0; r < RETRIES && !find_row(rows, n, client_addr, server, TCP_TIME_WAIT); r++) {
		nap();
		n = diag_tcp_lookup(&t[2], 1, rows, MAX_ROWS);
	}
	ck_assert_ptr_nonnull(find_row(rows, n, client_addr, server, TCP_TIME_WAIT));
	close(lfd);
	ck_assert_int_eq(diag_tcp_lookup(t, 1, rows, MAX_ROWS), 0);
}
END_TEST

Suite *test_suite(void)
{
	Suite *s = suite_create("diag");
	TCase *tc = tcase_create("sock_diag");

	tcase_set_timeout(tc, 10);
	tcase_add_test(tc, listen_queue_counts_unaccepted_connections);
	tcase_add_test(tc, active_closer_enters_time_wait_with_countdown);
	tcase_add_test(tc, passive_side_goes_through_close_wait);
	tcase_add_test(tc, filter_keeps_only_requested_ports);
	tcase_add_test(tc, lookup_finds_each_socket_by_its_tuple);
	suite_add_tcase(s, tc);
	return s;
}
