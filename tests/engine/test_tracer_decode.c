/* tracer_decode: raw arguments and results of a traced call as the events
 * every sink shows.  The "program" here is this process: its memory is
 * read with memcpy, its fds asked with fstat and fcntl. */
#include <check.h>

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "sockstep/tracer_decode.h"

static long self_read(void *ctx, unsigned long addr, void *buf, size_t len)
{
	(void)ctx;
	memcpy(buf, (const void *)addr, len);
	return (long)len;
}

static int self_is_socket(void *ctx, int fd)
{
	struct stat st;
	(void)ctx;
	return fstat(fd, &st) == 0 && S_ISSOCK(st.st_mode);
}

static int self_epoll(void *ctx, int epfd)
{
	(void)ctx;
	(void)epfd;
	return 0;
}

static int self_flags(void *ctx, int fd)
{
	(void)ctx;
	return fcntl(fd, F_GETFL);
}

static const struct tdecode_env env = {self_read, self_is_socket, self_epoll, self_flags, NULL};

#define A(x) ((unsigned long long)(unsigned long)(x))

static struct ss_event decoded(long nr, const unsigned long long args[6], long rval)
{
	struct ss_event ev;
	const struct tcall_info *c = tcall_find(nr);

	event_init(&ev, SS_EV_CALL);
	ck_assert_ptr_nonnull(c);
	tdecode_entry(c, args, &env, &ev);
	tdecode_exit(c, args, rval, &env, &ev);
	return ev;
}

START_TEST(test_tracer_decode__connect_shows_the_address_and_the_errno)
{
	struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons(9001)};
	unsigned long long args[6] = {3, A(&sa), sizeof sa, 0, 0, 0};
	struct ss_event ev;

	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	ev = decoded(SYS_connect, args, -EINPROGRESS);
	ck_assert_str_eq(ev.u.call.name, "connect");
	ck_assert_str_eq(ev.u.call.args, "127.0.0.1:9001");
	ck_assert_int_eq(ev.u.call.fd, 3);
	ck_assert_int_eq(ev.u.call.ret, -1);
	ck_assert_int_eq(ev.u.call.err, EINPROGRESS);
}
END_TEST

START_TEST(test_tracer_decode__sendto_keeps_the_bytes_sent)
{
	const char msg[] = "welcome to server!";
	unsigned long long args[6] = {4, A(msg), 18, 0, 0, 0};
	struct ss_event ev = decoded(SYS_sendto, args, 18);

	ck_assert_str_eq(ev.u.call.name, "sendto");
	ck_assert_int_eq(ev.u.call.bytes, 18);
	ck_assert_int_eq(ev.u.call.data_len, 18);
	ck_assert_mem_eq(ev.u.call.data, msg, 18);
	ck_assert_str_eq(ev.u.call.args, "len=18");
}
END_TEST

START_TEST(test_tracer_decode__recvfrom_keeps_only_what_the_kernel_returned)
{
	char buf[1024] = "1garbage beyond the return value";
	unsigned long long args[6] = {4, A(buf), sizeof buf, 0, 0, 0};
	struct ss_event ev = decoded(SYS_recvfrom, args, 1);

	ck_assert_int_eq(ev.u.call.data_len, 1);
	ck_assert_int_eq(ev.u.call.data[0], '1');
	ck_assert_str_eq(ev.u.call.args, "len=1024");
}
END_TEST

START_TEST(test_tracer_decode__a_long_write_keeps_a_bounded_preview)
{
	char big[4096];
	unsigned long long args[6] = {4, A(big), sizeof big, 0, 0, 0};
	struct ss_event ev;

	memset(big, 'x', sizeof big);
	ev = decoded(SYS_write, args, 4096);
	ck_assert_int_eq(ev.u.call.bytes, 4096);
	ck_assert_int_eq(ev.u.call.data_len, SS_PREVIEW_MAX);
}
END_TEST

START_TEST(test_tracer_decode__poll_lists_the_fds_and_which_were_ready)
{
	struct pollfd p[2] = {{3, POLLIN, POLLIN}, {4, POLLOUT, 0}};
	unsigned long long args[6] = {A(p), 2, 5000, 0, 0, 0};
	struct ss_event ev;

#ifndef SYS_poll
	return; /* aarch64: ppoll only */
#else
	ev = decoded(SYS_poll, args, 1);
	ck_assert_str_eq(ev.u.call.args, "[3 IN 4 OUT], 5000ms -> [3 IN]");
	ck_assert_int_eq(ev.u.call.ret, 1);
#endif
}
END_TEST

START_TEST(test_tracer_decode__read_write_close_only_on_sockets)
{
	int sv[2], p[2];
	unsigned long long on_sock[6] = {0}, on_pipe[6] = {0};
	const struct tcall_info *rd = tcall_find(SYS_read);

	ck_assert_int_eq(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	ck_assert_int_eq(pipe(p), 0);
	on_sock[0] = (unsigned long long)sv[0];
	on_pipe[0] = (unsigned long long)p[0];
	ck_assert_int_eq(tdecode_wanted(rd, on_sock, &env), 1);
	ck_assert_int_eq(tdecode_wanted(rd, on_pipe, &env), 0);
	ck_assert_int_eq(tdecode_wanted(tcall_find(SYS_close), on_pipe, &env), 0);
}
END_TEST

START_TEST(test_tracer_decode__fcntl_is_shown_only_when_o_nonblock_changes)
{
	int sv[2];
	unsigned long long args[6] = {0, F_SETFL, 0, 0, 0, 0};
	const struct tcall_info *c = tcall_find(SYS_fcntl);

	ck_assert_int_eq(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	args[0] = (unsigned long long)sv[0];
	args[2] = O_RDWR; /* blocking already: no change */
	ck_assert_int_eq(tdecode_wanted(c, args, &env), 0);
	args[2] = O_RDWR | O_NONBLOCK;
	ck_assert_int_eq(tdecode_wanted(c, args, &env), 1);
}
END_TEST

START_TEST(test_tracer_decode__accept_describes_the_new_fd)
{
	unsigned long long args[6] = {3, 0, 0, SOCK_CLOEXEC, 0, 0};
	const struct tcall_info *c = tcall_find(SYS_accept4);

	ck_assert_int_eq(tdecode_subject_fd(c, args, 4), 4);
	ck_assert_int_eq(tdecode_subject_fd(c, args, -EAGAIN), 3);
	ck_assert_int_eq(tdecode_subject_fd(tcall_find(SYS_close), args, 0), -1);
}
END_TEST

START_TEST(test_tracer_decode__socket_names_family_and_flags)
{
	unsigned long long args[6] = {AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0, 0, 0, 0};
	struct ss_event ev = decoded(SYS_socket, args, 3);

	ck_assert_str_eq(ev.u.call.args, "AF_INET, SOCK_STREAM|SOCK_CLOEXEC");
	ck_assert_int_eq(ev.u.call.fd, -1);
	ck_assert_int_eq(ev.u.call.ret, 3);
}
END_TEST

Suite *test_suite(void)
{
	Suite *s = suite_create("tracer_decode");
	TCase *tc = tcase_create("tracer_decode");

	tcase_add_test(tc, test_tracer_decode__connect_shows_the_address_and_the_errno);
	tcase_add_test(tc, test_tracer_decode__sendto_keeps_the_bytes_sent);
	tcase_add_test(tc, test_tracer_decode__recvfrom_keeps_only_what_the_kernel_returned);
	tcase_add_test(tc, test_tracer_decode__a_long_write_keeps_a_bounded_preview);
	tcase_add_test(tc, test_tracer_decode__poll_lists_the_fds_and_which_were_ready);
	tcase_add_test(tc, test_tracer_decode__read_write_close_only_on_sockets);
	tcase_add_test(tc, test_tracer_decode__fcntl_is_shown_only_when_o_nonblock_changes);
	tcase_add_test(tc, test_tracer_decode__accept_describes_the_new_fd);
	tcase_add_test(tc, test_tracer_decode__socket_names_family_and_flags);
	suite_add_tcase(s, tc);
	return s;
}
