/*
 * trace: the one layer through which every socket call goes.
 *
 * Each trace_* function performs the real syscall, then asks the kernel
 * about the socket (getsockname, getpeername, TCP_INFO, FIONREAD, fstat for
 * the inode) and hands one SS_EV_CALL event to the emit callback.  Nothing
 * in the event is computed by us; what the kernel said once and cannot
 * change is not asked again (an fd's type and inode; a connected TCP
 * socket's addresses while TCP_INFO, asked after every call, says the
 * connection is still there).  With tracing off (the benchmarks'
 * baseline) only the syscall runs, but a failed call is still reported:
 * the director must stop a script whose bind() failed.
 */
#ifndef SOCKSTEP_TRACE_H
#define SOCKSTEP_TRACE_H

#include <stddef.h>
#include <sys/socket.h>
#include "sockstep/event.h"

/* What cannot change while an fd is open, asked of the kernel once. */
struct trace_fd_facts {
	int known;
	int type;            /* SO_TYPE */
	unsigned long inode; /* fstat */
};

#define TRACE_FDS 64 /* fds whose facts are kept; above, asked every time */

/* A connected TCP socket's addresses, as the kernel gave them after a
 * call: they cannot change until the connection ends (TCP_INFO says
 * CLOSE), and only connect, bind, listen or sendto can start another, so
 * a call that is none of these asks TCP_INFO alone while the socket stays
 * connected (trace.c). */
struct trace_fd_addrs {
	int known;
	int family;
	char local[SS_ADDR_MAX];
	char peer[SS_ADDR_MAX];
};

/* Zeroed by the caller before use; fds the actor opens and closes go
 * through trace_socket, trace_accept and trace_close only. */
struct trace_ctx {
	const char *actor; /* "server", "client", ... */
	int step;          /* script step being run, copied into events */
	int enabled;       /* 0: no events, only the syscalls */
	void (*emit)(void *emit_ctx, const struct ss_event *ev);
	void *emit_ctx;
	struct trace_fd_facts fds[TRACE_FDS];
	struct trace_fd_addrs addrs[TRACE_FDS];
};

/* Names used in events for the socket operated on / created (may be NULL). */
struct trace_names {
	const char *sock;
	const char *newsock;
};

int trace_socket(struct trace_ctx *t, const struct trace_names *n, int family,
		 int type);
int trace_bind(struct trace_ctx *t, const struct trace_names *n, int fd,
	       const struct sockaddr *sa, socklen_t len);
int trace_listen(struct trace_ctx *t, const struct trace_names *n, int fd,
		 int backlog);
/* Returns the new fd; the event's local/peer are the new socket's, its
 * queue/backlog the listener's after the accept. */
int trace_accept(struct trace_ctx *t, const struct trace_names *n, int fd);
int trace_connect(struct trace_ctx *t, const struct trace_names *n, int fd,
		  const struct sockaddr *sa, socklen_t len);
long trace_send(struct trace_ctx *t, const struct trace_names *n, int fd,
		const void *buf, size_t len, int flags);
/* buf receives what the kernel returned (at most size bytes). */
long trace_recv(struct trace_ctx *t, const struct trace_names *n, int fd,
		void *buf, size_t size, int flags);
long trace_sendto(struct trace_ctx *t, const struct trace_names *n, int fd,
		  const void *buf, size_t len, int flags,
		  const struct sockaddr *sa, socklen_t salen);
/* recvmsg underneath, so MSG_TRUNC in msg_flags is reported. */
long trace_recvfrom(struct trace_ctx *t, const struct trace_names *n, int fd,
		    void *buf, size_t size, int flags);
int trace_setsockopt(struct trace_ctx *t, const struct trace_names *n, int fd,
		     int level, int optname, const void *val, socklen_t len,
		     const char *args);
/* The option's value is written in the event's args ("SO_ERROR=111"). */
int trace_getsockopt(struct trace_ctx *t, const struct trace_names *n, int fd,
		     int level, int optname);
int trace_shutdown(struct trace_ctx *t, const struct trace_names *n, int fd,
		   int how);
int trace_close(struct trace_ctx *t, const struct trace_names *n, int fd);
long trace_fionread(struct trace_ctx *t, const struct trace_names *n, int fd);
/* fcntl(fd, F_SETFL, flags | O_NONBLOCK). */
int trace_set_nonblock(struct trace_ctx *t, const struct trace_names *n, int fd);
/* poll() on nfds (<= 8) sockets for events (POLLIN/POLLOUT); the event's
 * data lists the ready ones by name: "c2:IN", "k:OUT|ERR|HUP". */
int trace_poll(struct trace_ctx *t, const struct trace_names *n,
	       const int *fds, const char *const *names, int nfds, int events,
	       int timeout_ms);

/* What the kernel says about fd right now: getsockname, getpeername,
 * SO_TYPE, the inode (fstat, as sock_diag reports it), the TCP state
 * (TCP_INFO) and a listener's accept queue and backlog.  Used on a dup
 * taken with pidfd_getfd after every call of a traced program; the
 * scripted calls ask the same, an fd's type and inode once per fd. */
void trace_describe_socket(int fd, struct ss_call_event *c);

/* The tracer's pieces of it: the facts that cannot change (SO_TYPE and
 * fstat), what changes (trace_describe_with: addresses, TCP state, a
 * listener's queue; type and inode taken from f), and TCP_INFO alone
 * (the state, or -1 if fd is no TCP socket). */
void trace_ask_fd_facts(int fd, struct trace_fd_facts *f);
void trace_describe_with(int fd, const struct trace_fd_facts *f,
			 struct ss_call_event *c);
int trace_tcp_state(int fd, struct ss_call_event *c);

/* Format a socket address as events show it: "127.0.0.1:9001",
 * "[::1]:9001", "/path" (AF_UNIX), "@name" (abstract); "" if none. */
void trace_format_addr(const struct sockaddr *sa, socklen_t len, char *out,
		       size_t outsz);

#endif
