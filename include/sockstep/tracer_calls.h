/*
 * tracer_calls: which system calls of a traced program are socket calls.
 *
 * One table, built from <sys/syscall.h>'s SYS_* numbers so it is right on
 * x86_64 and aarch64 alike (socket is 41 on one, 198 on the other, and
 * aarch64 has no poll, select, dup2 or epoll_wait).  The seccomp filter
 * (tracer_filter) stops exactly these calls; the decoder (tracer_decode)
 * turns them into events.  Each is named as the kernel saw it: a learner
 * sees that Python's accept() is accept4 and its send() is sendto.
 */
#ifndef SOCKSTEP_TRACER_CALLS_H
#define SOCKSTEP_TRACER_CALLS_H

enum tcall {
	TC_SOCKET, TC_SOCKETPAIR, TC_BIND, TC_LISTEN, TC_ACCEPT, TC_CONNECT,
	TC_SHUTDOWN, TC_CLOSE, TC_SENDTO, TC_RECVFROM, TC_SENDMSG, TC_RECVMSG,
	TC_SENDMMSG, TC_RECVMMSG, TC_SETSOCKOPT, TC_GETSOCKOPT,
	TC_GETSOCKNAME, TC_GETPEERNAME, TC_READ, TC_WRITE, TC_READV,
	TC_WRITEV, TC_FCNTL, TC_IOCTL, TC_POLL, TC_PPOLL, TC_SELECT,
	TC_PSELECT, TC_EPOLL_WAIT, TC_DUP, TC_DUP2, TC_DUP3,
};

/* How the tracer decides whether a stopped call is shown. */
enum tcall_on {
	TC_ON_ANY,    /* always (socket, socketpair: no fd yet) */
	TC_ON_FD0,    /* only if args[0] is a socket (the fd it acts on) */
	TC_ON_WAIT,   /* poll/select/epoll: only if it waits on a socket */
};

struct tcall_info {
	long nr;          /* the SYS_* number on this architecture */
	const char *name; /* as the kernel names it: "accept4", "recvfrom" */
	enum tcall call;
	enum tcall_on on;
	/* Which argument the filter compares (fcntl: the command, ioctl:
	 * the request) and the values that stop; -1: no test. */
	int arg;
	long values[2];
	/* Skip fds 0..2 in the filter: stdout and stderr writes are the
	 * program talking to its user, never a socket in our examples. */
	int skip_stdio;
};

/* The table, in no particular order; *count set to its length. */
const struct tcall_info *tcall_table(int *count);

/* The entry for syscall number nr, or NULL if not a traced call. */
const struct tcall_info *tcall_find(long nr);

/* The AUDIT_ARCH_* value the table is for (the filter checks it); 0 on
 * an architecture the tracer does not support. */
unsigned tcall_audit_arch(void);

#endif
