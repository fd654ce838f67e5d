/* trace: addresses written as inet_ntop(3) writes them; the inode and type
 * of an fd asked once, and asked again when the fd number is reused by a
 * new socket; a connected socket's addresses kept while the kernel says
 * it is connected, and gone once a reset closed it (real sockets on
 * loopback, kernel-chosen ports). */
#include <check.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sockstep/trace.h"

static struct ss_event last;
static int nevents;

static void keep(void *ctx, const struct ss_event *ev)
{
	(void)ctx;
	last = *ev;
	nevents++;
}

START_TEST(test_trace__ipv4_addresses_read_as_inet_ntop_writes_them)
{
	static const char *const hosts[] = {"0.0.0.0", "127.0.0.1", "10.20.30.40",
					    "255.255.255.255", "192.168.0.9"};
	static const unsigned ports[] = {0, 9, 80, 9001, 65535};

	for (size_t h = 0; h < sizeof hosts / sizeof hosts[0]; h++)
		for (size_t p = 0; p < sizeof ports / sizeof ports[0]; p++) {
			struct sockaddr_in in = {.sin_family = AF_INET,
						 .sin_port = htons((uint16_t)ports[p])};
			char want[64], got[64], cut[8];
			ck_assert_int_eq(inet_pton(AF_INET, hosts[h], &in.sin_addr), 1);
			snprintf(want, sizeof want, "%s:%u", hosts[h], ports[p]);
			trace_format_addr((struct sockaddr *)&in, sizeof in, got, sizeof got);
			ck_assert_str_eq(got, want);
			/* cut to the field's size, always terminated */
			trace_format_addr((struct sockaddr *)&in, sizeof in, cut, sizeof cut);
			ck_assert_int_eq(strncmp(cut, want, sizeof cut - 1), 0);
			ck_assert_uint_eq(strlen(cut), strlen(want) < sizeof cut ? strlen(want) : sizeof cut - 1);
		}
}
END_TEST

static unsigned long inode_of(int fd)
{
	struct stat st;
	ck_assert_int_eq(fstat(fd, &st), 0);
	return (unsigned long)st.st_ino;
}

START_TEST(test_trace__a_reused_fd_number_is_asked_about_again)
{
	struct trace_ctx t;
	struct trace_names n = {.sock = "s", .newsock = "s"};
	int fd, again;
	unsigned long first;

	memset(&t, 0, sizeof t);
	t.actor = "server";
	t.enabled = 1;
	t.emit = keep;
	fd = trace_socket(&t, &n, AF_INET, SOCK_STREAM);
	ck_assert_int_ge(fd, 0);
	first = inode_of(fd);
	ck_assert_uint_eq(last.u.call.inode, first);
	ck_assert_int_eq(last.u.call.type, SOCK_STREAM);
	trace_listen(&t, &n, fd, 1);
	ck_assert_uint_eq(last.u.call.inode, first);
	trace_close(&t, &n, fd);
	ck_assert_uint_eq(last.u.call.inode, first);

	/* The kernel gives the lowest free number: the same fd, a new socket. */
	again = trace_socket(&t, &n, AF_INET, SOCK_DGRAM);
	ck_assert_int_eq(again, fd);
	ck_assert_uint_ne(inode_of(again), first);
	ck_assert_uint_eq(last.u.call.inode, inode_of(again));
	ck_assert_int_eq(last.u.call.type, SOCK_DGRAM);
	trace_close(&t, &n, again);
	ck_assert_int_eq(nevents, 5);
}
END_TEST

/* A listener on 127.0.0.1 and a plain client connected to it; the traced
 * side is the accepted socket (the listener's fd in *lfd). */
static int accepted_pair(struct trace_ctx *t, int *lfd, int *client)
{
	struct trace_names n = {.sock = "s", .newsock = "c"};
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	socklen_t len = sizeof a;

	*lfd = trace_socket(t, &n, AF_INET, SOCK_STREAM);
	ck_assert_int_eq(trace_bind(t, &n, *lfd, (struct sockaddr *)&a, sizeof a), 0);
	ck_assert_int_eq(trace_listen(t, &n, *lfd, 1), 0);
	ck_assert_int_eq(getsockname(*lfd, (struct sockaddr *)&a, &len), 0);
	*client = socket(AF_INET, SOCK_STREAM, 0);
	ck_assert_int_eq(connect(*client, (struct sockaddr *)&a, sizeof a), 0);
	return trace_accept(t, &n, *lfd);
}

START_TEST(test_trace__a_reset_connection_loses_its_peer_at_once)
{
	struct trace_ctx t;
	struct trace_names n = {.sock = "c"};
	struct linger abort_it = {1, 0};
	char local[SS_ADDR_MAX], peer[SS_ADDR_MAX], buf[8];
	int lfd, client, fd;

	memset(&t, 0, sizeof t);
	t.actor = "server";
	t.enabled = 1;
	t.emit = keep;
	fd = accepted_pair(&t, &lfd, &client);
	ck_assert_int_ge(fd, 0);
	snprintf(local, sizeof local, "%s", last.u.call.local);
	snprintf(peer, sizeof peer, "%s", last.u.call.peer);
	ck_assert(peer[0] != '\0');

	/* connected: the same addresses, the state asked anew */
	ck_assert_int_eq(send(client, "x", 1, 0), 1);
	ck_assert_int_eq(trace_recv(&t, &n, fd, buf, sizeof buf, 0), 1);
	ck_assert_str_eq(last.u.call.local, local);
	ck_assert_str_eq(last.u.call.peer, peer);
	ck_assert_int_eq(last.u.call.state, TCP_ESTABLISHED);

	/* the peer resets: the kernel has no peer any more (CLOSE) */
	ck_assert_int_eq(setsockopt(client, SOL_SOCKET, SO_LINGER, &abort_it, sizeof abort_it), 0);
	close(client);
	ck_assert_int_lt(trace_recv(&t, &n, fd, buf, sizeof buf, 0), 0);
	ck_assert_int_eq(last.u.call.state, TCP_CLOSE);
	ck_assert_str_eq(last.u.call.peer, "");
	ck_assert_int_eq(trace_send(&t, &n, fd, "y", 1, 0), -1);
	ck_assert_int_eq(last.u.call.state, TCP_CLOSE);
	ck_assert_str_eq(last.u.call.peer, "");
	trace_close(&t, &n, fd);
	trace_close(&t, &n, lfd);
}
END_TEST

Suite *test_suite(void)
{
	Suite *s = suite_create("trace");
	TCase *tc = tcase_create("trace");

	tcase_set_timeout(tc, 10);
	tcase_add_test(tc, test_trace__ipv4_addresses_read_as_inet_ntop_writes_them);
	tcase_add_test(tc, test_trace__a_reused_fd_number_is_asked_about_again);
	tcase_add_test(tc, test_trace__a_reset_connection_loses_its_peer_at_once);
	suite_add_tcase(s, tc);
	return s;
}
