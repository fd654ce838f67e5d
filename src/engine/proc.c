/* proc: fork, blocked detection, stop and reap (see proc.h). */
#include "sockstep/proc.h"

#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

pid_t proc_spawn(proc_main fn, void *ctx, const int *close_fds, int nclose)
{
	pid_t pid;

	fflush(NULL); /* no buffered output written twice */
	pid = fork();
	if (pid != 0)
		return pid;
	int devnull = open("/dev/null", O_RDWR);
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getppid() == 1)
		_exit(1); /* the parent died before the line above */
	signal(SIGINT, SIG_IGN);
	signal(SIGPIPE, SIG_IGN);
	if (devnull >= 0) {
		dup2(devnull, 0);
		dup2(devnull, 1);
		dup2(devnull, 2);
	}
	for (int i = 0; i < nclose; i++)
		if (close_fds[i] >= 0)
			close(close_fds[i]);
	fn(ctx);
	_exit(1);
}

/* The state letter of /proc/PID/stat ('R', 'S', 'D', 'T', 'Z', ...), or
 * 0 if the process is gone. */
static char proc_state(pid_t pid)
{
	char path[64], buf[256];
	FILE *f;
	char *p;
	char state = 0;

	snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
	f = fopen(path, "r");
	if (f == NULL)
		return 0;
	/* The command name may hold spaces and ')': the state follows the
	 * last ')'. */
	if (fgets(buf, sizeof buf, f) && (p = strrchr(buf, ')')) && p[1] == ' ')
		state = p[2];
	fclose(f);
	return state;
}

int proc_sleeping(pid_t pid)
{
	char st = proc_state(pid);

	return st == 'S' || st == 'D';
}

int proc_stopped(pid_t pid)
{
	char st = proc_state(pid);

	return st == 'T' || st == 't';
}

int proc_reaped(pid_t pid, int *status)
{
	return pid > 0 && waitpid(pid, status, WNOHANG) == pid;
}

int proc_exited_within(pid_t pid, double seconds)
{
	siginfo_t info;
	int tries = (int)(seconds * 500);

	for (int t = 0; pid > 0 && t <= tries; t++) {
		struct timespec ts = {0, 2 * 1000 * 1000};

		info.si_pid = 0;
		/* WNOWAIT: the status stays for the reaper, who reports it */
		if (waitid(P_PID, (id_t)pid, &info, WEXITED | WNOHANG | WNOWAIT) < 0)
			return 0;
		if (info.si_pid == pid)
			return 1;
		nanosleep(&ts, NULL);
	}
	return 0;
}

void proc_stop(pid_t *pids, int n)
{
	int alive = 0;
	int tries = (int)(PROC_STOP_WAIT * 100);

	for (int i = 0; i < n; i++)
		if (pids[i] > 0) {
			kill(pids[i], SIGTERM);
			alive++;
		}
	for (int t = 0; alive && t < tries; t++) {
		struct timespec ts = {0, 10 * 1000 * 1000};
		alive = 0;
		for (int i = 0; i < n; i++) {
			if (pids[i] <= 0)
				continue;
			if (waitpid(pids[i], NULL, WNOHANG) == pids[i])
				pids[i] = 0;
			else
				alive++;
		}
		if (alive)
			nanosleep(&ts, NULL);
	}
	proc_kill(pids, n);
}

void proc_kill(pid_t *pids, int n)
{
	for (int i = 0; i < n; i++)
		if (pids[i] > 0) {
			kill(pids[i], SIGKILL);
			waitpid(pids[i], NULL, 0);
			pids[i] = 0;
		}
}
