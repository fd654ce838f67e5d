/*
 * tracer_procs: the processes and threads of one traced program.
 *
 * One entry per thread the tracer has seen stop (ptrace is per thread),
 * with the process it belongs to (events carry that pid), a pidfd of the
 * process (pidfd_getfd: the kernel's answer about its fds), and where the
 * thread is in its current socket call.  Bounded: TPROCS_MAX threads.
 */
#ifndef SOCKSTEP_TRACER_PROCS_H
#define SOCKSTEP_TRACER_PROCS_H

#include <sys/types.h>
#include "sockstep/event.h"
#include "sockstep/tracer_calls.h"

#define TPROCS_MAX 256

enum tproc_state {
	TP_RUNNING, /* between socket calls */
	TP_GATED,   /* stopped before a socket call, waiting for a grant */
	TP_IN_CALL, /* let into the call, its exit stop not seen yet */
};

struct tproc {
	pid_t tid;
	pid_t pid;   /* the thread group: what events call the pid */
	int pidfd;   /* pidfd_open(pid), -1 if refused */
	int seen;    /* its first stop (attach) has been handled */
	enum tproc_state state;
	unsigned long seq;       /* TP_GATED: arrival order of the call */
	double since;            /* TP_IN_CALL: when it was let in */
	int blocked_told;        /* the blocked event was sent */
	int restarting;          /* the kernel restarts the call: granted */
	const struct tcall_info *call;
	unsigned long long args[6];
	int dupfd;               /* our dup of args[0] for the call, -1 */
	unsigned long dup_ino;   /* its inode once fstat said, else 0 */
	struct ss_event ev;      /* the call event being built */
};

struct tprocs {
	struct tproc p[TPROCS_MAX];
	int n;
	unsigned long next_seq;
};

void tprocs_init(struct tprocs *t);
/* The entry of tid, or NULL. */
struct tproc *tprocs_find(struct tprocs *t, pid_t tid);
/* A new entry for tid (its process read from /proc), or the existing
 * one; NULL if the table is full. */
struct tproc *tprocs_add(struct tprocs *t, pid_t tid);
/* Forget tid, closing what its entry holds. */
void tprocs_remove(struct tprocs *t, pid_t tid);
/* The thread gated longest ago, or NULL. */
struct tproc *tprocs_oldest_gated(struct tprocs *t);
/* Is the thread group of pid still in the table (another thread)? */
int tprocs_has_pid(const struct tprocs *t, pid_t pid);

#endif
