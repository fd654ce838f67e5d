/* tracer_decode: a traced call's raw arguments and result as a call event. */
#include "sockstep/tracer_decode.h"

#include <fcntl.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/select.h>
#include <sys/socket.h>
#include <sys/uio.h>

#include "sockstep/cut.h"
#include "sockstep/trace.h"

/* Bounds on what is read from the program for one call. */
#define POLL_FDS_MAX 64
#define SELECT_FDS_MAX 1024
#define IOV_MAX_READ 16

static long mem(const struct tdecode_env *env, unsigned long long addr,
		void *buf, size_t len)
{
	if (addr == 0 || len == 0)
		return -1;
	return env->read(env->ctx, (unsigned long)addr, buf, len);
}

/* Append to the event's args, bounded. */
static void add(struct ss_call_event *c, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void add(struct ss_call_event *c, const char *fmt, ...)
{
	size_t used = strlen(c->args);
	va_list ap;

	if (used + 1 >= sizeof c->args)
		return;
	va_start(ap, fmt);
	vsnprintf(c->args + used, sizeof c->args - used, fmt, ap);
	va_end(ap);
}

static void sockaddr_arg(const struct tdecode_env *env, unsigned long long addr,
			 unsigned long long len, char *out, size_t outsz)
{
	struct sockaddr_storage ss;
	size_t n = len < sizeof ss ? (size_t)len : sizeof ss;

	out[0] = '\0';
	memset(&ss, 0, sizeof ss);
	if (mem(env, addr, &ss, n) == (long)n)
		trace_format_addr((struct sockaddr *)&ss, (socklen_t)n, out, outsz);
}

/* poll and ppoll: the pollfd array, bounded. */
static int read_pollfds(const struct tdecode_env *env,
			const unsigned long long args[6], struct pollfd *p)
{
	int n = args[1] > POLL_FDS_MAX ? POLL_FDS_MAX : (int)args[1];

	if (n <= 0 || mem(env, args[0], p, (size_t)n * sizeof *p) !=
			      (long)((size_t)n * sizeof *p))
		return 0;
	return n;
}

/* select and pselect6: the fds in the read and write sets, bounded. */
static int read_selectfds(const struct tdecode_env *env,
			  const unsigned long long args[6], int *fds, int max)
{
	int nfds = args[0] > SELECT_FDS_MAX ? SELECT_FDS_MAX : (int)args[0];
	size_t bytes = ((size_t)nfds + 7) / 8;
	int n = 0;

	for (int set = 1; set <= 2; set++) {
		unsigned char bits[SELECT_FDS_MAX / 8];
		if (nfds <= 0 || mem(env, args[set], bits, bytes) != (long)bytes)
			continue;
		for (int fd = 0; fd < nfds && n < max; fd++)
			if (bits[fd / 8] & (1u << (fd % 8)))
				fds[n++] = fd;
	}
	return n;
}

static int any_socket(const struct tdecode_env *env, const int *fds, int n)
{
	for (int i = 0; i < n; i++)
		if (fds[i] >= 0 && env->is_socket(env->ctx, fds[i]))
			return 1;
	return 0;
}

static int waits_on_socket(const struct tcall_info *c,
			   const unsigned long long args[6],
			   const struct tdecode_env *env)
{
	struct pollfd p[POLL_FDS_MAX];
	int fds[POLL_FDS_MAX];
	int n = 0;

	switch (c->call) {
	case TC_POLL:
	case TC_PPOLL:
		n = read_pollfds(env, args, p);
		for (int i = 0; i < n; i++)
			fds[i] = p[i].fd;
		break;
	case TC_SELECT:
	case TC_PSELECT:
		n = read_selectfds(env, args, fds, POLL_FDS_MAX);
		break;
	default:
		/* epoll: what it watches is not in the call, but the kernel
		 * lists it for the epoll fd. */
		return env->epoll_watches_socket(env->ctx, (int)args[0]);
	}
	return any_socket(env, fds, n);
}

int tdecode_wanted(const struct tcall_info *c, const unsigned long long args[6],
		   const struct tdecode_env *env)
{
	int fd = (int)args[0];

	switch (c->on) {
	case TC_ON_ANY:
		return 1;
	case TC_ON_WAIT:
		return waits_on_socket(c, args, env);
	case TC_ON_FD0:
		break;
	}
	if (!env->is_socket(env->ctx, fd))
		return 0;
	if (c->call == TC_FCNTL) {
		int before = env->fd_flags(env->ctx, fd);
		return before < 0 ||
		       ((unsigned)before & O_NONBLOCK) != ((unsigned)args[2] & O_NONBLOCK);
	}
	return 1;
}

static const char *family_name(long f)
{
	return f == AF_INET ? "AF_INET" : f == AF_INET6 ? "AF_INET6"
	       : f == AF_UNIX ? "AF_UNIX" : f == AF_NETLINK ? "AF_NETLINK" : NULL;
}

static void type_arg(struct ss_call_event *c, long type)
{
	long base = type & ~(long)(SOCK_NONBLOCK | SOCK_CLOEXEC);

	add(c, "%s", base == SOCK_STREAM ? "SOCK_STREAM" : base == SOCK_DGRAM ? "SOCK_DGRAM"
		     : base == SOCK_SEQPACKET ? "SOCK_SEQPACKET" : base == SOCK_RAW ? "SOCK_RAW" : "?");
	if (type & SOCK_NONBLOCK)
		add(c, "|SOCK_NONBLOCK");
	if (type & SOCK_CLOEXEC)
		add(c, "|SOCK_CLOEXEC");
}

static void msg_flags_arg(struct ss_call_event *c, long flags)
{
	if (flags & MSG_PEEK)
		add(c, " MSG_PEEK");
	if (flags & MSG_DONTWAIT)
		add(c, " MSG_DONTWAIT");
	if (flags & MSG_WAITALL)
		add(c, " MSG_WAITALL");
	if (flags & MSG_NOSIGNAL)
		add(c, " MSG_NOSIGNAL");
}

static void poll_arg(struct ss_call_event *c, const struct pollfd *p, int n,
		     int revents)
{
	add(c, "[");
	for (int i = 0, shown = 0; i < n; i++) {
		short ev = revents ? p[i].revents : p[i].events;
		if (revents && ev == 0)
			continue;
		add(c, "%s%d%s%s%s%s", shown++ ? " " : "", p[i].fd,
		    ev & POLLIN ? " IN" : "", ev & POLLOUT ? " OUT" : "",
		    ev & POLLERR ? " ERR" : "", ev & POLLHUP ? " HUP" : "");
	}
	add(c, "]");
}

static void select_arg(struct ss_call_event *c, const struct tdecode_env *env,
		       const unsigned long long args[6])
{
	int fds[POLL_FDS_MAX];
	int n = read_selectfds(env, args, fds, POLL_FDS_MAX);

	add(c, "[");
	for (int i = 0; i < n; i++)
		add(c, "%s%d", i ? " " : "", fds[i]);
	add(c, "]");
}

static void sockopt_arg(struct ss_call_event *c, const struct tdecode_env *env,
			const unsigned long long args[6], int with_value)
{
	static const struct { int level, opt; const char *name; } names[] = {
		{SOL_SOCKET, SO_REUSEADDR, "SO_REUSEADDR"},
		{SOL_SOCKET, SO_REUSEPORT, "SO_REUSEPORT"},
		{SOL_SOCKET, SO_KEEPALIVE, "SO_KEEPALIVE"},
		{SOL_SOCKET, SO_ERROR, "SO_ERROR"},
		{SOL_SOCKET, SO_LINGER, "SO_LINGER"},
		{SOL_SOCKET, SO_RCVBUF, "SO_RCVBUF"},
		{SOL_SOCKET, SO_SNDBUF, "SO_SNDBUF"},
		{SOL_SOCKET, SO_RCVTIMEO, "SO_RCVTIMEO"},
		{SOL_SOCKET, SO_SNDTIMEO, "SO_SNDTIMEO"},
		{SOL_SOCKET, SO_BROADCAST, "SO_BROADCAST"},
		{SOL_SOCKET, SO_TYPE, "SO_TYPE"},
		{6 /* IPPROTO_TCP */, 1 /* TCP_NODELAY */, "TCP_NODELAY"},
	};
	int level = (int)args[1], opt = (int)args[2];
	const char *name = NULL;
	int v;

	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if (names[i].level == level && names[i].opt == opt)
			name = names[i].name;
	if (name)
		add(c, "%s", name);
	else
		add(c, "level=%d opt=%d", level, opt);
	if (with_value && args[4] == sizeof v && mem(env, args[3], &v, sizeof v) == sizeof v)
		add(c, ", %d", v);
}

/* The arguments of a call that moves data or waits; 0 if c is not one. */
static int io_args(const struct tcall_info *c, const unsigned long long args[6],
		   const struct tdecode_env *env, struct ss_call_event *ce)
{
	char addr[SS_ADDR_MAX];
	struct pollfd p[POLL_FDS_MAX];

	switch (c->call) {
	case TC_SENDTO:
		sockaddr_arg(env, args[4], args[5], addr, sizeof addr);
		add(ce, "len=%llu%s%s", args[2], addr[0] ? " to=" : "", addr);
		msg_flags_arg(ce, (long)args[3]);
		return 1;
	case TC_RECVFROM:
		add(ce, "len=%llu", args[2]);
		msg_flags_arg(ce, (long)args[3]);
		return 1;
	case TC_READ:
	case TC_WRITE:
		add(ce, "len=%llu", args[2]);
		return 1;
	case TC_READV:
	case TC_WRITEV:
		add(ce, "iovcnt=%d", (int)args[2]);
		return 1;
	case TC_SENDMSG:
	case TC_RECVMSG:
		add(ce, "msghdr");
		msg_flags_arg(ce, (long)args[2]);
		return 1;
	case TC_SENDMMSG:
	case TC_RECVMMSG:
		add(ce, "vlen=%d", (int)args[2]);
		return 1;
	case TC_POLL:
	case TC_PPOLL:
		poll_arg(ce, p, read_pollfds(env, args, p), 0);
		if (c->call == TC_POLL)
			add(ce, ", %dms", (int)args[2]);
		return 1;
	case TC_SELECT:
	case TC_PSELECT:
		select_arg(ce, env, args);
		return 1;
	case TC_EPOLL_WAIT:
		add(ce, "epfd=%d, max=%d, %dms", (int)args[0], (int)args[2], (int)args[3]);
		return 1;
	default:
		return 0;
	}
}

/* The arguments of a call that makes, sets up or ends a socket. */
static void setup_args(const struct tcall_info *c, const unsigned long long args[6],
		       const struct tdecode_env *env, struct ss_call_event *ce)
{
	char addr[SS_ADDR_MAX];
	int v;

	switch (c->call) {
	case TC_SOCKET:
	case TC_SOCKETPAIR:
		if (family_name((long)args[0]))
			add(ce, "%s, ", family_name((long)args[0]));
		else
			add(ce, "%d, ", (int)args[0]);
		type_arg(ce, (long)args[1]);
		break;
	case TC_BIND:
	case TC_CONNECT:
		sockaddr_arg(env, args[1], args[2], addr, sizeof addr);
		add(ce, "%s", addr);
		break;
	case TC_LISTEN:
		add(ce, "backlog=%d", (int)args[1]);
		break;
	case TC_ACCEPT:
		if (strcmp(c->name, "accept4") == 0 && (args[3] & SOCK_NONBLOCK))
			add(ce, "SOCK_NONBLOCK");
		break;
	case TC_SHUTDOWN:
		add(ce, "%s", args[1] == SHUT_RD ? "SHUT_RD" : args[1] == SHUT_WR ? "SHUT_WR" : "SHUT_RDWR");
		break;
	case TC_SETSOCKOPT:
	case TC_GETSOCKOPT:
		sockopt_arg(ce, env, args, c->call == TC_SETSOCKOPT);
		break;
	case TC_FCNTL:
		add(ce, "F_SETFL, %s", (args[2] & O_NONBLOCK) ? "O_NONBLOCK" : "blocking");
		break;
	case TC_IOCTL:
		if (args[1] == FIONBIO && mem(env, args[2], &v, sizeof v) == sizeof v)
			add(ce, "FIONBIO, %s", v ? "non-blocking" : "blocking");
		else
			add(ce, "%s", args[1] == FIONBIO ? "FIONBIO" : "FIONREAD");
		break;
	case TC_DUP2:
	case TC_DUP3:
		add(ce, "newfd=%d", (int)args[1]);
		break;
	default:
		break; /* close, dup, getsockname, getpeername: the fd says it */
	}
}

void tdecode_entry(const struct tcall_info *c, const unsigned long long args[6],
		   const struct tdecode_env *env, struct ss_event *ev)
{
	struct ss_call_event *ce = &ev->u.call;

	cut_copy(ce->name, sizeof ce->name, c->name);
	ce->fd = c->on == TC_ON_FD0 ? (int)args[0] : -1;
	ce->args[0] = '\0';
	if (!io_args(c, args, env, ce))
		setup_args(c, args, env, ce);
}

/* The first bytes moved: a plain buffer, or the first iovec. */
static void keep_data(const struct tdecode_env *env, unsigned long long buf,
		      long n, struct ss_call_event *ce)
{
	size_t len = n > SS_PREVIEW_MAX ? SS_PREVIEW_MAX : (size_t)n;
	long got = n > 0 ? mem(env, buf, ce->data, len) : -1;

	ce->data_len = got > 0 ? (int)got : 0;
}

static void keep_iov_data(const struct tdecode_env *env, unsigned long long iov,
			  long n, struct ss_call_event *ce)
{
	struct iovec first;

	if (n > 0 && mem(env, iov, &first, sizeof first) == sizeof first)
		keep_data(env, (unsigned long long)(unsigned long)first.iov_base,
			  n < (long)first.iov_len ? n : (long)first.iov_len, ce);
}

static void msghdr_exit(const struct tdecode_env *env, const unsigned long long args[6],
			long rval, struct ss_call_event *ce, int recv)
{
	struct msghdr m;
	char addr[SS_ADDR_MAX];

	if (mem(env, args[1], &m, sizeof m) != sizeof m)
		return;
	keep_iov_data(env, (unsigned long long)(unsigned long)m.msg_iov, rval, ce);
	ce->args[0] = '\0';
	add(ce, "iovlen=%zu", (size_t)m.msg_iovlen);
	if (m.msg_name && m.msg_namelen) {
		sockaddr_arg(env, (unsigned long long)(unsigned long)m.msg_name,
			     m.msg_namelen, addr, sizeof addr);
		if (addr[0])
			add(ce, " %s%s", recv ? "from=" : "to=", addr);
	}
	if (recv)
		ce->msg_flags = m.msg_flags;
}

void tdecode_exit(const struct tcall_info *c, const unsigned long long args[6],
		  long rval, const struct tdecode_env *env, struct ss_event *ev)
{
	struct ss_call_event *ce = &ev->u.call;
	struct pollfd p[POLL_FDS_MAX];
	char addr[SS_ADDR_MAX];
	int sv[2];

	ce->ret = rval < 0 && rval > -4096 ? -1 : rval;
	ce->err = rval < 0 && rval > -4096 ? (int)-rval : 0;
	if (ce->ret < 0)
		return;
	switch (c->call) {
	case TC_SENDTO:
	case TC_WRITE:
	case TC_RECVFROM:
	case TC_READ:
		ce->bytes = rval;
		keep_data(env, args[1], rval, ce);
		if (c->call == TC_RECVFROM && args[4]) {
			socklen_t len = 0;
			if (mem(env, args[5], &len, sizeof len) == sizeof len) {
				sockaddr_arg(env, args[4], len, addr, sizeof addr);
				if (addr[0])
					add(ce, " from=%s", addr);
			}
		}
		break;
	case TC_READV:
	case TC_WRITEV:
		ce->bytes = rval;
		keep_iov_data(env, args[1], rval, ce);
		break;
	case TC_SENDMSG:
	case TC_RECVMSG:
		ce->bytes = rval;
		msghdr_exit(env, args, rval, ce, c->call == TC_RECVMSG);
		break;
	case TC_POLL:
	case TC_PPOLL: {
		int n = read_pollfds(env, args, p);
		add(ce, " -> ");
		poll_arg(ce, p, n, 1);
		break;
	}
	case TC_SOCKETPAIR:
		if (mem(env, args[3], sv, sizeof sv) == sizeof sv)
			add(ce, " -> [%d, %d]", sv[0], sv[1]);
		break;
	case TC_GETSOCKNAME:
	case TC_GETPEERNAME: {
		socklen_t len = 0;
		if (mem(env, args[2], &len, sizeof len) == sizeof len) {
			sockaddr_arg(env, args[1], len, addr, sizeof addr);
			add(ce, "%s", addr);
		}
		break;
	}
	default:
		break;
	}
}

int tdecode_subject_fd(const struct tcall_info *c,
		       const unsigned long long args[6], long rval)
{
	switch (c->call) {
	case TC_SOCKET:
	case TC_ACCEPT:
	case TC_DUP:
	case TC_DUP2:
	case TC_DUP3:
		return rval >= 0 ? (int)rval : c->on == TC_ON_FD0 ? (int)args[0] : -1;
	case TC_SOCKETPAIR:
	case TC_POLL:
	case TC_PPOLL:
	case TC_SELECT:
	case TC_PSELECT:
	case TC_EPOLL_WAIT:
	case TC_CLOSE:
		return -1; /* close: described before it ran, by the tracer */
	default:
		return (int)args[0];
	}
}
