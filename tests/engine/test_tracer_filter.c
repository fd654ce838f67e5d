/* tracer_filter and tracer_calls: the seccomp filter stops the socket
 * calls and nothing else.  Installed in a child without a tracer, a call
 * the filter would stop fails with ENOSYS: that is how we see which ones. */
#include <check.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "sockstep/tracer_calls.h"
#include "sockstep/tracer_filter.h"

/* Run fn in a child with the filter installed; its exit status. */
static int in_filtered_child(int (*fn)(void))
{
	char err[128];
	int status = -1;
	pid_t pid = fork();

	if (pid == 0) {
		if (tfilter_install(err, sizeof err) < 0)
			_exit(100);
		_exit(fn());
	}
	waitpid(pid, &status, 0);
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static int socket_is_stopped(void)
{
	return socket(AF_INET, SOCK_STREAM, 0) < 0 && errno == ENOSYS ? 0 : 1;
}

static int other_calls_run(void)
{
	int p[2];
	if (getpid() <= 0 || pipe(p) < 0)
		return 1;
	/* read/write on any fd, stdio or not: only a socket fd would be
	 * shown, and the tracer asks the kernel that at the stop; here
	 * fds 0..2 are let through by the filter itself */
	if (write(2, "", 0) < 0)
		return 2;
	if (fcntl(p[0], F_GETFL) < 0)
		return 3; /* only F_SETFL stops */
	if (fcntl(p[0], F_SETFL, O_NONBLOCK) == 0 || errno != ENOSYS)
		return 4;
	return 0;
}

static int ioctl_stops_only_fionbio_and_fionread(void)
{
	int on = 1, n = 0;
	if (ioctl(5, TCGETS, NULL) == 0 || errno == ENOSYS)
		return 1; /* EBADF: it ran */
	if (ioctl(5, FIONBIO, &on) == 0 || errno != ENOSYS)
		return 2;
	if (ioctl(5, FIONREAD, &n) == 0 || errno != ENOSYS)
		return 3;
	return 0;
}

START_TEST(test_tracer_filter__socket_stops_for_the_tracer)
{
	ck_assert_int_eq(in_filtered_child(socket_is_stopped), 0);
}
END_TEST

START_TEST(test_tracer_filter__other_calls_and_stdio_run_untouched)
{
	ck_assert_int_eq(in_filtered_child(other_calls_run), 0);
}
END_TEST

START_TEST(test_tracer_filter__ioctl_stops_only_for_fionbio_and_fionread)
{
	ck_assert_int_eq(in_filtered_child(ioctl_stops_only_fionbio_and_fionread), 0);
}
END_TEST

START_TEST(test_tracer_filter__the_table_names_calls_as_the_kernel_does)
{
	const struct tcall_info *c = tcall_find(SYS_accept4);
	ck_assert_ptr_nonnull(c);
	ck_assert_str_eq(c->name, "accept4");
	ck_assert_int_eq(c->call, TC_ACCEPT);
	ck_assert_str_eq(tcall_find(SYS_recvfrom)->name, "recvfrom");
	ck_assert_ptr_null(tcall_find(SYS_getpid));
	ck_assert_ptr_null(tcall_find(SYS_openat));
	ck_assert_uint_ne(tcall_audit_arch(), 0);
}
END_TEST

START_TEST(test_tracer_filter__the_program_fits_and_checks_the_arch_first)
{
	struct sock_filter prog[TFILTER_MAX];
	int n = tfilter_build(prog, TFILTER_MAX);
	ck_assert_int_gt(n, 10);
	ck_assert_int_le(n, TFILTER_MAX);
	ck_assert_uint_eq(prog[0].k, 4); /* offsetof(struct seccomp_data, arch) */
	ck_assert_int_eq(tfilter_build(prog, 20), -1);
}
END_TEST

Suite *test_suite(void)
{
	Suite *s = suite_create("tracer_filter");
	TCase *tc = tcase_create("tracer_filter");

	tcase_add_test(tc, test_tracer_filter__socket_stops_for_the_tracer);
	tcase_add_test(tc, test_tracer_filter__other_calls_and_stdio_run_untouched);
	tcase_add_test(tc, test_tracer_filter__ioctl_stops_only_for_fionbio_and_fionread);
	tcase_add_test(tc, test_tracer_filter__the_table_names_calls_as_the_kernel_does);
	tcase_add_test(tc, test_tracer_filter__the_program_fits_and_checks_the_arch_first);
	suite_add_tcase(s, tc);
	return s;
}
