/*
 * tracer_decode: a traced program's socket call, from its raw arguments and
 * return value, to the call event every sink already knows.
 *
 * The arguments come from PTRACE_GET_SYSCALL_INFO (six integers); what
 * they point to (addresses, buffers, pollfd arrays, msghdrs) is read from
 * the program through env->read (process_vm_readv in the tracer, plain
 * memcpy in the tests), every read bounded.  Whether an fd is a socket is
 * the kernel's answer through env->is_socket.  The kernel's view of the
 * socket after the call (addresses, state, queue) is not decoded here: the
 * tracer asks the kernel through trace_describe_socket.
 */
#ifndef SOCKSTEP_TRACER_DECODE_H
#define SOCKSTEP_TRACER_DECODE_H

#include <stddef.h>
#include "sockstep/event.h"
#include "sockstep/tracer_calls.h"

struct tdecode_env {
	/* Copy len bytes at the program's address addr into buf.  Returns
	 * the bytes copied, or -1. */
	long (*read)(void *ctx, unsigned long addr, void *buf, size_t len);
	/* 1 if the program's fd is a socket, 0 if not (or gone). */
	int (*is_socket)(void *ctx, int fd);
	/* 1 if the program's epoll fd watches a socket. */
	int (*epoll_watches_socket)(void *ctx, int epfd);
	/* fcntl(F_GETFL) of the program's fd, or -1. */
	int (*fd_flags)(void *ctx, int fd);
	void *ctx;
};

/* At the stop before the call: is it shown?  Socket calls on a socket, a
 * read/write/close on a socket only, fcntl only when it turns O_NONBLOCK
 * on or off, poll/select/epoll only when they wait on a socket. */
int tdecode_wanted(const struct tcall_info *c, const unsigned long long args[6],
		   const struct tdecode_env *env);

/* Fill ev (already event_init'ed, any kind) with the call's name, the fd it
 * acts on and its arguments as a person reads them, before it runs. */
void tdecode_entry(const struct tcall_info *c, const unsigned long long args[6],
		   const struct tdecode_env *env, struct ss_event *ev);

/* After it returned with rval (-errno on failure): ret, err, bytes moved,
 * the data preview, a datagram's sender, poll's ready fds.  ev holds what
 * tdecode_entry wrote. */
void tdecode_exit(const struct tcall_info *c, const unsigned long long args[6],
		  long rval, const struct tdecode_env *env, struct ss_event *ev);

/* The fd whose socket the event describes after the call: the new one for
 * socket, accept, dup; the one acted on otherwise; -1 if none. */
int tdecode_subject_fd(const struct tcall_info *c,
		       const unsigned long long args[6], long rval);

#endif
