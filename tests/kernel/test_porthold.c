/* porthold: what holds a port, as the kernel says, and whether a bind with
 * SO_REUSEADDR gets through now (the lesson 10 facts, on real sockets). */
#include <check.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "sockstep/porthold.h"

static int listener(int reuse, int *port)
{
	struct sockaddr_in a = {.sin_family = AF_INET};
	socklen_t len = sizeof a;
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	ck_assert_int_ge(fd, 0);
	if (reuse)
		setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &reuse, sizeof reuse);
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	ck_assert_int_eq(bind(fd, (struct sockaddr *)&a, sizeof a), 0);
	ck_assert_int_eq(listen(fd, 5), 0);
	getsockname(fd, (struct sockaddr *)&a, &len);
	*port = ntohs(a.sin_port);
	return fd;
}

/* The server closes first, so its side of the connection, on the
 * listener's port, ends in TIME_WAIT; then the listener goes too. */
static int server_side_time_wait(int reuse, struct porthold *h)
{
	struct sockaddr_in a = {.sin_family = AF_INET};
	char err[256];
	int port, l = listener(reuse, &port);
	int c = socket(AF_INET, SOCK_STREAM, 0), s;

	a.sin_port = htons((uint16_t)port);
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	ck_assert_int_eq(connect(c, (struct sockaddr *)&a, sizeof a), 0);
	s = accept(l, NULL, NULL);
	ck_assert_int_ge(s, 0);
	close(s);
	poll(NULL, 0, 20);
	close(c);
	close(l);
	for (int i = 0; i < 100; i++) { /* the last ACK is handled in softirq */
		ck_assert_int_eq(porthold_check("127.0.0.1", port, h, err, sizeof err), 0);
		if (h->kind == PORTHOLD_TIME_WAIT)
			break;
		poll(NULL, 0, 10);
	}
	return port;
}

START_TEST(test_porthold__a_port_nobody_holds_is_free)
{
	struct porthold h;
	char err[256], text[256];
	int port, l = listener(0, &port);

	close(l); /* bound and listened, closed with no connection: nothing left */
	ck_assert_int_eq(porthold_check("127.0.0.1", port, &h, err, sizeof err), 0);
	ck_assert_int_eq(h.kind, PORTHOLD_FREE);
	ck_assert_int_eq(h.bind_ok, 1);
	porthold_describe(&h, port, text, sizeof text);
	ck_assert_ptr_nonnull(strstr(text, "is free"));
}
END_TEST

START_TEST(test_porthold__a_listener_holds_it_even_with_so_reuseaddr)
{
	struct porthold h;
	char err[256], text[256];
	int port, l = listener(1, &port);

	ck_assert_int_eq(porthold_check("127.0.0.1", port, &h, err, sizeof err), 0);
	ck_assert_int_eq(h.kind, PORTHOLD_LISTEN);
	ck_assert_int_eq(h.bind_ok, 0);
	porthold_describe(&h, port, text, sizeof text);
	ck_assert_ptr_nonnull(strstr(text, "listening socket"));
	close(l);
}
END_TEST

START_TEST(test_porthold__time_wait_without_reuseaddr_blocks_the_bind)
{
	struct porthold h;
	char text[256];
	int port = server_side_time_wait(0, &h);

	ck_assert_int_eq(h.kind, PORTHOLD_TIME_WAIT);
	ck_assert_int_eq(h.bind_ok, 0);
	ck_assert_int_gt(h.row.timer_ms, 50000); /* the 60 s countdown */
	porthold_describe(&h, port, text, sizeof text);
	ck_assert_ptr_nonnull(strstr(text, "TIME_WAIT"));
}
END_TEST

START_TEST(test_porthold__time_wait_of_a_reuseaddr_listener_lets_it_through)
{
	struct porthold h;

	server_side_time_wait(1, &h);
	ck_assert_int_eq(h.kind, PORTHOLD_TIME_WAIT);
	ck_assert_int_eq(h.bind_ok, 1);
}
END_TEST

Suite *test_suite(void)
{
	Suite *s = suite_create("porthold");
	TCase *tc = tcase_create("porthold");

	tcase_add_test(tc, test_porthold__a_port_nobody_holds_is_free);
	tcase_add_test(tc, test_porthold__a_listener_holds_it_even_with_so_reuseaddr);
	tcase_add_test(tc, test_porthold__time_wait_without_reuseaddr_blocks_the_bind);
	tcase_add_test(tc, test_porthold__time_wait_of_a_reuseaddr_listener_lets_it_through);
	suite_add_tcase(s, tc);
	return s;
}
