/* proc: a child blocked in read() is seen asleep in /proc; one that ignores
 * SIGTERM is still stopped, within the bound; an exit is reaped. */
#include <check.h>

#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "sockstep/proc.h"

static void block_in_read(void *ctx)
{
	int fd = *(int *)ctx;
	char c;
	ssize_t n = read(fd, &c, 1);
	_exit(n == 1 ? 0 : 3);
}

static void pause_forever(void *ctx)
{
	for (;;)
		pause();
}

static void ignore_term_and_spin(void *ctx)
{
	signal(SIGTERM, SIG_IGN);
	for (;;)
		pause();
}

static void exit_seven(void *ctx)
{
	_exit(7);
}

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

START_TEST(test_proc__a_child_blocked_in_read_sleeps_in_the_kernel)
{
	int p[2], sleeping = 0, status;
	pid_t pid;

	ck_assert_int_eq(pipe(p), 0);
	pid = proc_spawn(block_in_read, &p[0], &p[1], 1);
	ck_assert_int_gt(pid, 0);
	for (int i = 0; i < 200 && !sleeping; i++) {
		sleeping = proc_sleeping(pid);
		if (!sleeping)
			usleep(5000);
	}
	ck_assert_int_eq(sleeping, 1);
	ck_assert_int_eq(write(p[1], "x", 1), 1);
	for (int i = 0; i < 200 && !proc_reaped(pid, &status); i++)
		usleep(5000);
	ck_assert(WIFEXITED(status));
	ck_assert_int_eq(WEXITSTATUS(status), 0);
	ck_assert_int_eq(proc_sleeping(pid), 0); /* gone */
	close(p[0]);
	close(p[1]);
}
END_TEST

START_TEST(test_proc__a_child_ignoring_sigterm_is_killed_within_the_bound)
{
	pid_t pids[2];
	double t0;

	pids[0] = proc_spawn(ignore_term_and_spin, NULL, NULL, 0);
	pids[1] = proc_spawn(exit_seven, NULL, NULL, 0);
	ck_assert_int_gt(pids[0], 0);
	ck_assert_int_gt(pids[1], 0);
	usleep(50 * 1000); /* let it install SIG_IGN */
	t0 = now();
	proc_stop(pids, 2);
	ck_assert_int_eq(pids[0], 0);
	ck_assert_int_eq(pids[1], 0);
	ck_assert(now() - t0 < PROC_STOP_WAIT + 1.0);
}
END_TEST

START_TEST(test_proc__an_exit_status_is_reaped_once)
{
	pid_t pid = proc_spawn(exit_seven, NULL, NULL, 0);
	int status = 0, got = 0;

	for (int i = 0; i < 200 && !got; i++) {
		got = proc_reaped(pid, &status);
		if (!got)
			usleep(5000);
	}
	ck_assert_int_eq(got, 1);
	ck_assert_int_eq(WEXITSTATUS(status), 7);
	ck_assert_int_eq(proc_reaped(pid, &status), 0);
}
END_TEST

/* A killed actor's status is kept for the reaper, who names the signal. */
START_TEST(test_proc__an_exit_seen_early_is_still_reaped_with_its_status)
{
	pid_t pid = proc_spawn(exit_seven, NULL, NULL, 0);
	int status = 0;

	ck_assert_int_eq(proc_exited_within(pid, 2.0), 1);
	ck_assert_int_eq(proc_reaped(pid, &status), 1);
	ck_assert_int_eq(WEXITSTATUS(status), 7);
}
END_TEST

START_TEST(test_proc__a_running_child_has_not_exited)
{
	pid_t pid = proc_spawn(pause_forever, NULL, NULL, 0);

	ck_assert_int_eq(proc_exited_within(pid, 0.05), 0);
	kill(pid, SIGKILL);
	ck_assert_int_eq(waitpid(pid, NULL, 0), pid);
}
END_TEST

Suite *test_suite(void)
{
	Suite *s = suite_create("proc");
	TCase *tc = tcase_create("proc");

	tcase_set_timeout(tc, 10);
	tcase_add_test(tc, test_proc__a_child_blocked_in_read_sleeps_in_the_kernel);
	tcase_add_test(tc, test_proc__a_child_ignoring_sigterm_is_killed_within_the_bound);
	tcase_add_test(tc, test_proc__an_exit_status_is_reaped_once);
	tcase_add_test(tc, test_proc__an_exit_seen_early_is_still_reaped_with_its_status);
	tcase_add_test(tc, test_proc__a_running_child_has_not_exited);
	suite_add_tcase(s, tc);
	return s;
}
