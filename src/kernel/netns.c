/* netns: a session's own user + network namespace, or why not. */
#include "sockstep/netns.h"
#include "sockstep/i18n.h"

#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

static int in_userns; /* this process made its user namespace already */
static int entered;   /* and is in a private network */
static int probed = -1;
static char probe_why[256];

static int write_file(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = write(fd, text, strlen(text));
	close(fd);
	return n == (ssize_t)strlen(text) ? 0 : -1;
}

/* Same uid and gid inside as outside.  setgroups must be denied before an
 * unprivileged process may write gid_map (user_namespaces(7)). */
static int map_ids(uid_t uid, gid_t gid, char *err, size_t errsz)
{
	char line[64];

	snprintf(line, sizeof line, "%u %u 1\n", (unsigned)uid, (unsigned)uid);
	if (write_file("/proc/self/uid_map", line) < 0) {
		snprintf(err, errsz, "uid_map: %s", strerror(errno));
		return -1;
	}
	if (write_file("/proc/self/setgroups", "deny") < 0 && errno != ENOENT) {
		snprintf(err, errsz, "setgroups: %s", strerror(errno));
		return -1;
	}
	snprintf(line, sizeof line, "%u %u 1\n", (unsigned)gid, (unsigned)gid);
	if (write_file("/proc/self/gid_map", line) < 0) {
		snprintf(err, errsz, "gid_map: %s", strerror(errno));
		return -1;
	}
	return 0;
}

/* A new network namespace has `lo`, down, with no address until it is up
 * (then 127.0.0.1/8 and ::1 appear by themselves). */
static int loopback_up(char *err, size_t errsz)
{
	struct ifreq ifr;
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	int rc = -1;

	if (fd < 0) {
		snprintf(err, errsz, "socket: %s", strerror(errno));
		return -1;
	}
	memset(&ifr, 0, sizeof ifr);
	snprintf(ifr.ifr_name, sizeof ifr.ifr_name, "lo");
	if (ioctl(fd, SIOCGIFFLAGS, &ifr) < 0) {
		snprintf(err, errsz, "lo: SIOCGIFFLAGS: %s", strerror(errno));
	} else {
		ifr.ifr_flags |= IFF_UP | IFF_RUNNING;
		if (ioctl(fd, SIOCSIFFLAGS, &ifr) < 0)
			snprintf(err, errsz, "lo up: %s", strerror(errno));
		else
			rc = 0;
	}
	close(fd);
	return rc;
}

int netns_enter(char *err, size_t errsz)
{
	if (!in_userns) {
		uid_t uid = getuid();
		gid_t gid = getgid();
		if (unshare(CLONE_NEWUSER | CLONE_NEWNET) < 0) {
			snprintf(err, errsz, "unshare(CLONE_NEWUSER|CLONE_NEWNET): %s",
				 strerror(errno));
			return -1;
		}
		in_userns = 1;
		if (map_ids(uid, gid, err, errsz) < 0)
			return -1;
	} else if (unshare(CLONE_NEWNET) < 0) {
		/* the user namespace we own lets us make more networks */
		snprintf(err, errsz, "unshare(CLONE_NEWNET): %s", strerror(errno));
		return -1;
	}
	if (loopback_up(err, errsz) < 0)
		return -1;
	entered = 1;
	return 0;
}

int netns_active(void)
{
	return entered;
}

/* The first line of a /proc/sys file, or "" when there is none. */
static void sysctl_read(const char *path, char *out, size_t outsz)
{
	FILE *f = fopen(path, "re");

	out[0] = '\0';
	if (f == NULL)
		return;
	if (fgets(out, (int)outsz, f) == NULL)
		out[0] = '\0';
	out[strcspn(out, "\n")] = '\0';
	fclose(f);
}

/* Why the kernel said no, in the words of the setting that did it. */
static void explain_refusal(const char *err, char *why, size_t whysz)
{
	char v[32];

	sysctl_read("/proc/sys/kernel/unprivileged_userns_clone", v, sizeof v);
	if (strcmp(v, "0") == 0) {
		snprintf(why, whysz, "%s", _("user namespaces are off for users (kernel.unprivileged_userns_clone=0)"));
		return;
	}
	sysctl_read("/proc/sys/user/max_user_namespaces", v, sizeof v);
	if (strcmp(v, "0") == 0) {
		snprintf(why, whysz, "%s", _("user namespaces are off (user.max_user_namespaces=0)"));
		return;
	}
	sysctl_read("/proc/sys/kernel/apparmor_restrict_unprivileged_userns", v, sizeof v);
	if (strcmp(v, "1") == 0) {
		snprintf(why, whysz, "%s", _("AppArmor restricts user namespaces (kernel.apparmor_restrict_unprivileged_userns=1)"));
		return;
	}
	snprintf(why, whysz, "%s", err);
}

/* In a child: try the whole setup, send the error text up the pipe. */
static _Noreturn void probe_child(int out)
{
	char err[200] = "";

	if (netns_enter(err, sizeof err) == 0)
		_exit(0);
	if (write(out, err, strlen(err)) < 0)
		_exit(2);
	_exit(1);
}

static int probe_once(char *why, size_t whysz)
{
	int p[2], status = 0;
	char err[200];
	ssize_t n;
	pid_t pid;
	const char *off = getenv("SOCKSTEP_NO_NETNS");

	if (off && off[0] && strcmp(off, "0") != 0) {
		snprintf(why, whysz, "%s", _("SOCKSTEP_NO_NETNS is set"));
		return 0;
	}
	if (pipe2(p, O_CLOEXEC) < 0) {
		snprintf(why, whysz, "pipe: %s", strerror(errno));
		return 0;
	}
	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		snprintf(why, whysz, "fork: %s", strerror(errno));
		close(p[0]);
		close(p[1]);
		return 0;
	}
	if (pid == 0) {
		close(p[0]);
		probe_child(p[1]);
	}
	close(p[1]);
	n = read(p[0], err, sizeof err - 1);
	close(p[0]);
	err[n > 0 ? n : 0] = '\0';
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		return 1;
	explain_refusal(err[0] ? err : _("the namespace probe failed"), why, whysz);
	return 0;
}

int netns_probe(char *why, size_t whysz)
{
	if (probed < 0)
		probed = probe_once(probe_why, sizeof probe_why);
	snprintf(why, whysz, "%s", probed ? "" : probe_why);
	return probed;
}
