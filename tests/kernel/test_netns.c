/* netns: a private network is a port space of its own, with lo up, and a
 * refusal by the kernel is explained in the words of the setting. */
#include <check.h>

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "sockstep/netns.h"

static int bind_listen(uint16_t port, uint16_t *got)
{
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons(port)};
	socklen_t len = sizeof a;
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (fd < 0 || bind(fd, (struct sockaddr *)&a, sizeof a) < 0 || listen(fd, 5) < 0) {
		if (fd >= 0)
			close(fd);
		return -1;
	}
	getsockname(fd, (struct sockaddr *)&a, &len);
	if (got)
		*got = ntohs(a.sin_port);
	return fd;
}

static int connect_to(uint16_t port)
{
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons(port)};
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	int rc;

	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	rc = connect(fd, (struct sockaddr *)&a, sizeof a);
	rc = rc == 0 ? 0 : errno;
	close(fd);
	return rc;
}

/* Run fn in a child (namespaces change the process for good). */
static int in_child(int (*fn)(uint16_t), uint16_t arg)
{
	int status;
	pid_t pid = fork();

	ck_assert_int_ge(pid, 0);
	if (pid == 0)
		_exit(fn(arg));
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert(WIFEXITED(status));
	return WEXITSTATUS(status);
}

/* The host's port is free inside, the host's listener is out of reach, and
 * our own listener answers over the private lo. */
static int private_port_space(uint16_t host_port)
{
	char err[256];
	int fd;

	if (netns_enter(err, sizeof err) < 0)
		return 10;
	if (!netns_active())
		return 11;
	fd = bind_listen(host_port, NULL);
	if (fd < 0)
		return 12; /* the host's listener would have made it EADDRINUSE */
	if (connect_to(host_port) != 0)
		return 13; /* lo is up: our own listener answers */
	/* a second network (a restarted session) has none of the first's sockets */
	if (netns_enter(err, sizeof err) < 0)
		return 14;
	if (connect_to(host_port) != ECONNREFUSED)
		return 15;
	if (bind_listen(host_port, NULL) < 0)
		return 16;
	return 0;
}

START_TEST(test_netns__private_network_has_its_own_port_space)
{
	char why[256];
	uint16_t port;
	int host = bind_listen(0, &port);

	ck_assert_int_ge(host, 0);
	if (netns_probe(why, sizeof why) != 1) {
		/* a refusal (a container's seccomp, a sysctl): the fallback is
		 * what runs there, and is tested by test_session */
		fprintf(stderr, "test_netns: skipped, no private network here: %s\n", why);
		close(host);
		return;
	}
	ck_assert_int_eq(in_child(private_port_space, port), 0);
	close(host);
}
END_TEST

START_TEST(test_netns__probe_leaves_the_process_on_the_host_network)
{
	char why[256];
	uint16_t port;
	int host = bind_listen(0, &port);

	netns_probe(why, sizeof why);
	ck_assert_int_eq(netns_active(), 0);
	ck_assert_int_eq(connect_to(port), 0); /* still sees the host's listener */
	close(host);
}
END_TEST

START_TEST(test_netns__switch_in_the_environment_refuses_with_its_name)
{
	char why[256];

	setenv("SOCKSTEP_NO_NETNS", "1", 1);
	ck_assert_int_eq(netns_probe(why, sizeof why), 0);
	ck_assert_ptr_nonnull(strstr(why, "SOCKSTEP_NO_NETNS"));
}
END_TEST

/* A real refusal: in a user namespace of our own, user.max_user_namespaces
 * can be set to 0 for everything below it. */
static int refused_by_sysctl(uint16_t unused)
{
	char why[256];
	int fd;

	(void)unused;
	unsetenv("SOCKSTEP_NO_NETNS"); /* the kernel's refusal, not ours */
	if (unshare(CLONE_NEWUSER) < 0) {
		fprintf(stderr, "test_netns: refusal not tested: no user namespace here\n");
		return 0;
	}
	fd = open("/proc/sys/user/max_user_namespaces", O_WRONLY);
	if (fd < 0 || write(fd, "0", 1) != 1)
		return 21;
	close(fd);
	if (netns_probe(why, sizeof why) != 0)
		return 22;
	return strstr(why, "user.max_user_namespaces=0") ? 0 : 23;
}

START_TEST(test_netns__kernel_refusal_names_the_setting)
{
	ck_assert_int_eq(in_child(refused_by_sysctl, 0), 0);
}
END_TEST

Suite *test_suite(void)
{
	Suite *s = suite_create("netns");
	TCase *tc = tcase_create("netns");

	tcase_add_test(tc, test_netns__private_network_has_its_own_port_space);
	tcase_add_test(tc, test_netns__probe_leaves_the_process_on_the_host_network);
	tcase_add_test(tc, test_netns__switch_in_the_environment_refuses_with_its_name);
	tcase_add_test(tc, test_netns__kernel_refusal_names_the_setting);
	suite_add_tcase(s, tc);
	return s;
}
