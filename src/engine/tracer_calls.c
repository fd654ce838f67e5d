/* tracer_calls: the table of socket calls a traced program can make. */
#include "sockstep/tracer_calls.h"

#include <fcntl.h>
#include <linux/audit.h>
#include <stddef.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))
#define ANY(sys, c) {SYS_##sys, #sys, c, TC_ON_ANY, -1, {0, 0}, 0}
#define FD0(sys, c) {SYS_##sys, #sys, c, TC_ON_FD0, -1, {0, 0}, 0}
#define FD0_IO(sys, c) {SYS_##sys, #sys, c, TC_ON_FD0, -1, {0, 0}, 1}
#define WAIT(sys, c) {SYS_##sys, #sys, c, TC_ON_WAIT, -1, {0, 0}, 0}

static const struct tcall_info table[] = {
	ANY(socket, TC_SOCKET),
	ANY(socketpair, TC_SOCKETPAIR),
	FD0(bind, TC_BIND),
	FD0(listen, TC_LISTEN),
#ifdef SYS_accept
	FD0(accept, TC_ACCEPT),
#endif
	FD0(accept4, TC_ACCEPT),
	FD0(connect, TC_CONNECT),
	FD0(shutdown, TC_SHUTDOWN),
	FD0_IO(close, TC_CLOSE),
	FD0(sendto, TC_SENDTO),
	FD0(recvfrom, TC_RECVFROM),
	FD0(sendmsg, TC_SENDMSG),
	FD0(recvmsg, TC_RECVMSG),
	FD0(sendmmsg, TC_SENDMMSG),
	FD0(recvmmsg, TC_RECVMMSG),
	FD0(setsockopt, TC_SETSOCKOPT),
	FD0(getsockopt, TC_GETSOCKOPT),
	FD0(getsockname, TC_GETSOCKNAME),
	FD0(getpeername, TC_GETPEERNAME),
	FD0_IO(read, TC_READ),
	FD0_IO(write, TC_WRITE),
	FD0_IO(readv, TC_READV),
	FD0_IO(writev, TC_WRITEV),
	/* fcntl stops only for F_SETFL (O_NONBLOCK on or off); ioctl only for
	 * FIONBIO (how Python's settimeout makes a socket non-blocking) and
	 * FIONREAD: a terminal's TCGETS never stops the program. */
	{SYS_fcntl, "fcntl", TC_FCNTL, TC_ON_FD0, 1, {F_SETFL, F_SETFL}, 1},
	{SYS_ioctl, "ioctl", TC_IOCTL, TC_ON_FD0, 1, {FIONBIO, FIONREAD}, 1},
#ifdef SYS_poll
	WAIT(poll, TC_POLL),
#endif
	WAIT(ppoll, TC_PPOLL),
#ifdef SYS_select
	WAIT(select, TC_SELECT),
#endif
	WAIT(pselect6, TC_PSELECT),
#ifdef SYS_epoll_wait
	WAIT(epoll_wait, TC_EPOLL_WAIT),
#endif
	WAIT(epoll_pwait, TC_EPOLL_WAIT),
#ifdef SYS_epoll_pwait2
	WAIT(epoll_pwait2, TC_EPOLL_WAIT),
#endif
	FD0(dup, TC_DUP),
#ifdef SYS_dup2
	FD0(dup2, TC_DUP2),
#endif
	FD0(dup3, TC_DUP3),
};

const struct tcall_info *tcall_table(int *count)
{
	*count = (int)ARRAY_LEN(table);
	return table;
}

const struct tcall_info *tcall_find(long nr)
{
	for (size_t i = 0; i < ARRAY_LEN(table); i++)
		if (table[i].nr == nr)
			return &table[i];
	return NULL;
}

unsigned tcall_audit_arch(void)
{
#if defined(__x86_64__)
	return AUDIT_ARCH_X86_64;
#elif defined(__aarch64__)
	return AUDIT_ARCH_AARCH64;
#else
	return 0; /* not supported: the tracer says so and refuses */
#endif
}
