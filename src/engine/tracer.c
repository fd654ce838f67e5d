/* tracer: run a learner's program under ptrace and report its socket calls. */
#include "sockstep/tracer.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/close_range.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "sockstep/escape.h"
#include "sockstep/i18n.h"
#include "sockstep/tracer_filter.h"
#include "sockstep/tracer_stop.h"

#define PTRACE_OPTIONS                                                          \
	(PTRACE_O_TRACESECCOMP | PTRACE_O_TRACESYSGOOD | PTRACE_O_EXITKILL |   \
	 PTRACE_O_TRACEFORK | PTRACE_O_TRACEVFORK | PTRACE_O_TRACECLONE |      \
	 PTRACE_O_TRACEEXEC)

/* What the program's child side reports on the error pipe before exec. */
enum spawn_stage { STAGE_PTRACE = 1, STAGE_FILTER, STAGE_EXEC };

struct spawn_error {
	int stage;
	int err;
};

struct tracer {
	struct tstate st;
	const struct tracer_opts *o;
	int ctrl_fd, sig_fd, err_fd;
	int out_fd[2]; /* the program's stdout and stderr, read ends */
	pid_t main_pid;
	char ctrl[64];
	size_t ctrl_len;
	char part[2][SS_TEXT_MAX - 1]; /* output lines not ended yet */
	size_t plen[2];
};

static void note(struct tracer *t, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void note(struct tracer *t, const char *fmt, ...)
{
	struct ss_event ev;
	char text[SS_TEXT_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(text, sizeof text, fmt, ap);
	va_end(ap);
	event_init(&ev, SS_EV_NOTE);
	ev.u.note.index = 2;
	escape_text(ev.u.note.text, sizeof ev.u.note.text, text);
	tstop_emit(&t->st, &ev);
}

/* ---- the program's side of the fork ---------------------------------- */

static _Noreturn void child_fail(int err_fd, int stage, int err)
{
	struct spawn_error e = {stage, err};
	ssize_t w = write(err_fd, &e, sizeof e);
	(void)w;
	_exit(stage == STAGE_EXEC ? 127 : 126);
}

static _Noreturn void child_main(const struct tracer_opts *o, int out, int errw,
				 int err_fd)
{
	sigset_t none;
	char why[128];
	int devnull = open("/dev/null", O_RDONLY);

	/* The program gets a plain start: default signals, nothing blocked,
	 * its own process group (Ctrl-C is sockstep's to handle). */
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	signal(SIGPIPE, SIG_DFL);
	signal(SIGINT, SIG_DFL);
	setpgid(0, 0);
	if (devnull >= 0)
		dup2(devnull, 0);
	dup2(out, 1);
	dup2(errw, 2);
	/* Python buffers a pipe fully: unbuffered, its prints come out
	 * between the calls that caused them. */
	setenv("PYTHONUNBUFFERED", "1", 1);
	if (o->server_port > 0) {
		char port[16];
		snprintf(port, sizeof port, "%d", o->server_port);
		setenv("SOCKSTEP_PORT", port, 1);
	}
	/* Only 0, 1 and 2, as from a shell: an fd of sockstep's (a recording,
	 * a netlink socket) would shift every fd number the learner sees. */
	close_range(3, ~0U, CLOSE_RANGE_CLOEXEC);
	if (ptrace(PTRACE_TRACEME, 0, 0, 0) < 0)
		child_fail(err_fd, STAGE_PTRACE, errno);
	raise(SIGSTOP); /* the tracer sets its options now */
	if (tfilter_install(why, sizeof why) < 0)
		child_fail(err_fd, STAGE_FILTER, errno);
	if (o->shell_line)
		execl("/bin/sh", "sh", "-c", o->shell_line, (char *)NULL);
	else
		execvp(o->argv[0], o->argv);
	child_fail(err_fd, STAGE_EXEC, errno);
}

/* ---- starting ------------------------------------------------------ */

static void command_text(const struct tracer_opts *o, char *out, size_t outsz)
{
	char raw[SS_TEXT_MAX] = "";
	size_t used = 0;

	if (o->shell_line) {
		escape_string(out, outsz, o->shell_line);
		return;
	}
	for (int i = 0; o->argv[i] && used + 1 < sizeof raw; i++)
		used += (size_t)snprintf(raw + used, sizeof raw - used, "%s%s",
					 i ? " " : "", o->argv[i]);
	escape_string(out, outsz, raw);
}

/* Why the program did not reach exec, as one line; 0 if it did. */
static int spawn_failed(struct tracer *t)
{
	struct spawn_error e;
	char cmd[SS_TEXT_MAX];

	if (read(t->err_fd, &e, sizeof e) != sizeof e)
		return 0;
	command_text(t->o, cmd, sizeof cmd);
	if (e.stage == STAGE_PTRACE)
		note(t, _("cannot trace: ptrace is not allowed here (%s); check /proc/sys/kernel/yama/ptrace_scope or the sandbox"),
		     strerror(e.err));
	else if (e.stage == STAGE_FILTER)
		note(t, _("cannot trace: the seccomp filter was refused (%s)"), strerror(e.err));
	else
		note(t, _("cannot run '%s': %s"), cmd, strerror(e.err));
	return e.stage;
}

static void pin_to_one_cpu(void)
{
	/* A ptrace stop costs 5-8 times more when tracer and program run on
	 * different CPUs (measured): share one, the program inherits it. */
	int cpu = sched_getcpu();
	cpu_set_t set;

	if (cpu < 0)
		return;
	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	sched_setaffinity(0, sizeof set, &set);
}

static int start(struct tracer *t)
{
	int out[2], errp[2], ep[2];
	int status;
	struct ss_event ev;

	if (pipe2(out, O_CLOEXEC) < 0 || pipe2(errp, O_CLOEXEC) < 0 ||
	    pipe2(ep, O_CLOEXEC) < 0) {
		note(t, "pipe: %s", strerror(errno));
		return -1;
	}
	pin_to_one_cpu();
	t->main_pid = fork();
	if (t->main_pid < 0) {
		note(t, "fork: %s", strerror(errno));
		return -1;
	}
	if (t->main_pid == 0)
		child_main(t->o, out[1], errp[1], ep[1]);
	close(out[1]);
	close(errp[1]);
	close(ep[1]);
	t->out_fd[0] = out[0];
	t->out_fd[1] = errp[0];
	t->err_fd = ep[0];
	if (waitpid(t->main_pid, &status, __WALL) != t->main_pid ||
	    !WIFSTOPPED(status)) {
		spawn_failed(t);
		return -1;
	}
	if (ptrace(PTRACE_SETOPTIONS, t->main_pid, 0, PTRACE_OPTIONS) < 0) {
		note(t, _("cannot trace: PTRACE_SETOPTIONS: %s"), strerror(errno));
		return -1;
	}
	tstop_handle(&t->st, t->main_pid, status); /* first stop: seen */
	t->st.main_alive = 1;
	event_init(&ev, SS_EV_PROCESS);
	ev.pid = t->main_pid;
	snprintf(ev.u.proc.what, sizeof ev.u.proc.what, "started");
	command_text(t->o, ev.u.proc.command, sizeof ev.u.proc.command);
	tstop_emit(&t->st, &ev);
	return 0;
}

/* ---- the loop ------------------------------------------------------- */

static void reap(struct tracer *t)
{
	int status, handled = 0, yielded = 0;
	pid_t tid;

	for (;;) {
		tid = waitpid(-1, &status, WNOHANG | __WALL);
		if (tid == 0 && handled && !yielded) {
			/* The program we just let go shares our CPU: give it
			 * the CPU now, and its next stop is here when we are
			 * back, without a sleep in poll and a signalfd read. */
			sched_yield();
			yielded = 1;
			continue;
		}
		if (tid <= 0)
			return;
		handled = 1;
		yielded = 0;
		if (tid == t->main_pid && (WIFEXITED(status) || WIFSIGNALED(status)))
			t->st.main_alive = 0;
		tstop_handle(&t->st, tid, status);
	}
}

static void kill_all(struct tracer *t)
{
	for (int i = 0; i < t->st.procs.n; i++)
		kill(t->st.procs.p[i].pid, SIGKILL);
	if (t->main_pid > 0)
		kill(-t->main_pid, SIGKILL);
	/* reap them, bounded, so their sockets are gone when we exit */
	for (int tries = 0; tries < 100 && t->st.procs.n > 0; tries++) {
		struct timespec ts = {0, 5 * 1000 * 1000};
		reap(t);
		if (t->st.procs.n > 0)
			nanosleep(&ts, NULL);
	}
}

static void on_command(struct tracer *t, const char *cmd)
{
	if (strcmp(cmd, "go") == 0) {
		struct tproc *p = tprocs_oldest_gated(&t->st.procs);
		if (p)
			tstop_grant(&t->st, p);
	} else if (strcmp(cmd, "run") == 0) {
		struct tproc *p;
		t->st.gated = 0;
		while ((p = tprocs_oldest_gated(&t->st.procs)) != NULL)
			tstop_grant(&t->st, p);
	} else if (strcmp(cmd, "quit") == 0) {
		kill_all(t);
		tstop_flush(&t->st);
		_exit(0);
	}
}

static void read_control(struct tracer *t)
{
	ssize_t n = read(t->ctrl_fd, t->ctrl + t->ctrl_len,
			 sizeof t->ctrl - t->ctrl_len - 1);
	char *line, *nl;

	if (n < 0 && errno == EINTR)
		return;
	if (n <= 0) {
		/* sockstep is gone: nothing may outlive it */
		kill_all(t);
		_exit(0);
	}
	t->ctrl_len += (size_t)n;
	t->ctrl[t->ctrl_len] = '\0';
	line = t->ctrl;
	while ((nl = strchr(line, '\n')) != NULL) {
		*nl = '\0';
		on_command(t, line);
		line = nl + 1;
	}
	t->ctrl_len = strlen(line);
	memmove(t->ctrl, line, t->ctrl_len + 1);
	if (t->ctrl_len + 1 >= sizeof t->ctrl)
		t->ctrl_len = 0; /* not a command of ours */
}

static void emit_line(struct tracer *t, int which, const char *line, size_t len)
{
	struct ss_event ev;

	event_init(&ev, SS_EV_OUTPUT);
	ev.u.note.index = which + 1;
	ev.pid = t->main_pid;
	for (size_t i = 0; i < len; i++)
		ev.u.note.text[i] = line[i] ? line[i] : '?';
	tstop_emit(&t->st, &ev);
}

/* A line not ended yet (a prompt, or a print whose newline comes in the
 * next write) goes out once the program has been quiet for a moment. */
static void flush_partial(struct tracer *t)
{
	for (int i = 0; i < 2; i++)
		if (t->plen[i] > 0) {
			emit_line(t, i, t->part[i], t->plen[i]);
			t->plen[i] = 0;
		}
}

/* What the program wrote, a line an event, as raw bytes: every sink
 * escapes them when it shows them, as it does a call's data. */
static void read_output(struct tracer *t, int which)
{
	char buf[4096];
	ssize_t n = read(t->out_fd[which], buf, sizeof buf);

	if (n < 0 && errno == EINTR)
		return;
	if (n <= 0) {
		flush_partial(t);
		close(t->out_fd[which]);
		t->out_fd[which] = -1;
		return;
	}
	for (ssize_t i = 0; i < n; i++) {
		if (buf[i] == '\n' || t->plen[which] == sizeof t->part[which]) {
			emit_line(t, which, t->part[which], t->plen[which]);
			t->plen[which] = 0;
			if (buf[i] == '\n')
				continue;
		}
		t->part[which][t->plen[which]++] = buf[i];
	}
}

static int finished(const struct tracer *t)
{
	return !t->st.main_alive && t->st.procs.n == 0;
}

static void loop(struct tracer *t)
{
	for (;;) {
		struct pollfd fds[5];
		struct signalfd_siginfo si;
		int timeout, batch;

		reap(t);
		if (finished(t) && t->out_fd[0] < 0 && t->out_fd[1] < 0)
			return;
		if ((batch = tstop_batch_wait(&t->st)) == 0) {
			tstop_flush(&t->st);
			batch = -1;
		}
		fds[0] = (struct pollfd){t->ctrl_fd, POLLIN, 0};
		fds[1] = (struct pollfd){t->sig_fd, POLLIN, 0};
		fds[2] = (struct pollfd){t->out_fd[0], POLLIN, 0};
		fds[3] = (struct pollfd){t->out_fd[1], POLLIN, 0};
		fds[4] = (struct pollfd){t->err_fd, POLLIN, 0};
		/* Short waits only while a call may be about to block; once
		 * every traced process is gone, the pipes get a moment to
		 * deliver what is left (a background process may hold them). */
		timeout = tstop_pending_blocked(&t->st) ? 2
			  : t->plen[0] || t->plen[1] || finished(t) ? 50 : 1000;
		if (batch >= 0 && batch < timeout)
			timeout = batch;
		if (poll(fds, 5, timeout) == 0) {
			flush_partial(t);
			if (finished(t))
				return;
		}
		if (fds[0].revents)
			read_control(t);
		/* SIGCHLD is a standard signal: one pending at most */
		if (fds[1].revents && read(t->sig_fd, &si, sizeof si) < 0)
			si.ssi_signo = 0;
		for (int i = 0; i < 2; i++)
			if (fds[2 + i].revents)
				read_output(t, i);
		if (fds[4].revents) {
			spawn_failed(t);
			close(t->err_fd);
			t->err_fd = -1;
		}
		tstop_check_blocked(&t->st);
	}
}

_Noreturn void tracer_main(const struct tracer_opts *o, int ctrl_fd, int event_fd)
{
	static struct tracer t; /* static: the process table is large */
	sigset_t chld;

	memset(&t, 0, sizeof t);
	tprocs_init(&t.st.procs);
	t.o = o;
	t.st.actor = o->actor;
	t.st.event_fd = event_fd;
	t.st.gated = o->gated;
	t.ctrl_fd = ctrl_fd;
	t.out_fd[0] = t.out_fd[1] = t.err_fd = -1;
	/* SIGCHLD through a signalfd: ptrace stops wake the same poll as
	 * the control pipe and the program's output. */
	sigemptyset(&chld);
	sigaddset(&chld, SIGCHLD);
	sigprocmask(SIG_BLOCK, &chld, NULL);
	t.sig_fd = signalfd(-1, &chld, SFD_NONBLOCK | SFD_CLOEXEC);
	if (t.sig_fd < 0 || start(&t) < 0) {
		kill_all(&t);
		tstop_flush(&t.st); /* the line that says why */
		_exit(TRACER_EXIT_NO_PTRACE);
	}
	loop(&t);
	tstop_flush(&t.st);
	_exit(0);
}
