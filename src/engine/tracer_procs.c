/* tracer_procs: the threads of a traced program and their current call. */
#include "sockstep/tracer_procs.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/pidfd.h>
#include <unistd.h>

void tprocs_init(struct tprocs *t)
{
	memset(t, 0, sizeof *t);
}

struct tproc *tprocs_find(struct tprocs *t, pid_t tid)
{
	for (int i = 0; i < t->n; i++)
		if (t->p[i].tid == tid)
			return &t->p[i];
	return NULL;
}

/* The thread group of tid, from /proc/TID/status; tid itself if unknown. */
static pid_t tgid_of(pid_t tid)
{
	char path[64], line[128];
	FILE *f;
	pid_t tgid = tid;

	snprintf(path, sizeof path, "/proc/%d/status", (int)tid);
	f = fopen(path, "r");
	if (f == NULL)
		return tid;
	while (fgets(line, sizeof line, f))
		if (strncmp(line, "Tgid:", 5) == 0) {
			tgid = (pid_t)atoi(line + 5);
			break;
		}
	fclose(f);
	return tgid > 0 ? tgid : tid;
}

struct tproc *tprocs_add(struct tprocs *t, pid_t tid)
{
	struct tproc *p = tprocs_find(t, tid);

	if (p != NULL)
		return p;
	if (t->n == TPROCS_MAX)
		return NULL;
	p = &t->p[t->n++];
	memset(p, 0, sizeof *p);
	p->tid = tid;
	p->pid = tgid_of(tid);
	p->pidfd = pidfd_open(p->pid, 0);
	p->dupfd = -1;
	p->state = TP_RUNNING;
	return p;
}

void tprocs_remove(struct tprocs *t, pid_t tid)
{
	struct tproc *p = tprocs_find(t, tid);

	if (p == NULL)
		return;
	if (p->pidfd >= 0)
		close(p->pidfd);
	if (p->dupfd >= 0)
		close(p->dupfd);
	*p = t->p[--t->n];
}

struct tproc *tprocs_oldest_gated(struct tprocs *t)
{
	struct tproc *best = NULL;

	for (int i = 0; i < t->n; i++)
		if (t->p[i].state == TP_GATED && (best == NULL || t->p[i].seq < best->seq))
			best = &t->p[i];
	return best;
}

int tprocs_has_pid(const struct tprocs *t, pid_t pid)
{
	for (int i = 0; i < t->n; i++)
		if (t->p[i].pid == pid)
			return 1;
	return 0;
}
