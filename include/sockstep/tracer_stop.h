/*
 * tracer_stop: what the tracer does at each ptrace stop of the program.
 *
 * A seccomp stop is a socket call about to run: decoded, reported (begin)
 * and held while gated, else let in with PTRACE_SYSCALL so its exit stops
 * too.  At the exit stop the result is decoded and the kernel is asked
 * about the socket (a pidfd_getfd dup, trace_describe_socket).  Fork,
 * clone and exec stops become process events; signals are passed on.
 * Used by tracer.c only; the state is tracer.c's.
 */
#ifndef SOCKSTEP_TRACER_STOP_H
#define SOCKSTEP_TRACER_STOP_H

#include <sys/types.h>
#include "sockstep/event.h"
#include "sockstep/tracer_addrs.h"
#include "sockstep/tracer_dups.h"
#include "sockstep/tracer_procs.h"

/* Events of a program running free go out in batches: one pipe write (and
 * one wakeup of sockstep) for many calls.  The pipe is this tracer's alone
 * (trace_source gives each its own), so a batch need not fit PIPE_BUF; it
 * leaves within TSTOP_BATCH_DELAY, well inside the merge's hold. */
#define TSTOP_BATCH_EVENTS 64
#define TSTOP_BATCH_DELAY 0.004

#define TSTOP_TYPES 64
#define TSTOP_GONE 16

struct tstate {
	const char *actor;
	int event_fd;
	int gated;
	struct tprocs procs;
	int main_alive; /* the first process has not exited */
	struct {
		unsigned long inode;
		int type;
	} types[TSTOP_TYPES]; /* SO_TYPE by inode: a socket never changes it */
	struct tdups dups; /* dups of the program's sockets (tracer_dups.h) */
	struct taddrs addrs; /* connected sockets' addresses (tracer_addrs.h) */
	/* The last threads that exited: a child may exit before its
	 * parent's fork event is seen (waitpid order), and must not come
	 * back into the table then. */
	struct {
		pid_t tid, pid;
	} gone[TSTOP_GONE];
	int gone_next;
	struct ss_event batch[TSTOP_BATCH_EVENTS]; /* records, as actors send */
	int batch_n;
	double batch_since; /* when its first line was added */
};

/* Send ev (actor and time filled in here) on the event pipe, one fixed-size
 * struct ss_event record (actor.h's actor_inbox_read reads them): at once
 * while gated, else in the current batch. */
void tstop_emit(struct tstate *t, struct ss_event *ev);

/* Write out the batch; tstop_batch_wait: ms until it must go, -1 if none. */
void tstop_flush(struct tstate *t);
int tstop_batch_wait(const struct tstate *t);

/* Handle one waitpid result for tid. */
void tstop_handle(struct tstate *t, pid_t tid, int status);

/* Let the gated call of p run. */
void tstop_grant(struct tstate *t, struct tproc *p);

/* Report calls let in more than a moment ago whose thread sleeps in the
 * kernel (accept, recv, poll waiting) as blocked, once each. */
void tstop_check_blocked(struct tstate *t);

/* Does any thread sit inside a call not yet reported blocked? */
int tstop_pending_blocked(const struct tstate *t);

#endif
