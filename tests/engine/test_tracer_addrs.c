/* tracer_addrs: a connected TCP socket's addresses are kept, and only
 * while the kernel says it is connected; a reconnect of the same socket
 * (connect(AF_UNSPEC), then connect) gives it new ones. */
#include <check.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "sockstep/trace.h"
#include "sockstep/tracer_addrs.h"

/* A listener on 127.0.0.1, port 0; *sa its address. */
static int listener(struct sockaddr_in *sa)
{
	socklen_t len = sizeof *sa;
	int s = socket(AF_INET, SOCK_STREAM, 0);

	memset(sa, 0, sizeof *sa);
	sa->sin_family = AF_INET;
	sa->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	ck_assert_int_eq(bind(s, (struct sockaddr *)sa, sizeof *sa), 0);
	ck_assert_int_eq(listen(s, 4), 0);
	ck_assert_int_eq(getsockname(s, (struct sockaddr *)sa, &len), 0);
	return s;
}

/* What the kernel says about fd now, as the tracer's event holds it. */
static void ask(int fd, struct ss_call_event *c)
{
	memset(c, 0, sizeof *c);
	c->state = c->queue = c->backlog = -1;
	trace_describe_socket(fd, c);
}

START_TEST(test_tracer_addrs__a_connected_socket_is_kept_by_inode)
{
	static struct taddrs a;
	struct sockaddr_in sa;
	struct ss_call_event c, kept;
	int l = listener(&sa), k = socket(AF_INET, SOCK_STREAM, 0);

	ck_assert_int_eq(connect(k, (struct sockaddr *)&sa, sizeof sa), 0);
	ask(k, &c);
	ck_assert_int_eq(c.state, TCP_ESTABLISHED);
	taddrs_put(&a, c.inode, &c);
	memset(&kept, 0, sizeof kept);
	ck_assert_int_eq(taddrs_get(&a, c.inode, &kept), 1);
	ck_assert_str_eq(kept.local, c.local);
	ck_assert_str_eq(kept.peer, c.peer);
	ck_assert_int_eq(kept.family, AF_INET);
	ck_assert_int_eq(taddrs_get(&a, c.inode + 1, &kept), 0);
	/* a listener has no peer: never kept */
	ask(l, &c);
	ck_assert_int_eq(c.state, TCP_LISTEN);
	taddrs_put(&a, c.inode, &c);
	ck_assert_int_eq(taddrs_get(&a, c.inode, &kept), 0);
	close(k);
	close(l);
}
END_TEST

START_TEST(test_tracer_addrs__a_reconnected_socket_has_new_addresses)
{
	static struct taddrs a;
	struct sockaddr_in sa1, sa2;
	struct sockaddr unspec = {.sa_family = AF_UNSPEC};
	struct ss_call_event first, gone, second, kept;
	int l1 = listener(&sa1), l2 = listener(&sa2);
	int k = socket(AF_INET, SOCK_STREAM, 0);

	ck_assert_int_eq(connect(k, (struct sockaddr *)&sa1, sizeof sa1), 0);
	ask(k, &first);
	taddrs_put(&a, first.inode, &first);
	/* disconnected: CLOSE, which TCP_INFO tells before any address */
	ck_assert_int_eq(connect(k, &unspec, sizeof unspec), 0);
	ask(k, &gone);
	ck_assert_int_eq(gone.state, TCP_CLOSE);
	ck_assert(!taddrs_connected(gone.state));
	taddrs_put(&a, gone.inode, &gone);
	ck_assert_int_eq(taddrs_get(&a, first.inode, &kept), 0);
	/* the same socket, connected again elsewhere */
	ck_assert_int_eq(connect(k, (struct sockaddr *)&sa2, sizeof sa2), 0);
	ask(k, &second);
	ck_assert_uint_eq(second.inode, first.inode);
	ck_assert_str_ne(second.peer, first.peer);
	ck_assert_int_eq(event_addr_port(second.peer), ntohs(sa2.sin_port));
	taddrs_put(&a, second.inode, &second);
	ck_assert_int_eq(taddrs_get(&a, second.inode, &kept), 1);
	ck_assert_str_eq(kept.peer, second.peer);
	ck_assert_str_eq(kept.local, second.local);
	taddrs_forget(&a, 0);
	ck_assert_int_eq(taddrs_get(&a, second.inode, &kept), 0);
	close(k);
	close(l1);
	close(l2);
}
END_TEST

START_TEST(test_tracer_addrs__only_calls_that_cannot_connect_keep_them)
{
	unsigned long long args[6] = {4, 0, 0, 0, 0, 0};

	ck_assert_int_eq(taddrs_call_keeps(tcall_find(SYS_recvfrom), args), 1);
	ck_assert_int_eq(taddrs_call_keeps(tcall_find(SYS_write), args), 1);
	ck_assert_int_eq(taddrs_call_keeps(tcall_find(SYS_sendto), args), 1);
	ck_assert_int_eq(taddrs_call_keeps(tcall_find(SYS_connect), args), 0);
	ck_assert_int_eq(taddrs_call_keeps(tcall_find(SYS_shutdown), args), 0);
	ck_assert_int_eq(taddrs_call_keeps(tcall_find(SYS_close), args), 0);
	ck_assert_int_eq(taddrs_call_keeps(tcall_find(SYS_bind), args), 0);
	args[3] = MSG_FASTOPEN; /* sendto's flags: connects a closed socket */
	ck_assert_int_eq(taddrs_call_keeps(tcall_find(SYS_sendto), args), 0);
	args[3] = 0;
	args[4] = 0x1000; /* an address */
	ck_assert_int_eq(taddrs_call_keeps(tcall_find(SYS_sendto), args), 0);
	args[1] = SOL_SOCKET;
	ck_assert_int_eq(taddrs_call_keeps(tcall_find(SYS_setsockopt), args), 1);
	args[1] = IPPROTO_IPV6; /* IPV6_ADDRFORM */
	ck_assert_int_eq(taddrs_call_keeps(tcall_find(SYS_setsockopt), args), 0);
}
END_TEST

Suite *test_suite(void)
{
	Suite *s = suite_create("tracer_addrs");
	TCase *tc = tcase_create("tracer_addrs");

	tcase_add_test(tc, test_tracer_addrs__a_connected_socket_is_kept_by_inode);
	tcase_add_test(tc, test_tracer_addrs__a_reconnected_socket_has_new_addresses);
	tcase_add_test(tc, test_tracer_addrs__only_calls_that_cannot_connect_keep_them);
	suite_add_tcase(s, tc);
	return s;
}
