/* fds: a child that keeps two fds high sees its next socket as fd 3, as a
 * standalone program would. */
#include <check.h>

#include <fcntl.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "sockstep/fds.h"

START_TEST(test_fds__moved_fd_is_high_and_closes_on_exec)
{
	int p[2];
	int high;

	ck_assert_int_eq(pipe(p), 0);
	high = fds_move_high(p[0]);
	ck_assert_int_ge(high, FDS_HIGH);
	ck_assert_int_eq(fcntl(high, F_GETFD) & FD_CLOEXEC, FD_CLOEXEC);
	ck_assert_int_eq(fcntl(p[0], F_GETFD), -1); /* the low one is gone */
	close(high);
	close(p[1]);
}
END_TEST

/* In a child: leak a few fds, keep two, then the first socket must be 3 and
 * the kept ones still open. */
static int child_first_socket(void)
{
	int a[2], b[2], keep[2];
	int s;

	if (pipe(a) < 0 || pipe(b) < 0 || open("/dev/null", O_RDONLY) < 0)
		return 10;
	keep[0] = fds_move_high(a[0]);
	keep[1] = fds_move_high(b[1]);
	if (keep[0] < 0 || keep[1] < 0 || fds_close_others(keep, 2) < 0)
		return 11;
	if (fcntl(keep[0], F_GETFD) < 0 || fcntl(keep[1], F_GETFD) < 0)
		return 12; /* a kept fd was closed */
	s = socket(AF_INET, SOCK_STREAM, 0);
	return s == 3 ? 0 : 13;
}

START_TEST(test_fds__child_first_socket_is_fd_3)
{
	int status;
	pid_t pid = fork();

	ck_assert_int_ge(pid, 0);
	if (pid == 0)
		_exit(child_first_socket());
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert(WIFEXITED(status));
	ck_assert_int_eq(WEXITSTATUS(status), 0);
}
END_TEST

START_TEST(test_fds__too_many_kept_is_refused)
{
	int keep[17] = {0};
	ck_assert_int_eq(fds_close_others(keep, 17), -1);
}
END_TEST

Suite *test_suite(void)
{
	Suite *s = suite_create("fds");
	TCase *tc = tcase_create("fds");

	tcase_add_test(tc, test_fds__moved_fd_is_high_and_closes_on_exec);
	tcase_add_test(tc, test_fds__child_first_socket_is_fd_3);
	tcase_add_test(tc, test_fds__too_many_kept_is_refused);
	suite_add_tcase(s, tc);
	return s;
}
