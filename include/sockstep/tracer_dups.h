/*
 * tracer_dups: our pidfd_getfd dups of a traced program's sockets, kept
 * between its calls so a call on a known socket costs no dup, no fstat
 * and no close of ours.
 *
 * A kept dup holds the socket open: it must be gone before the program's
 * own close of the fd runs, or that close would send no FIN.  So the
 * tracer forgets (pid, fd) at the seccomp entry stop of close, and of
 * dup2/dup3 onto fd, all of a process at exec (its CLOEXEC fds) and at
 * exit.  Only sockets (inode known) on fds above stderr (the filter lets
 * close(0..2) pass unseen) are kept.  Bounded: TDUPS_MAX, the oldest
 * closed first.  Zeroed memory is an empty set.
 */
#ifndef SOCKSTEP_TRACER_DUPS_H
#define SOCKSTEP_TRACER_DUPS_H

#include <sys/types.h>

#define TDUPS_MAX 32

struct tdups {
	struct {
		pid_t pid; /* 0: empty */
		int fd;    /* the program's fd */
		int dup;   /* ours */
		unsigned long ino;
	} e[TDUPS_MAX];
	int next;              /* the slot taken next when all are used */
	unsigned long forgets; /* bumped by every forget */
};

/* Our kept dup of pid's fd, now the caller's to keep again or close
 * (*ino its inode), or -1. */
int tdups_take(struct tdups *d, pid_t pid, int fd, unsigned long *ino);
/* Keep dup (the caller's) for pid's fd; closed instead if it is no
 * socket, fd is stdio, or anything was forgotten since *since* (a close
 * by another thread may have made fd another file meanwhile). */
void tdups_keep(struct tdups *d, pid_t pid, int fd, int dup,
		unsigned long ino, unsigned long since);
/* Close our dup of pid's fd; of all of pid's fds with fd < 0. */
void tdups_forget(struct tdups *d, pid_t pid, int fd);

#endif
