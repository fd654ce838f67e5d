/* trace: perform a socket call, then ask the kernel what it did. */
#include "sockstep/trace.h"

#include <arpa/inet.h>
#include <net/if.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "sockstep/cut.h"
#include "sockstep/escape.h"

/* Decimal digits of v at p; returns the end.  (Every call event carries
 * two addresses: printf's cost, twice per call, is worth avoiding.) */
static char *put_decimal(char *p, unsigned v)
{
	char tmp[12];
	int n = 0;

	do {
		tmp[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	while (n > 0)
		*p++ = tmp[--n];
	return p;
}

/* "a.b.c.d:port", as inet_ntop and "%s:%u" would write it. */
static void format_inet4(uint32_t addr_be, unsigned port, char *out, size_t outsz)
{
	const unsigned char *b = (const unsigned char *)&addr_be;
	char tmp[sizeof "255.255.255.255:65535"];
	char *p = tmp;

	for (int i = 0; i < 4; i++) {
		p = put_decimal(p, b[i]);
		*p++ = i < 3 ? '.' : ':';
	}
	p = put_decimal(p, port);
	*p = '\0';
	cut_copy(out, outsz, tmp);
}

void trace_format_addr(const struct sockaddr *sa, socklen_t len, char *out,
		       size_t outsz)
{
	char host[INET6_ADDRSTRLEN];

	if (outsz == 0)
		return;
	out[0] = '\0';
	if (sa == NULL || len < sizeof(sa_family_t))
		return;
	if (sa->sa_family == AF_INET && len >= sizeof(struct sockaddr_in)) {
		const struct sockaddr_in *in = (const struct sockaddr_in *)sa;
		format_inet4(in->sin_addr.s_addr, ntohs(in->sin_port), out, outsz);
	} else if (sa->sa_family == AF_INET6 &&
		   len >= sizeof(struct sockaddr_in6)) {
		const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)sa;
		char scope[IF_NAMESIZE + 1] = "";
		inet_ntop(AF_INET6, &in6->sin6_addr, host, sizeof host);
		/* a link-local address is only an address with its interface:
		 * [fe80::1%lo]:80, as addr.h reads it back */
		if (in6->sin6_scope_id &&
		    if_indextoname(in6->sin6_scope_id, scope + 1) == NULL)
			snprintf(scope + 1, sizeof scope - 1, "%u", in6->sin6_scope_id);
		if (in6->sin6_scope_id)
			scope[0] = '%';
		snprintf(out, outsz, "[%s%s]:%u", host, scope, ntohs(in6->sin6_port));
	} else if (sa->sa_family == AF_UNIX) {
		const struct sockaddr_un *un = (const struct sockaddr_un *)sa;
		size_t pathlen = len - offsetof(struct sockaddr_un, sun_path);
		char path[sizeof un->sun_path + 1];

		if (len <= offsetof(struct sockaddr_un, sun_path))
			return; /* unnamed: getsockname of an unbound socket */
		if (pathlen > sizeof un->sun_path)
			pathlen = sizeof un->sun_path;
		if (un->sun_path[0] == '\0') {
			/* Abstract namespace: shown with '@' as ss(8) does. */
			path[0] = '@';
			memcpy(path + 1, un->sun_path + 1, pathlen - 1);
			path[pathlen] = '\0';
		} else {
			memcpy(path, un->sun_path, pathlen);
			path[pathlen] = '\0';
		}
		escape_string(out, outsz, path);
	}
}

static void names_copy(struct ss_call_event *c, const struct trace_names *n)
{
	if (n == NULL)
		return;
	if (n->sock)
		cut_copy(c->sock, sizeof c->sock, n->sock);
	if (n->newsock)
		cut_copy(c->newsock, sizeof c->newsock, n->newsock);
}

static void event_start(struct trace_ctx *t, struct ss_event *ev,
			const char *call, const struct trace_names *n, int fd)
{
	event_init(ev, SS_EV_CALL);
	cut_copy(ev->actor, sizeof ev->actor, t->actor);
	ev->step = t->step;
	cut_copy(ev->u.call.name, sizeof ev->u.call.name, call);
	names_copy(&ev->u.call, n);
	ev->u.call.fd = fd;
}

/* What cannot change while fd is open: its type and its inode. */
void trace_ask_fd_facts(int fd, struct trace_fd_facts *f)
{
	int type = 0;
	socklen_t tlen = sizeof type;
	struct stat st;

	memset(f, 0, sizeof *f);
	f->known = getsockopt(fd, SOL_SOCKET, SO_TYPE, &type, &tlen) == 0 &&
		   fstat(fd, &st) == 0;
	if (f->known) {
		f->type = type;
		f->inode = (unsigned long)st.st_ino;
	}
}

/* The TCP state, and the accept queue and backlog of a listener. */
int trace_tcp_state(int fd, struct ss_call_event *c)
{
	struct tcp_info ti;
	socklen_t ilen = sizeof ti;

	memset(&ti, 0, sizeof ti);
	if (getsockopt(fd, IPPROTO_TCP, TCP_INFO, &ti, &ilen) < 0)
		return -1;
	c->state = ti.tcpi_state;
	/* On a listener the kernel reuses these two fields: tcpi_unacked is
	 * the accept queue, tcpi_sacked the backlog. */
	if (ti.tcpi_state == TCP_LISTEN) {
		c->queue = (int)ti.tcpi_unacked;
		c->backlog = (int)ti.tcpi_sacked;
	}
	return ti.tcpi_state;
}

/* What the kernel says about fd right now: addresses, TCP state, the
 * accept queue of a listener; type and inode as given. */
void trace_describe_with(int fd, const struct trace_fd_facts *f,
			 struct ss_call_event *c)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof ss;
	int state = -1;

	if (getsockname(fd, (struct sockaddr *)&ss, &len) == 0) {
		trace_format_addr((struct sockaddr *)&ss, len, c->local,
				  sizeof c->local);
		c->family = ss.ss_family;
	}
	if (f->known) {
		c->type = f->type;
		c->inode = f->inode;
	}
	if (f->type == SOCK_STREAM &&
	    (c->family == AF_INET || c->family == AF_INET6))
		state = trace_tcp_state(fd, c);
	/* The kernel has no peer for a TCP socket listening, closed or still
	 * connecting (inet_getname): ENOTCONN without asking. */
	if (state == TCP_LISTEN || state == TCP_CLOSE || state == TCP_SYN_SENT)
		return;
	len = sizeof ss;
	if (getpeername(fd, (struct sockaddr *)&ss, &len) == 0)
		trace_format_addr((struct sockaddr *)&ss, len, c->peer,
				  sizeof c->peer);
}

/* A TCP state in which the socket has its connection (inet_getname:
 * not closed, listening or still connecting). */
static int connected(int state)
{
	return state >= 0 && state != TCP_LISTEN && state != TCP_CLOSE && state != TCP_SYN_SENT;
}

/* How much a call may have changed of its socket's addresses. */
enum describe_how {
	ASK_ALL,   /* socket, bind, listen, connect, sendto: anything */
	SAME_CONN, /* no other call: a connection stays the one it was */
};

/* The same, the fd's type and inode asked once per fd the actor opened
 * (socket, accept) and forgotten when it is closed: a call on the fd
 * costs three questions to the kernel instead of five.  After a
 * SAME_CONN call on a socket known connected, one (TCP_INFO): while it
 * says the connection is still there, its addresses are the ones the
 * kernel gave before. */
static void describe(struct trace_ctx *t, int fd, struct ss_call_event *c,
		     enum describe_how how)
{
	struct trace_fd_facts here;
	struct trace_fd_addrs *a;

	if (fd < 0)
		return;
	if (fd >= TRACE_FDS) {
		trace_ask_fd_facts(fd, &here);
		trace_describe_with(fd, &here, c);
		return;
	}
	a = &t->addrs[fd];
	if (how == SAME_CONN && a->known && t->fds[fd].known) {
		c->type = t->fds[fd].type;
		c->inode = t->fds[fd].inode;
		c->family = a->family;
		if (connected(trace_tcp_state(fd, c))) {
			memcpy(c->local, a->local, sizeof c->local);
			memcpy(c->peer, a->peer, sizeof c->peer);
			return;
		}
		c->state = c->queue = c->backlog = -1; /* asked again below */
	}
	if (!t->fds[fd].known)
		trace_ask_fd_facts(fd, &t->fds[fd]);
	trace_describe_with(fd, &t->fds[fd], c);
	a->known = t->fds[fd].known && t->fds[fd].type == SOCK_STREAM &&
		   (c->family == AF_INET || c->family == AF_INET6) && connected(c->state) &&
		   c->local[0] && c->peer[0];
	if (a->known) {
		a->family = c->family;
		memcpy(a->local, c->local, sizeof a->local);
		memcpy(a->peer, c->peer, sizeof a->peer);
	}
}

void trace_describe_socket(int fd, struct ss_call_event *c)
{
	struct trace_fd_facts f;

	if (fd < 0)
		return;
	trace_ask_fd_facts(fd, &f);
	trace_describe_with(fd, &f, c);
}

static void forget_fd(struct trace_ctx *t, int fd)
{
	if (fd >= 0 && fd < TRACE_FDS)
		t->fds[fd].known = t->addrs[fd].known = 0;
}

static void emit(struct trace_ctx *t, struct ss_event *ev)
{
	if (t->emit)
		t->emit(t->emit_ctx, ev);
}

static void set_result(struct ss_event *ev, long ret, int err)
{
	ev->u.call.ret = ret;
	ev->u.call.err = ret < 0 ? err : 0;
}

static void keep_data(struct ss_call_event *c, const void *buf, long n)
{
	if (n <= 0)
		return;
	c->data_len = n > SS_PREVIEW_MAX ? SS_PREVIEW_MAX : (int)n;
	memcpy(c->data, buf, (size_t)c->data_len);
}

/* Fill in what the kernel says about fd after the call, hand the event
 * on, and leave errno as the call left it. */
static long report(struct trace_ctx *t, struct ss_event *ev, int fd, long rc,
		   int err, enum describe_how how)
{
	set_result(ev, rc, err);
	describe(t, fd, &ev->u.call, how);
	emit(t, ev);
	errno = err;
	return rc;
}

int trace_socket(struct trace_ctx *t, const struct trace_names *n, int family,
		 int type)
{
	struct ss_event ev;
	int fd = socket(family, type, 0);
	int err = errno;

	forget_fd(t, fd);
	if (!t->enabled && fd >= 0)
		return fd;
	event_start(t, &ev, "socket", n, -1);
	set_result(&ev, fd, err);
	describe(t, fd, &ev.u.call, ASK_ALL);
	ev.u.call.family = family;
	ev.u.call.type = type;
	snprintf(ev.u.call.args, sizeof ev.u.call.args, "%s, %s",
		 family == AF_INET    ? "AF_INET"
		 : family == AF_INET6 ? "AF_INET6"
		 : family == AF_UNIX  ? "AF_UNIX"
				      : "?",
		 type == SOCK_STREAM ? "SOCK_STREAM"
		 : type == SOCK_DGRAM ? "SOCK_DGRAM"
				      : "?");
	emit(t, &ev);
	errno = err;
	return fd;
}

int trace_bind(struct trace_ctx *t, const struct trace_names *n, int fd,
	       const struct sockaddr *sa, socklen_t len)
{
	struct ss_event ev;
	int rc = bind(fd, sa, len);
	int err = errno;

	if (!t->enabled && rc >= 0)
		return rc;
	event_start(t, &ev, "bind", n, fd);
	trace_format_addr(sa, len, ev.u.call.args, sizeof ev.u.call.args);
	return (int)report(t, &ev, fd, rc, err, ASK_ALL);
}

int trace_listen(struct trace_ctx *t, const struct trace_names *n, int fd,
		 int backlog)
{
	struct ss_event ev;
	int rc = listen(fd, backlog);
	int err = errno;

	if (!t->enabled && rc >= 0)
		return rc;
	event_start(t, &ev, "listen", n, fd);
	snprintf(ev.u.call.args, sizeof ev.u.call.args, "backlog=%d", backlog);
	return (int)report(t, &ev, fd, rc, err, ASK_ALL);
}

/* accept's new socket has its listener's type (inet_accept makes it
 * with the listener's): only its inode is asked. */
static void accepted_facts(struct trace_ctx *t, int lfd, int nfd)
{
	struct stat st;

	if (lfd < 0 || lfd >= TRACE_FDS || nfd < 0 || nfd >= TRACE_FDS || !t->fds[lfd].known ||
	    fstat(nfd, &st) != 0)
		return;
	t->fds[nfd].known = 1;
	t->fds[nfd].type = t->fds[lfd].type;
	t->fds[nfd].inode = (unsigned long)st.st_ino;
}

int trace_accept(struct trace_ctx *t, const struct trace_names *n, int fd)
{
	struct ss_event ev;
	struct ss_call_event listener;
	int nfd = accept(fd, NULL, NULL);
	int err = errno;

	forget_fd(t, nfd);
	if (!t->enabled && nfd >= 0)
		return nfd;
	accepted_facts(t, fd, nfd);
	event_start(t, &ev, "accept", n, fd);
	set_result(&ev, nfd, err);
	if (nfd >= 0) {
		/* Read the new socket's own addresses: accept()'s address
		 * argument is the peer's, a trap tracers fell into. */
		describe(t, nfd, &ev.u.call, ASK_ALL);
	} else {
		describe(t, fd, &ev.u.call, ASK_ALL);
	}
	memset(&listener, 0, sizeof listener);
	listener.queue = listener.backlog = -1;
	trace_tcp_state(fd, &listener);
	ev.u.call.queue = listener.queue;
	ev.u.call.backlog = listener.backlog;
	emit(t, &ev);
	errno = err;
	return nfd;
}

int trace_connect(struct trace_ctx *t, const struct trace_names *n, int fd,
		  const struct sockaddr *sa, socklen_t len)
{
	struct ss_event ev;
	int rc = connect(fd, sa, len);
	int err = errno;

	if (!t->enabled && rc >= 0)
		return rc;
	event_start(t, &ev, "connect", n, fd);
	trace_format_addr(sa, len, ev.u.call.args, sizeof ev.u.call.args);
	return (int)report(t, &ev, fd, rc, err, ASK_ALL);
}

static void data_args(struct ss_event *ev, size_t len, int flags)
{
	snprintf(ev->u.call.args, sizeof ev->u.call.args, "len=%zu%s%s%s%s",
		 len, flags & MSG_PEEK ? " MSG_PEEK" : "",
		 flags & MSG_TRUNC ? " MSG_TRUNC" : "",
		 flags & MSG_DONTWAIT ? " MSG_DONTWAIT" : "",
		 flags & MSG_WAITALL ? " MSG_WAITALL" : "");
}

static void data_after(struct trace_ctx *t, int fd, struct ss_event *ev, long n, int err,
		       const void *buf, size_t buflen, enum describe_how how)
{
	int unread = 0;

	set_result(ev, n, err);
	ev->u.call.bytes = n >= 0 ? n : -1;
	if (n > 0)
		keep_data(&ev->u.call, buf, (long)buflen < n ? (long)buflen : n);
	describe(t, fd, &ev->u.call, how);
	if (ioctl(fd, FIONREAD, &unread) == 0)
		ev->u.call.unread = unread;
}

long trace_send(struct trace_ctx *t, const struct trace_names *n, int fd,
		const void *buf, size_t len, int flags)
{
	struct ss_event ev;
	/* MSG_NOSIGNAL: a peer that went away gives EPIPE, shown as a step,
	 * instead of killing the actor with SIGPIPE. */
	long rc = send(fd, buf, len, flags | MSG_NOSIGNAL);
	int err = errno;

	if (!t->enabled && rc >= 0)
		return rc;
	event_start(t, &ev, "send", n, fd);
	data_args(&ev, len, flags);
	data_after(t, fd, &ev, rc, err, buf, len, SAME_CONN);
	emit(t, &ev);
	errno = err;
	return rc;
}

long trace_recv(struct trace_ctx *t, const struct trace_names *n, int fd,
		void *buf, size_t size, int flags)
{
	struct ss_event ev;
	long rc = recv(fd, buf, size, flags);
	int err = errno;

	if (!t->enabled && rc >= 0)
		return rc;
	event_start(t, &ev, "recv", n, fd);
	data_args(&ev, size, flags);
	data_after(t, fd, &ev, rc, err, buf, size, SAME_CONN);
	emit(t, &ev);
	errno = err;
	return rc;
}

long trace_sendto(struct trace_ctx *t, const struct trace_names *n, int fd,
		  const void *buf, size_t len, int flags,
		  const struct sockaddr *sa, socklen_t salen)
{
	struct ss_event ev;
	long rc = sendto(fd, buf, len, flags | MSG_NOSIGNAL, sa, salen);
	int err = errno;
	char to[SS_ADDR_MAX];

	if (!t->enabled && rc >= 0)
		return rc;
	event_start(t, &ev, "sendto", n, fd);
	trace_format_addr(sa, salen, to, sizeof to);
	data_after(t, fd, &ev, rc, err, buf, len, ASK_ALL);
	snprintf(ev.u.call.args, sizeof ev.u.call.args, "len=%zu to=%s", len,
		 to);
	emit(t, &ev);
	errno = err;
	return rc;
}

long trace_recvfrom(struct trace_ctx *t, const struct trace_names *n, int fd,
		    void *buf, size_t size, int flags)
{
	struct ss_event ev;
	struct sockaddr_storage from;
	struct iovec iov = {.iov_base = buf, .iov_len = size};
	struct msghdr msg;
	long rc;
	int err;
	char who[SS_ADDR_MAX];

	memset(&msg, 0, sizeof msg);
	msg.msg_name = &from;
	msg.msg_namelen = sizeof from;
	msg.msg_iov = &iov;
	msg.msg_iovlen = 1;
	rc = recvmsg(fd, &msg, flags);
	err = errno;
	if (!t->enabled && rc >= 0)
		return rc;
	event_start(t, &ev, "recvfrom", n, fd);
	data_after(t, fd, &ev, rc, err, buf, size, SAME_CONN);
	ev.u.call.msg_flags = rc >= 0 ? msg.msg_flags : 0;
	who[0] = '\0';
	if (rc >= 0)
		trace_format_addr((struct sockaddr *)&from, msg.msg_namelen,
				  who, sizeof who);
	/* For a datagram socket the sender is only known from this call:
	 * show it as the peer of this step. */
	if (rc >= 0 && ev.u.call.peer[0] == '\0')
		cut_copy(ev.u.call.peer, sizeof ev.u.call.peer, who);
	snprintf(ev.u.call.args, sizeof ev.u.call.args, "len=%zu%s%s", size,
		 who[0] ? " from=" : "", who);
	emit(t, &ev);
	errno = err;
	return rc;
}

int trace_setsockopt(struct trace_ctx *t, const struct trace_names *n, int fd,
		     int level, int optname, const void *val, socklen_t len,
		     const char *args)
{
	struct ss_event ev;
	int rc = setsockopt(fd, level, optname, val, len);
	int err = errno;

	if (!t->enabled && rc >= 0)
		return rc;
	event_start(t, &ev, "setsockopt", n, fd);
	cut_copy(ev.u.call.args, sizeof ev.u.call.args, args ? args : "");
	return (int)report(t, &ev, fd, rc, err, SAME_CONN);
}

/* The option's name as a learner writes it; NULL for one we do not know
 * (then the numbers are shown). */
static const char *option_name(int level, int optname)
{
	static const struct {
		int level, opt;
		const char *name;
	} names[] = {
		{SOL_SOCKET, SO_REUSEADDR, "SO_REUSEADDR"},
		{SOL_SOCKET, SO_REUSEPORT, "SO_REUSEPORT"},
		{SOL_SOCKET, SO_RCVBUF, "SO_RCVBUF"},
		{SOL_SOCKET, SO_SNDBUF, "SO_SNDBUF"},
		{SOL_SOCKET, SO_KEEPALIVE, "SO_KEEPALIVE"},
		{SOL_SOCKET, SO_TYPE, "SO_TYPE"},
		{IPPROTO_TCP, TCP_NODELAY, "TCP_NODELAY"},
		{IPPROTO_TCP, TCP_SYNCNT, "TCP_SYNCNT"},
		{IPPROTO_TCP, TCP_DEFER_ACCEPT, "TCP_DEFER_ACCEPT"},
		{IPPROTO_IPV6, IPV6_V6ONLY, "IPV6_V6ONLY"},
	};

	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if (names[i].level == level && names[i].opt == optname)
			return names[i].name;
	return NULL;
}

int trace_getsockopt(struct trace_ctx *t, const struct trace_names *n, int fd,
		     int level, int optname)
{
	struct ss_event ev;
	union {
		int i;
		struct ucred cred;
		struct linger lg;
		struct timeval tv;
	} val;
	socklen_t len = sizeof val;
	int rc;
	int err;

	memset(&val, 0, sizeof val);
	rc = getsockopt(fd, level, optname, &val, &len);
	err = errno;
	if (!t->enabled && rc >= 0)
		return rc;
	event_start(t, &ev, "getsockopt", n, fd);
	if (rc == 0 && level == SOL_SOCKET && optname == SO_PEERCRED)
		snprintf(ev.u.call.args, sizeof ev.u.call.args,
			 "SO_PEERCRED pid=%ld uid=%ld gid=%ld",
			 (long)val.cred.pid, (long)val.cred.uid,
			 (long)val.cred.gid);
	else if (rc == 0 && level == SOL_SOCKET && optname == SO_ERROR)
		snprintf(ev.u.call.args, sizeof ev.u.call.args, "SO_ERROR=%d%s%s",
			 val.i, val.i ? " " : "",
			 val.i ? event_errno_name(val.i) : "");
	else if (rc == 0 && level == SOL_SOCKET && optname == SO_LINGER)
		snprintf(ev.u.call.args, sizeof ev.u.call.args,
			 "SO_LINGER onoff=%d linger=%d", val.lg.l_onoff,
			 val.lg.l_linger);
	else if (rc == 0 && len == sizeof(int) && option_name(level, optname))
		snprintf(ev.u.call.args, sizeof ev.u.call.args, "%s value=%d",
			 option_name(level, optname), val.i);
	else if (rc == 0 && len == sizeof(int))
		snprintf(ev.u.call.args, sizeof ev.u.call.args,
			 "level=%d opt=%d value=%d", level, optname, val.i);
	return (int)report(t, &ev, fd, rc, err, SAME_CONN);
}

int trace_shutdown(struct trace_ctx *t, const struct trace_names *n, int fd,
		   int how)
{
	struct ss_event ev;
	int rc = shutdown(fd, how);
	int err = errno;

	if (!t->enabled && rc >= 0)
		return rc;
	event_start(t, &ev, "shutdown", n, fd);
	snprintf(ev.u.call.args, sizeof ev.u.call.args, "%s",
		 how == SHUT_RD ? "SHUT_RD"
		 : how == SHUT_WR ? "SHUT_WR"
				  : "SHUT_RDWR");
	return (int)report(t, &ev, fd, rc, err, SAME_CONN);
}

int trace_close(struct trace_ctx *t, const struct trace_names *n, int fd)
{
	struct ss_event ev;
	struct ss_call_event before;
	int rc;
	int err;

	if (!t->enabled) {
		forget_fd(t, fd);
		return close(fd);
	}
	/* After close() the fd is gone and the kernel can no longer be asked
	 * through it: record the socket as it was just before (what was
	 * closed); the kernel view shows where it went next. */
	memset(&before, 0, sizeof before);
	before.state = before.queue = before.backlog = -1;
	describe(t, fd, &before, SAME_CONN);
	rc = close(fd);
	err = errno;
	forget_fd(t, fd); /* closed even when close() reports an error */
	event_start(t, &ev, "close", n, fd);
	set_result(&ev, rc, err);
	memcpy(ev.u.call.local, before.local, sizeof before.local);
	memcpy(ev.u.call.peer, before.peer, sizeof before.peer);
	ev.u.call.inode = before.inode;
	ev.u.call.family = before.family;
	ev.u.call.type = before.type;
	emit(t, &ev);
	errno = err;
	return rc;
}

long trace_fionread(struct trace_ctx *t, const struct trace_names *n, int fd)
{
	struct ss_event ev;
	int unread = 0;
	int rc = ioctl(fd, FIONREAD, &unread);
	int err = errno;

	if (!t->enabled)
		return rc < 0 ? rc : unread;
	event_start(t, &ev, "ioctl", n, fd);
	set_result(&ev, rc < 0 ? rc : unread, err);
	snprintf(ev.u.call.args, sizeof ev.u.call.args, "FIONREAD");
	describe(t, fd, &ev.u.call, SAME_CONN);
	if (rc == 0)
		ev.u.call.unread = unread;
	emit(t, &ev);
	errno = err;
	return rc < 0 ? rc : unread;
}

int trace_set_nonblock(struct trace_ctx *t, const struct trace_names *n, int fd)
{
	struct ss_event ev;
	int flags = fcntl(fd, F_GETFL);
	int rc = flags < 0 ? -1 : fcntl(fd, F_SETFL, flags | O_NONBLOCK);
	int err = errno;

	if (!t->enabled && rc >= 0)
		return rc;
	event_start(t, &ev, "fcntl", n, fd);
	snprintf(ev.u.call.args, sizeof ev.u.call.args, "F_SETFL, O_NONBLOCK");
	return (int)report(t, &ev, fd, rc, err, SAME_CONN);
}

/* "c1:IN c2:IN|HUP": which of the polled sockets are ready, and why. */
static void poll_ready(const struct pollfd *pfd, const char *const *names,
		       int nfds, unsigned char *out, int *outlen)
{
	static const struct {
		short bit;
		const char *name;
	} bits[] = {{POLLIN, "IN"}, {POLLOUT, "OUT"}, {POLLERR, "ERR"},
		    {POLLHUP, "HUP"}, {POLLNVAL, "NVAL"}};
	char text[SS_PREVIEW_MAX + 1];
	size_t used = 0;

	text[0] = '\0';
	for (int i = 0; i < nfds; i++) {
		const char *sep = ":";
		if (pfd[i].revents == 0)
			continue;
		used += (size_t)snprintf(text + used, sizeof text - used, "%s%s",
					 used ? " " : "", names[i]);
		for (size_t b = 0; b < sizeof bits / sizeof bits[0] && used < sizeof text; b++)
			if (pfd[i].revents & bits[b].bit) {
				used += (size_t)snprintf(text + used, sizeof text - used,
							 "%s%s", sep, bits[b].name);
				sep = "|";
			}
		if (used >= sizeof text)
			used = sizeof text - 1;
	}
	*outlen = (int)used;
	memcpy(out, text, used);
}

int trace_poll(struct trace_ctx *t, const struct trace_names *n,
	       const int *fds, const char *const *names, int nfds, int events,
	       int timeout_ms)
{
	struct ss_event ev;
	struct pollfd pfd[8];
	int rc, err;

	if (nfds > 8)
		nfds = 8;
	for (int i = 0; i < nfds; i++) {
		pfd[i].fd = fds[i];
		pfd[i].events = (short)events;
		pfd[i].revents = 0;
	}
	do
		rc = poll(pfd, (nfds_t)nfds, timeout_ms);
	while (rc < 0 && errno == EINTR);
	err = errno;
	if (!t->enabled && rc >= 0)
		return rc;
	event_start(t, &ev, "poll", n, fds[0]);
	/* as the lesson writes it: poll(c1, c2, POLLIN, 1000ms); the first
	 * name is the event's sock when there is one */
	for (int i = n && n->sock ? 1 : 0; i < nfds; i++) {
		size_t used = strlen(ev.u.call.args);
		snprintf(ev.u.call.args + used, sizeof ev.u.call.args - used, "%s, ",
			 names[i]);
	}
	{
		size_t used = strlen(ev.u.call.args);
		snprintf(ev.u.call.args + used, sizeof ev.u.call.args - used,
			 "%s%s%s, %dms", events & POLLIN ? "POLLIN" : "",
			 (events & POLLIN) && (events & POLLOUT) ? "|" : "",
			 events & POLLOUT ? "POLLOUT" : "", timeout_ms);
	}
	set_result(&ev, rc, err);
	/* poll moves no bytes; data carries the ready list (bytes 0 keeps it
	 * in the trace) */
	ev.u.call.bytes = 0;
	if (rc > 0)
		poll_ready(pfd, names, nfds, ev.u.call.data, &ev.u.call.data_len);
	/* One socket: its state after the wait (a non-blocking connect's
	 * outcome).  Several: no single socket's addresses describe it. */
	if (nfds == 1)
		trace_describe_socket(fds[0], &ev.u.call);
	emit(t, &ev);
	errno = err;
	return rc;
}
