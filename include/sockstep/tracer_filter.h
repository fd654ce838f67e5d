/*
 * tracer_filter: the seccomp-bpf program that stops a traced program only
 * at its socket calls.
 *
 * Built from tracer_calls' table: SECCOMP_RET_TRACE for those calls (a
 * ptrace stop the tracer sees), SECCOMP_RET_ALLOW for every other call
 * (about 20 ns more than untraced, measured).  The filter checks the
 * architecture first: a 32-bit call through another ABI runs untraced
 * rather than being misread with this table's numbers.  What strace
 * --seccomp-bpf does.
 */
#ifndef SOCKSTEP_TRACER_FILTER_H
#define SOCKSTEP_TRACER_FILTER_H

#include <linux/filter.h>
#include <stddef.h>

/* Instructions the filter may need at most. */
#define TFILTER_MAX 512

/* Build the program into out (max instructions).  Returns its length, or
 * -1 if max is too small or the architecture is not supported. */
int tfilter_build(struct sock_filter *out, int max);

/* In the program about to exec: no new privileges (what lets an
 * unprivileged process install a filter), then the filter.  Without a
 * tracer attached every stopped call would fail with ENOSYS: install it
 * only after PTRACE_TRACEME.  0, or -1 with err. */
int tfilter_install(char *err, size_t errsz);

#endif
