/* tracer_addrs: addresses of connected TCP sockets, kept by inode. */
#include "sockstep/tracer_addrs.h"

#include <netinet/tcp.h>
#include <string.h>
#include <sys/socket.h>

#include "sockstep/cut.h"

int taddrs_connected(int state)
{
	/* From ESTABLISHED to CLOSE the kernel keeps inet_daddr/dport and
	 * the bound source; only CLOSE lets connect() pick new ones. */
	return state == TCP_ESTABLISHED || state == TCP_FIN_WAIT1 ||
	       state == TCP_FIN_WAIT2 || state == TCP_CLOSE_WAIT ||
	       state == TCP_CLOSING || state == TCP_LAST_ACK;
}

void taddrs_put(struct taddrs *a, unsigned long inode,
		const struct ss_call_event *c)
{
	unsigned slot = (unsigned)(inode % TADDRS_SLOTS);

	if (inode == 0)
		return;
	if (!taddrs_connected(c->state) || c->local[0] == '\0' ||
	    c->peer[0] == '\0') {
		taddrs_forget(a, inode);
		return;
	}
	a->e[slot].inode = inode;
	a->e[slot].family = c->family;
	cut_copy(a->e[slot].local, sizeof a->e[slot].local, c->local);
	cut_copy(a->e[slot].peer, sizeof a->e[slot].peer, c->peer);
}

int taddrs_get(const struct taddrs *a, unsigned long inode,
	       struct ss_call_event *c)
{
	unsigned slot = (unsigned)(inode % TADDRS_SLOTS);

	if (inode == 0 || a->e[slot].inode != inode)
		return 0;
	c->family = a->e[slot].family;
	cut_copy(c->local, sizeof c->local, a->e[slot].local);
	cut_copy(c->peer, sizeof c->peer, a->e[slot].peer);
	return 1;
}

void taddrs_forget(struct taddrs *a, unsigned long inode)
{
	unsigned slot = (unsigned)(inode % TADDRS_SLOTS);

	if (inode == 0)
		memset(a->e, 0, sizeof a->e);
	else if (a->e[slot].inode == inode)
		a->e[slot].inode = 0;
}

int taddrs_call_keeps(const struct tcall_info *c,
		      const unsigned long long args[6])
{
	switch (c->call) {
	case TC_RECVFROM: case TC_RECVMSG: case TC_RECVMMSG: case TC_READ:
	case TC_WRITE: case TC_READV: case TC_WRITEV: case TC_GETSOCKOPT:
	case TC_GETSOCKNAME: case TC_GETPEERNAME: case TC_FCNTL:
	case TC_IOCTL: case TC_DUP:
		return 1;
	case TC_SENDTO:
		/* an address or MSG_FASTOPEN connects a socket in CLOSE */
		return args[4] == 0 && !(args[3] & MSG_FASTOPEN);
	case TC_SETSOCKOPT:
		/* IPV6_ADDRFORM turns a socket's addresses into IPv4 ones;
		 * TCP_REPAIR can move a socket to CLOSE */
		return args[1] == SOL_SOCKET;
	default:
		return 0;
	}
}
