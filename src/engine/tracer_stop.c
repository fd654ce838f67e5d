/* tracer_stop: each ptrace stop of a traced program, decoded and reported. */
#include "sockstep/tracer_stop.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/pidfd.h>
#include <sys/socket.h>
#include <sys/ptrace.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>

#include "sockstep/cut.h"
#include "sockstep/escape.h"
#include "sockstep/trace.h"
#include "sockstep/tracer_decode.h"

/* The kernel's own "restart this call" results (include/linux/errno.h):
 * never seen by the program, only by a tracer at the exit stop. */
#define ERESTARTSYS_ 512
#define ERESTART_BLOCK_ 516

/* A call still inside the kernel after this long, asleep, is blocked. */
#define BLOCKED_AFTER 0.005

static void write_all(int fd, const char *p, size_t n)
{
	while (n > 0) {
		ssize_t w = write(fd, p, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			_exit(3); /* nobody to report to: EXITKILL ends the program */
		p += w;
		n -= (size_t)w;
	}
}

void tstop_flush(struct tstate *t)
{
	write_all(t->event_fd, (const char *)t->batch,
		  (size_t)t->batch_n * sizeof t->batch[0]);
	t->batch_n = 0;
}

int tstop_batch_wait(const struct tstate *t)
{
	double left;

	if (t->batch_n == 0)
		return -1;
	left = t->batch_since + TSTOP_BATCH_DELAY - event_clock_now();
	return left <= 0 ? 0 : (int)(left * 1000) + 1;
}

void tstop_emit(struct tstate *t, struct ss_event *ev)
{
	if (ev->t == 0)
		ev->t = event_clock_now();
	cut_copy(ev->actor, sizeof ev->actor, t->actor);
	if (t->batch_n == 0)
		t->batch_since = event_clock_now();
	t->batch[t->batch_n++] = *ev;
	/* stepping: the UI shows each call as it stops */
	if (t->gated || t->batch_n == TSTOP_BATCH_EVENTS)
		tstop_flush(t);
}

/* ---- what the kernel says about the program's fds ------------------ */

static int getfd(const struct tproc *p, int fd)
{
	if (p->pidfd < 0 || fd < 0)
		return -1;
	return (int)pidfd_getfd(p->pidfd, fd, 0);
}

static long env_read(void *ctx, unsigned long addr, void *buf, size_t len)
{
	const struct tproc *p = ctx;
	struct iovec local = {buf, len};
	struct iovec remote = {(void *)addr, len};

	return (long)process_vm_readv(p->pid, &local, 1, &remote, 1, 0);
}

/* The socket's inode, 0 if fd is no socket. */
static unsigned long sock_inode(int fd)
{
	struct stat st;
	return fd >= 0 && fstat(fd, &st) == 0 && S_ISSOCK(st.st_mode)
		       ? (unsigned long)st.st_ino
		       : 0;
}

static int is_sock_fd(int fd)
{
	return sock_inode(fd) != 0;
}

static int env_is_socket(void *ctx, int fd)
{
	struct tproc *p = ctx;
	int dup, yes;

	if (fd == (int)p->args[0] && p->dupfd >= 0) {
		if (p->dup_ino == 0) /* else kept with it: a socket */
			p->dup_ino = sock_inode(p->dupfd); /* for the describing */
		return p->dup_ino != 0;
	}
	dup = getfd(p, fd);
	yes = is_sock_fd(dup);
	if (dup >= 0)
		close(dup);
	return yes;
}

static int env_fd_flags(void *ctx, int fd)
{
	const struct tproc *p = ctx;
	int dup = fd == (int)p->args[0] ? p->dupfd : -1;

	/* A dup shares the open file's status flags (O_NONBLOCK). */
	return dup >= 0 ? fcntl(dup, F_GETFL) : -1;
}

/* The kernel lists what an epoll fd watches in its fdinfo ("tfd: N"). */
static int env_epoll_watches_socket(void *ctx, int epfd)
{
	const struct tproc *p = ctx;
	char path[64], line[256];
	FILE *f;
	int yes = 0;

	snprintf(path, sizeof path, "/proc/%d/fdinfo/%d", (int)p->pid, epfd);
	f = fopen(path, "r");
	if (f == NULL)
		return 0;
	while (!yes && fgets(line, sizeof line, f)) {
		int fd;
		if (sscanf(line, "tfd: %d", &fd) == 1)
			yes = env_is_socket(ctx, fd);
	}
	fclose(f);
	return yes;
}

static struct tdecode_env env_of(struct tproc *p)
{
	struct tdecode_env e = {env_read, env_is_socket, env_epoll_watches_socket,
				env_fd_flags, p};
	return e;
}

/* ---- one socket call: before and after ----------------------------- */

static void let_in(struct tproc *p)
{
	p->state = TP_IN_CALL;
	p->since = event_clock_now();
	if (!p->restarting)
		p->blocked_told = 0; /* a restarted call was told blocked already */
	ptrace(PTRACE_SYSCALL, p->tid, 0, 0);
}

/* Our dup of args[0] for the call: the kept one, else a new one. */
static void take_dup(struct tstate *t, struct tproc *p)
{
	int fd = (int)p->args[0];

	p->dup_ino = 0;
	p->dup_since = t->dups.forgets;
	p->dupfd = tdups_take(&t->dups, p->pid, fd, &p->dup_ino);
	if (p->dupfd < 0)
		p->dupfd = getfd(p, fd);
}

/* The call is done with the dup: kept for the next call on the socket,
 * closed if the program closes the fd (no FIN while we hold it). */
static void drop_dup(struct tstate *t, struct tproc *p)
{
	if (p->dupfd >= 0 && p->call->call != TC_CLOSE)
		tdups_keep(&t->dups, p->pid, (int)p->args[0], p->dupfd,
			   p->dup_ino, p->dup_since);
	else if (p->dupfd >= 0)
		close(p->dupfd);
	p->dupfd = -1;
	p->dup_ino = 0;
}

/* Before close(fd) or dup2/dup3 onto fd runs: no dup of ours left. */
static void forget_closed(struct tstate *t, const struct tproc *p)
{
	enum tcall c = p->call->call;

	if (c == TC_CLOSE)
		tdups_forget(&t->dups, p->pid, (int)p->args[0]);
	else if (c == TC_DUP2 || c == TC_DUP3)
		tdups_forget(&t->dups, p->pid, (int)p->args[1]);
}

/* The kept addresses of fd's socket (inode f->inode), if TCP_INFO, asked
 * anyway, says it is still connected: 1, c filled as trace_describe_with
 * would; else 0, c as it was. */
static int describe_kept(struct tstate *t, int fd, const struct trace_fd_facts *f,
			 struct ss_call_event *c)
{
	struct ss_call_event was = *c;

	if (f->type != SOCK_STREAM || !taddrs_get(&t->addrs, f->inode, c))
		return 0;
	if (taddrs_connected(trace_tcp_state(fd, c))) {
		c->type = f->type;
		c->inode = f->inode;
		return 1;
	}
	taddrs_forget(&t->addrs, f->inode);
	*c = was;
	return 0;
}

/* trace_describe_socket, not asking again what the kernel said already:
 * fd's inode (ino, 0 if not known) and the type of that socket, the
 * addresses of a connected TCP socket (tracer_addrs.h). */
static unsigned long describe(struct tstate *t, int fd, unsigned long ino,
			      struct ss_call_event *c)
{
	struct trace_fd_facts f = {0, 0, 0};
	unsigned slot = (unsigned)(ino % TSTOP_TYPES);

	if (ino && t->types[slot].inode == ino) {
		f.known = 1;
		f.type = t->types[slot].type;
		f.inode = ino;
	} else {
		trace_ask_fd_facts(fd, &f);
		slot = (unsigned)(f.inode % TSTOP_TYPES);
		if (f.known && f.type) {
			t->types[slot].inode = f.inode;
			t->types[slot].type = f.type;
		}
	}
	if (!f.known)
		trace_describe_with(fd, &f, c);
	else if (!describe_kept(t, fd, &f, c)) {
		trace_describe_with(fd, &f, c);
		if (f.type == SOCK_STREAM)
			taddrs_put(&t->addrs, f.inode, c);
	}
	return f.known ? f.inode : 0;
}

/* Before a call that could connect or disconnect its socket runs: its
 * addresses are asked again after it (every kept one if we cannot tell
 * which socket the fd is). */
static void forget_addrs(struct tstate *t, struct tproc *p)
{
	if (p->call->on != TC_ON_FD0 || taddrs_call_keeps(p->call, p->args))
		return;
	if (p->dupfd >= 0 && p->dup_ino == 0)
		p->dup_ino = sock_inode(p->dupfd);
	if (p->dupfd < 0 || p->dup_ino != 0)
		taddrs_forget(&t->addrs, p->dupfd < 0 ? 0 : p->dup_ino);
}

static void on_seccomp(struct tstate *t, struct tproc *p)
{
	struct __ptrace_syscall_info si;
	struct tdecode_env env = env_of(p);

	if (ptrace(PTRACE_GET_SYSCALL_INFO, p->tid, sizeof si, &si) <= 0 ||
	    si.op != PTRACE_SYSCALL_INFO_SECCOMP ||
	    (p->call = tcall_find((long)si.seccomp.nr)) == NULL) {
		ptrace(PTRACE_CONT, p->tid, 0, 0);
		return;
	}
	memcpy(p->args, si.seccomp.args, sizeof p->args);
	p->dupfd = -1;
	if (p->call->on == TC_ON_FD0)
		take_dup(t, p); /* before the forget: close describes with it */
	forget_closed(t, p);
	if (!tdecode_wanted(p->call, p->args, &env)) {
		forget_addrs(t, p);
		drop_dup(t, p);
		ptrace(PTRACE_CONT, p->tid, 0, 0);
		return;
	}
	event_init(&p->ev, SS_EV_BEGIN);
	p->ev.pid = p->pid;
	tdecode_entry(p->call, p->args, &env, &p->ev);
	/* After close() the kernel can no longer be asked through the fd:
	 * describe the socket now, and hold no dup of it, or our dup would
	 * keep it open and no FIN would leave. */
	if (p->dupfd >= 0 && (t->gated || p->call->call == TC_CLOSE))
		describe(t, p->dupfd, p->dup_ino, &p->ev.u.call);
	forget_addrs(t, p);
	if (p->call->call == TC_CLOSE)
		drop_dup(t, p);
	if (t->gated && !p->restarting) {
		struct ss_event ev = p->ev;
		p->state = TP_GATED;
		p->seq = t->procs.next_seq++;
		tstop_emit(t, &ev);
		return;
	}
	let_in(p);
}

static int sends_at_entry(enum tcall c)
{
	return c == TC_SENDTO || c == TC_WRITE || c == TC_WRITEV || c == TC_SENDMSG ||
	       c == TC_SENDMMSG || c == TC_CLOSE || c == TC_SHUTDOWN;
}

static int moves_data(enum tcall c)
{
	return c == TC_SENDTO || c == TC_RECVFROM || c == TC_READ || c == TC_WRITE ||
	       c == TC_READV || c == TC_WRITEV || c == TC_SENDMSG || c == TC_RECVMSG;
}

/* The kernel's view of the socket after the call. */
static void describe_after(struct tstate *t, struct tproc *p, long rval,
			   struct ss_event *ev)
{
	struct ss_call_event *c = &ev->u.call;
	int subject = tdecode_subject_fd(p->call, p->args, rval);
	int own = subject >= 0 && subject == (int)p->args[0] && p->dupfd >= 0;
	int fd = own ? p->dupfd : getfd(p, subject);
	unsigned long ino = 0;
	int unread = 0;

	if (p->call->call == TC_CLOSE)
		return; /* described before it ran */
	c->local[0] = c->peer[0] = '\0';
	c->state = c->queue = c->backlog = -1;
	c->inode = 0;
	if (fd >= 0)
		ino = describe(t, fd, own ? p->dup_ino : 0, c);
	if (fd >= 0 && moves_data(p->call->call) && ioctl(fd, FIONREAD, &unread) == 0)
		c->unread = unread;
	if (p->call->call == TC_ACCEPT && rval >= 0 && p->dupfd >= 0) {
		/* queue and backlog are the listener's after the accept */
		struct ss_call_event listener;
		memset(&listener, 0, sizeof listener);
		listener.queue = listener.backlog = -1;
		trace_tcp_state(p->dupfd, &listener);
		c->queue = listener.queue;
		c->backlog = listener.backlog;
	}
	if (fd >= 0 && !own) /* accept's new socket: its next call needs it */
		tdups_keep(&t->dups, p->pid, subject, fd, ino, t->dups.forgets);
}

static void on_syscall_exit(struct tstate *t, struct tproc *p)
{
	struct __ptrace_syscall_info si;
	struct tdecode_env env = env_of(p);
	struct ss_event ev;
	double back = event_clock_now();

	if (p->state != TP_IN_CALL ||
	    ptrace(PTRACE_GET_SYSCALL_INFO, p->tid, sizeof si, &si) <= 0 ||
	    si.op != PTRACE_SYSCALL_INFO_EXIT) {
		ptrace(PTRACE_CONT, p->tid, 0, 0);
		return;
	}
	if (si.exit.is_error && si.exit.rval <= -ERESTARTSYS_ && si.exit.rval >= -ERESTART_BLOCK_) {
		/* A signal came (SIGCHLD in a forking server): the kernel
		 * runs the call again once the handler returned, and that
		 * is the call the program sees.  It stops again at its
		 * seccomp stop; it has been granted already. */
		p->restarting = 1;
		drop_dup(t, p);
		p->state = TP_RUNNING;
		ptrace(PTRACE_CONT, p->tid, 0, 0);
		return;
	}
	p->restarting = 0;
	ev = p->ev;
	ev.kind = SS_EV_CALL;
	/* The time of the call: when it came back, read before any work of
	 * ours; but a call that sends (data, a FIN) acts when it goes in, and
	 * a write must not come after the read that got its bytes. */
	ev.t = sends_at_entry(p->call->call) && !p->blocked_told ? p->since : back;
	tdecode_exit(p->call, p->args, (long)si.exit.rval, &env, &ev);
	describe_after(t, p, (long)si.exit.rval, &ev);
	drop_dup(t, p);
	p->state = TP_RUNNING;
	tstop_emit(t, &ev);
	ptrace(PTRACE_CONT, p->tid, 0, 0);
}

void tstop_grant(struct tstate *t, struct tproc *p)
{
	(void)t;
	if (p->state == TP_GATED)
		let_in(p);
}

/* ---- processes ---------------------------------------------------- */

/* /proc/PID/cmdline, arguments joined by spaces, escaped. */
static void command_of(pid_t pid, char *out, size_t outsz)
{
	char path[64], raw[SS_TEXT_MAX];
	ssize_t n = -1;
	int fd;

	snprintf(path, sizeof path, "/proc/%d/cmdline", (int)pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd >= 0) {
		n = read(fd, raw, sizeof raw - 1);
		close(fd);
	}
	if (n <= 0) {
		out[0] = '\0';
		return;
	}
	for (ssize_t i = 0; i < n - 1; i++)
		if (raw[i] == '\0')
			raw[i] = ' ';
	raw[n] = '\0';
	escape_string(out, outsz, raw);
}

static void process_event(struct tstate *t, pid_t pid, const char *what,
			  pid_t ppid)
{
	struct ss_event ev;

	event_init(&ev, SS_EV_PROCESS);
	ev.pid = pid;
	snprintf(ev.u.proc.what, sizeof ev.u.proc.what, "%s", what);
	ev.u.proc.ppid = ppid;
	if (strcmp(what, "forked") != 0)
		command_of(pid, ev.u.proc.command, sizeof ev.u.proc.command);
	tstop_emit(t, &ev);
}

static void on_exited(struct tstate *t, pid_t tid, int status)
{
	struct tproc *p = tprocs_find(&t->procs, tid);
	pid_t pid = p ? p->pid : tid;
	struct ss_event ev;

	tprocs_remove(&t->procs, tid);
	t->gone[t->gone_next].tid = tid;
	t->gone[t->gone_next].pid = pid;
	t->gone_next = (t->gone_next + 1) % TSTOP_GONE;
	if (tid != pid)
		return; /* a thread: the process goes on */
	tdups_forget(&t->dups, pid, -1);
	event_init(&ev, SS_EV_PROCESS);
	ev.pid = pid;
	snprintf(ev.u.proc.what, sizeof ev.u.proc.what, "exited");
	if (WIFEXITED(status))
		ev.u.proc.status = WEXITSTATUS(status);
	else
		ev.u.proc.signal = WTERMSIG(status);
	tstop_emit(t, &ev);
}

/* The process of tid if tid has exited already (forgotten then), or 0. */
static pid_t gone_already(struct tstate *t, pid_t tid)
{
	for (int i = 0; i < TSTOP_GONE; i++)
		if (t->gone[i].tid == tid) {
			t->gone[i].tid = 0;
			return t->gone[i].pid;
		}
	return 0;
}

/* A new child or thread: in the table before its first stop, unless it
 * has run to its exit already (its stops came first). */
static void on_new_child(struct tstate *t, struct tproc *p, pid_t tid)
{
	pid_t pid = gone_already(t, tid);
	struct tproc *child = pid ? NULL : tprocs_add(&t->procs, tid);

	if (child)
		pid = child->pid;
	/* a thread shares its process's pid: no process event */
	if (pid && pid != p->pid)
		process_event(t, pid, "forked", p->pid);
}

static void on_event(struct tstate *t, struct tproc *p, int event)
{
	unsigned long msg = 0;

	ptrace(PTRACE_GETEVENTMSG, p->tid, 0, &msg);
	if (event == PTRACE_EVENT_FORK || event == PTRACE_EVENT_VFORK ||
	    event == PTRACE_EVENT_CLONE) {
		on_new_child(t, p, (pid_t)msg);
		ptrace(PTRACE_CONT, p->tid, 0, 0);
		return;
	}
	if (event == PTRACE_EVENT_EXEC) {
		tdups_forget(&t->dups, p->pid, -1); /* its CLOEXEC fds are gone */
		process_event(t, p->pid, "exec", 0);
	}
	ptrace(PTRACE_CONT, p->tid, 0, 0);
}

void tstop_handle(struct tstate *t, pid_t tid, int status)
{
	struct tproc *p;
	int sig;

	if (WIFEXITED(status) || WIFSIGNALED(status)) {
		on_exited(t, tid, status);
		return;
	}
	if (!WIFSTOPPED(status))
		return;
	p = tprocs_add(&t->procs, tid);
	if (p == NULL) {
		/* more threads than the table holds: let it run untraced */
		ptrace(PTRACE_DETACH, tid, 0, 0);
		return;
	}
	sig = WSTOPSIG(status);
	if (sig == SIGTRAP && (status >> 16) == PTRACE_EVENT_SECCOMP) {
		on_seccomp(t, p);
	} else if (sig == (SIGTRAP | 0x80)) {
		on_syscall_exit(t, p);
	} else if (sig == SIGTRAP && (status >> 16) != 0) {
		on_event(t, p, status >> 16);
	} else if (sig == SIGSTOP && !p->seen) {
		/* a new child or thread's first stop: it is now traced */
		p->seen = 1;
		ptrace(PTRACE_CONT, tid, 0, 0);
	} else {
		/* a signal for the program: deliver it */
		ptrace(PTRACE_CONT, tid, 0, (void *)(long)sig);
	}
}

/* ---- blocked calls -------------------------------------------------- */

static int sleeping(pid_t tid)
{
	char path[64], buf[256];
	ssize_t n;
	int fd;
	char *close_paren;

	snprintf(path, sizeof path, "/proc/%d/stat", (int)tid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	n = read(fd, buf, sizeof buf - 1);
	close(fd);
	if (n <= 0)
		return 0;
	buf[n] = '\0';
	close_paren = strrchr(buf, ')');
	return close_paren && close_paren[1] == ' ' &&
	       (close_paren[2] == 'S' || close_paren[2] == 'D');
}

int tstop_pending_blocked(const struct tstate *t)
{
	for (int i = 0; i < t->procs.n; i++)
		if (t->procs.p[i].state == TP_IN_CALL && !t->procs.p[i].blocked_told)
			return 1;
	return 0;
}

void tstop_check_blocked(struct tstate *t)
{
	double now = event_clock_now();

	for (int i = 0; i < t->procs.n; i++) {
		struct tproc *p = &t->procs.p[i];
		struct ss_event ev;

		if (p->state != TP_IN_CALL || p->blocked_told ||
		    now - p->since < BLOCKED_AFTER || !sleeping(p->tid))
			continue;
		p->blocked_told = 1;
		ev = p->ev;
		ev.kind = SS_EV_BLOCKED;
		tstop_emit(t, &ev);
	}
}
