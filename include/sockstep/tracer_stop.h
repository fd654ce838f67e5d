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
#include "sockstep/tracer_procs.h"

struct tstate {
	const char *actor;
	int event_fd;
	int gated;
	struct tprocs procs;
	int main_alive; /* the first process has not exited */
};

/* Send ev (actor and time filled in here) on the event pipe. */
void tstop_emit(struct tstate *t, struct ss_event *ev);

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
