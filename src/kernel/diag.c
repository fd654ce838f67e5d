/* diag: one dump of the kernel's TCP table through NETLINK_SOCK_DIAG. */
#include "sockstep/diag.h"
#include "sockstep/addr.h"

#include <arpa/inet.h>
#include <errno.h>
#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/sock_diag.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

/* One recv() of a dump carries many inet_diag_msg records; 32 KiB is what
 * ss(8) uses and far more than one message needs. */
#define DIAG_BUF_SIZE 32768
/* A dump of a busy host is a few hundred datagrams; stop long before a
 * misbehaving kernel could keep us here forever. */
#define DIAG_MAX_RECVS 100000

/* "127.0.0.1:9001" or "[::1]:9001", the tracer's format. */
static void diag_format_addr(int family, const __be32 addr[4], __be16 port,
			     char *out, size_t outsz)
{
	char host[INET6_ADDRSTRLEN];

	if (!inet_ntop(family, addr, host, sizeof(host)))
		snprintf(host, sizeof(host), "?");
	if (family == AF_INET6)
		snprintf(out, outsz, "[%s]:%u", host, (unsigned)ntohs(port));
	else
		snprintf(out, outsz, "%s:%u", host, (unsigned)ntohs(port));
}

static bool diag_port_wanted(const uint16_t *ports, int nports, uint16_t port)
{
	for (int i = 0; i < nports; i++)
		if (ports[i] == port)
			return true;
	return false;
}

static void diag_fill_row(const struct inet_diag_msg *m, struct ss_event *ev)
{
	struct ss_socket_event *s = &ev->u.sock;

	memset(ev, 0, sizeof(*ev));
	ev->kind = SS_EV_SOCKET;
	snprintf(ev->actor, sizeof(ev->actor), "kernel");
	diag_format_addr(m->idiag_family, m->id.idiag_src, m->id.idiag_sport,
			 s->local, sizeof(s->local));
	diag_format_addr(m->idiag_family, m->id.idiag_dst, m->id.idiag_dport,
			 s->peer, sizeof(s->peer));
	s->state = m->idiag_state;
	s->recv_q = (long)m->idiag_rqueue;
	s->send_q = (long)m->idiag_wqueue;
	s->timer = m->idiag_timer;
	/* expires is only meaningful while a timer runs (TIME_WAIT: ms left).
	 */
	s->timer_ms = m->idiag_timer ? (long)m->idiag_expires : -1;
	s->inode = m->idiag_inode;
	s->owner_fd = -1;
}

/* A bytecode program for the kernel: keep a socket whose source or
 * destination port is one of ports[].  Without it the kernel sends every
 * TCP socket of the machine (thousands of TIME_WAITs after a benchmark)
 * and we would drop almost all of them here.  As ss(8) builds "A or B":
 * each test is a comparison op plus an op carrying the port; true falls
 * through to a JMP that leaves with "accept" (the program used up
 * exactly), false skips that JMP to the next test; the last false test
 * jumps past the end ("reject").  The kernel only allows jumps onto the
 * chain of "yes" offsets, hence this shape. */
#define DIAG_BC_MAX (3 * 16)

static size_t diag_port_filter(const uint16_t *ports, int nports,
			       struct inet_diag_bc_op *ops)
{
	size_t tests = (size_t)nports * 2;
	size_t len = tests * 8 + (tests - 1) * 4;
	size_t n = 0, off = 0;

	for (size_t t = 0; t < tests; t++) {
		ops[n++] = (struct inet_diag_bc_op){
			(t % 2) ? INET_DIAG_BC_D_EQ : INET_DIAG_BC_S_EQ, 8, 12};
		ops[n++] = (struct inet_diag_bc_op){INET_DIAG_BC_NOP, 0,
						    ports[t / 2]};
		off += 8;
		if (t + 1 < tests) {
			ops[n++] = (struct inet_diag_bc_op){
				INET_DIAG_BC_JMP, 4, (unsigned short)(len - off)};
			off += 4;
		}
	}
	return n * sizeof(*ops);
}

static int diag_send_request(int fd, int family, const uint16_t *ports,
			     int nports)
{
	struct diag_request {
		struct nlmsghdr nlh;
		struct inet_diag_req_v2 req;
		struct rtattr rta;
		struct inet_diag_bc_op ops[DIAG_BC_MAX];
	} msg;
	struct sockaddr_nl kernel = {.nl_family = AF_NETLINK};
	size_t bclen = 0;
	size_t len;

	memset(&msg, 0, sizeof(msg));
	if (nports > 0 && nports * 6 <= DIAG_BC_MAX)
		bclen = diag_port_filter(ports, nports, msg.ops);
	len = offsetof(struct diag_request, rta);
	if (bclen) {
		msg.rta.rta_type = INET_DIAG_REQ_BYTECODE;
		msg.rta.rta_len = (unsigned short)RTA_LENGTH(bclen);
		len += RTA_SPACE(bclen);
	}
	msg.nlh.nlmsg_len = (uint32_t)len;
	msg.nlh.nlmsg_type = SOCK_DIAG_BY_FAMILY;
	msg.nlh.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	msg.nlh.nlmsg_seq = (uint32_t)family;
	msg.req.sdiag_family = (uint8_t)family;
	msg.req.sdiag_protocol = IPPROTO_TCP;
	/* Every state, including TIME_WAIT (a separate timewait object) and
	 * NEW_SYN_RECV (half-open request sockets): the lessons need them. */
	msg.req.idiag_states = ~0U;

	ssize_t n = sendto(fd, &msg, len, 0, (const struct sockaddr *)&kernel,
			   sizeof(kernel));
	if (n < 0)
		return -1;
	if ((size_t)n != len) {
		errno = EIO;
		return -1;
	}
	return 0;
}

struct diag_out {
	const uint16_t *ports;
	int nports;
	int (*keep)(void *ctx, const struct ss_event *row);
	void *keep_ctx;
	struct ss_event *rows;
	int max;
	int count;
};

/* One netlink message: 1 at NLMSG_DONE, -1 on NLMSG_ERROR, 0 otherwise. */
static int diag_handle_msg(const struct nlmsghdr *h, struct diag_out *out)
{
	if (h->nlmsg_type == NLMSG_DONE)
		return 1;
	if (h->nlmsg_type == NLMSG_ERROR) {
		const struct nlmsgerr *e = NLMSG_DATA(h);
		if (h->nlmsg_len < NLMSG_LENGTH(sizeof(*e)) || e->error == 0)
			errno = EIO;
		else
			errno = -e->error;
		return -1;
	}
	if (h->nlmsg_type != SOCK_DIAG_BY_FAMILY ||
	    h->nlmsg_len < NLMSG_LENGTH(sizeof(struct inet_diag_msg)))
		return 0;

	const struct inet_diag_msg *m = NLMSG_DATA(h);
	uint16_t lport = ntohs(m->id.idiag_sport);
	uint16_t rport = ntohs(m->id.idiag_dport);
	if (out->nports > 0 &&
	    !diag_port_wanted(out->ports, out->nports, lport) &&
	    !diag_port_wanted(out->ports, out->nports, rport))
		return 0;
	/* Rows past max are dropped, but the dump is still read to DONE so
	 * the socket is drained before the next request. */
	if (out->count < out->max) {
		diag_fill_row(m, &out->rows[out->count]);
		if (out->keep == NULL ||
		    out->keep(out->keep_ctx, &out->rows[out->count]))
			out->count++;
	}
	return 0;
}

/* Read one dump to NLMSG_DONE.  Returns 0 or -1 with errno. */
static int diag_read_dump(int fd, struct diag_out *out, unsigned char *buf)
{
	for (int r = 0; r < DIAG_MAX_RECVS; r++) {
		struct sockaddr_nl from;
		struct iovec iov = {.iov_base = buf, .iov_len = DIAG_BUF_SIZE};
		struct msghdr mh = {
		    .msg_name = &from,
		    .msg_namelen = sizeof(from),
		    .msg_iov = &iov,
		    .msg_iovlen = 1,
		};
		ssize_t n = recvmsg(fd, &mh, 0);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		if (n == 0 || (mh.msg_flags & MSG_TRUNC)) {
			errno = n == 0 ? EIO : EMSGSIZE;
			return -1;
		}

		/* Walked by hand: NLMSG_OK/NLMSG_NEXT mix signed and unsigned.
		 */
		size_t len = (size_t)n, off = 0;
		while (off + sizeof(struct nlmsghdr) <= len) {
			const struct nlmsghdr *h =
			    (const struct nlmsghdr *)(buf + off);
			if (h->nlmsg_len < sizeof(*h) ||
			    h->nlmsg_len > len - off) {
				errno = EIO;
				return -1;
			}
			int rc = diag_handle_msg(h, out);
			if (rc != 0)
				return rc > 0 ? 0 : -1;
			off += NLMSG_ALIGN(h->nlmsg_len);
		}
	}
	errno = EIO;
	return -1;
}

/* nports == 0 (or ports NULL) means no filter: every TCP socket. */
int diag_tcp_snapshot(const uint16_t *ports, int nports, struct ss_event *rows,
		      int max)
{
	return diag_tcp_snapshot_keep(ports, nports, 0, NULL, NULL, rows, max);
}

int diag_tcp_snapshot_keep(const uint16_t *ports, int nports, int families_mask,
			   int (*keep)(void *ctx, const struct ss_event *row),
			   void *ctx, struct ss_event *rows, int max)
{
	static const int families[] = {AF_INET, AF_INET6};
	_Alignas(struct nlmsghdr) unsigned char buf[DIAG_BUF_SIZE];
	struct diag_out out = {
	    .ports = ports,
	    .nports = ports ? nports : 0,
	    .keep = keep,
	    .keep_ctx = ctx,
	    .rows = rows,
	    .max = max,
	};

	if (max < 0 || (max > 0 && !rows) || (nports > 0 && !ports)) {
		errno = EINVAL;
		return -1;
	}
	int fd =
	    socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC, NETLINK_SOCK_DIAG);
	if (fd < 0)
		return -1;
	/* The kernel always answers a dump; the timeout only guards against
	 * a hang we cannot explain. */
	struct timeval tv = {.tv_sec = 2};
	(void)setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));

	for (size_t i = 0; i < sizeof(families) / sizeof(families[0]); i++) {
		/* each dump walks the kernel's whole hash table: skip a family
		 * the exchange does not use */
		if (families_mask && !(families_mask & (1 << i)))
			continue;
		if (diag_send_request(fd, families[i], ports, nports) < 0 ||
		    diag_read_dump(fd, &out, buf) < 0) {
			int saved = errno;
			close(fd);
			errno = saved;
			return -1;
		}
	}
	close(fd);

	for (int i = 0; i < out.count; i++)
		rows[i].u.sock.rows = out.count;
	return out.count;
}

/* The request's id for one side: address and port in network order. */
static int diag_side(const char *text, int *family, __be32 addr[4], __be16 *port)
{
	struct ss_addr a;
	char err[128];

	memset(addr, 0, 16);
	*port = 0;
	if (text[0] == '\0')
		return 0; /* a listener's peer: any */
	if (addr_parse(&a, text, 0, err, sizeof err) < 0 ||
	    (a.kind != SS_ADDR_INET && a.kind != SS_ADDR_INET6))
		return -1;
	if (*family && *family != addr_family(&a))
		return -1;
	*family = addr_family(&a);
	if (inet_pton(*family, a.host, addr) != 1)
		return -1;
	*port = htons((uint16_t)a.port);
	return 0;
}

/* Ask for one socket; 1 and *row if the kernel has it, 0 if not, -1. */
static int diag_lookup_one(int fd, const struct diag_tuple *t, struct ss_event *row,
			   unsigned char *buf)
{
	struct {
		struct nlmsghdr nlh;
		struct inet_diag_req_v2 req;
	} msg;
	struct sockaddr_nl kernel = {.nl_family = AF_NETLINK};
	struct diag_out out = {.rows = row, .max = 1};
	int family = 0;

	memset(&msg, 0, sizeof msg);
	if (diag_side(t->local, &family, msg.req.id.idiag_src, &msg.req.id.idiag_sport) < 0 ||
	    diag_side(t->peer, &family, msg.req.id.idiag_dst, &msg.req.id.idiag_dport) < 0 ||
	    family == 0)
		return 0; /* not a TCP/IP address: nothing to ask */
	msg.nlh.nlmsg_len = sizeof msg;
	msg.nlh.nlmsg_type = SOCK_DIAG_BY_FAMILY;
	msg.nlh.nlmsg_flags = NLM_F_REQUEST;
	msg.req.sdiag_family = (uint8_t)family;
	msg.req.sdiag_protocol = IPPROTO_TCP;
	msg.req.idiag_states = ~0U;
	msg.req.id.idiag_cookie[0] = INET_DIAG_NOCOOKIE;
	msg.req.id.idiag_cookie[1] = INET_DIAG_NOCOOKIE;
	if (sendto(fd, &msg, sizeof msg, 0, (const struct sockaddr *)&kernel,
		   sizeof kernel) != (ssize_t)sizeof msg)
		return -1;
	/* The answer is one message: the socket, or an error (ENOENT). */
	ssize_t n = recv(fd, buf, DIAG_BUF_SIZE, 0);
	if (n < (ssize_t)sizeof(struct nlmsghdr))
		return -1;
	const struct nlmsghdr *h = (const struct nlmsghdr *)buf;
	if (h->nlmsg_len < sizeof *h || h->nlmsg_len > (size_t)n)
		return -1;
	if (diag_handle_msg(h, &out) < 0)
		return errno == ENOENT ? 0 : -1;
	return out.count;
}

int diag_tcp_lookup(const struct diag_tuple *tuples, int n,
		    struct ss_event *rows, int max)
{
	_Alignas(struct nlmsghdr) unsigned char buf[DIAG_BUF_SIZE];
	struct timeval tv = {.tv_sec = 2};
	int count = 0;
	int fd = socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC, NETLINK_SOCK_DIAG);

	if (fd < 0)
		return -1;
	(void)setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	for (int i = 0; i < n && count < max; i++) {
		int rc = diag_lookup_one(fd, &tuples[i], &rows[count], buf);
		if (rc < 0) {
			int saved = errno;
			close(fd);
			errno = saved;
			return -1;
		}
		count += rc;
	}
	close(fd);
	for (int i = 0; i < count; i++)
		rows[i].u.sock.rows = count;
	return count;
}
