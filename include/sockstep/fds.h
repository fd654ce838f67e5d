/*
 * fds: keep sockstep's own file descriptors out of the learner's numbers.
 *
 * A standalone program's first socket is fd 3 and its first accepted socket
 * fd 4 (the kernel hands out the lowest free number).  An actor or a traced
 * program that inherited sockstep's pipes, /dev/null, the record file or the
 * capture socket would get 6 or 7 instead.  So a child keeps only the fds it
 * needs, moved to FDS_HIGH and above with FD_CLOEXEC, and closes the rest.
 */
#ifndef SOCKSTEP_FDS_H
#define SOCKSTEP_FDS_H

/* Where sockstep's own fds live in a child: far above what a lesson opens. */
#define FDS_HIGH 100

/* Duplicate fd to the lowest free number >= FDS_HIGH with FD_CLOEXEC and
 * close the original.  Returns the new fd, or -1 (errno set; fd untouched). */
int fds_move_high(int fd);

/* Close every fd >= 3 that is not in keep[0..nkeep).  0 or -1. */
int fds_close_others(const int *keep, int nkeep);

#endif
