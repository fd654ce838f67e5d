/* tracer_filter: seccomp-bpf that stops only the socket calls. */
#include "sockstep/tracer_filter.h"

#include <endian.h>
#include <errno.h>
#include <linux/seccomp.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "sockstep/i18n.h"
#include "sockstep/tracer_calls.h"

/* The low 32 bits of argument i: fds, fcntl commands and ioctl requests
 * are ints, whatever the upper half holds. */
#if __BYTE_ORDER == __LITTLE_ENDIAN
#define ARG_LO(i) (offsetof(struct seccomp_data, args) + 8 * (i))
#else
#define ARG_LO(i) (offsetof(struct seccomp_data, args) + 8 * (i) + 4)
#endif

#define LD(off) BPF_STMT(BPF_LD | BPF_W | BPF_ABS, (off))
#define RET(v) BPF_STMT(BPF_RET | BPF_K, (v))
#define JEQ(k, t, f) BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (k), (t), (f))
#define JGE(k, t, f) BPF_JUMP(BPF_JMP | BPF_JGE | BPF_K, (k), (t), (f))

/* One call: "if nr matches, decide here; else jump over this block".
 * The block ends in its own RET TRACE and RET ALLOW. */
static int emit_call(struct sock_filter *out, int max,
		     const struct tcall_info *c)
{
	int body = (c->skip_stdio ? 2 : 0) + (c->arg >= 0 ? 3 : 0) + 2;
	int n = 0, trace, allow;

	if (1 + body > max)
		return -1;
	out[n++] = (struct sock_filter)JEQ((unsigned)c->nr, 0, (unsigned char)body);
	trace = n + body - 2;
	allow = n + body - 1;
	if (c->skip_stdio) {
		out[n++] = (struct sock_filter)LD(ARG_LO(0));
		out[n] = (struct sock_filter)JGE(3, 0, (unsigned char)(allow - n - 1));
		n++;
	}
	if (c->arg >= 0) {
		out[n++] = (struct sock_filter)LD(ARG_LO(c->arg));
		out[n] = (struct sock_filter)JEQ((unsigned)c->values[0],
						 (unsigned char)(trace - n - 1), 0);
		n++;
		out[n] = (struct sock_filter)JEQ((unsigned)c->values[1],
						 (unsigned char)(trace - n - 1),
						 (unsigned char)(allow - n - 1));
		n++;
	}
	out[n++] = (struct sock_filter)RET(SECCOMP_RET_TRACE);
	out[n++] = (struct sock_filter)RET(SECCOMP_RET_ALLOW);
	return n;
}

int tfilter_build(struct sock_filter *out, int max)
{
	unsigned arch = tcall_audit_arch();
	const struct tcall_info *t;
	int count, n = 0;

	if (arch == 0 || max < 8)
		return -1;
	t = tcall_table(&count);
	out[n++] = (struct sock_filter)LD(offsetof(struct seccomp_data, arch));
	out[n++] = (struct sock_filter)JEQ(arch, 1, 0);
	out[n++] = (struct sock_filter)RET(SECCOMP_RET_ALLOW);
	for (int i = 0; i < count; i++) {
		int w;
		out[n++] = (struct sock_filter)LD(offsetof(struct seccomp_data, nr));
		if (n >= max)
			return -1;
		w = emit_call(out + n, max - n - 1, &t[i]);
		if (w < 0)
			return -1;
		n += w;
	}
	out[n++] = (struct sock_filter)RET(SECCOMP_RET_ALLOW);
	return n;
}

int tfilter_install(char *err, size_t errsz)
{
	struct sock_filter prog[TFILTER_MAX];
	struct sock_fprog fprog;
	int n = tfilter_build(prog, TFILTER_MAX);

	if (n < 0) {
		snprintf(err, errsz, "%s", _("no seccomp filter for this architecture"));
		return -1;
	}
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0) {
		snprintf(err, errsz, "prctl(PR_SET_NO_NEW_PRIVS): %s", strerror(errno));
		return -1;
	}
	fprog.len = (unsigned short)n;
	fprog.filter = prog;
	if (syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &fprog) < 0) {
		snprintf(err, errsz, "seccomp: %s", strerror(errno));
		return -1;
	}
	return 0;
}
