/*
 * proc: the life of a child process sockstep runs: forked tied to us,
 * seen asleep inside a call, stopped and reaped.
 *
 * A child must not outlive sockstep (PR_SET_PDEATHSIG), nor touch the
 * terminal the UI owns (stdio on /dev/null), nor die of the UI's ^C
 * (SIGINT ignored; sockstep stops it).  "Blocked" is read from the kernel:
 * state S or D in /proc/PID/stat while the process is inside a call, never
 * guessed from a timeout.  Stopping is bounded: SIGTERM, up to
 * PROC_STOP_WAIT seconds, then SIGKILL and a blocking reap.
 */
#ifndef SOCKSTEP_PROC_H
#define SOCKSTEP_PROC_H

#include <sys/types.h>

#define PROC_STOP_WAIT 1.0

/* The child's work; must not return (if it does, the child _exits 1). */
typedef void (*proc_main)(void *ctx);

/* Fork a child as above that closes close_fds[0..nclose) (the parent's
 * ends of its pipes) and runs fn(ctx).  Returns the pid, or -1 with errno. */
pid_t proc_spawn(proc_main fn, void *ctx, const int *close_fds, int nclose);
/* 1 if the process sleeps in the kernel now (S or D), else 0 (running,
 * stopped, gone). */
int proc_sleeping(pid_t pid);
/* 1 if the process is stopped (SIGSTOP, SIGTSTP, a debugger: state T or
 * t), else 0. */
int proc_stopped(pid_t pid);
/* Reap pid if it has exited, without waiting: 1 and *status, or 0. */
int proc_reaped(pid_t pid, int *status);
/* 1 once pid has exited (left unreaped for proc_reaped), waiting at most
 * seconds; 0 if it still runs then. */
int proc_exited_within(pid_t pid, double seconds);
/* SIGTERM every pids[i] > 0, wait for them (bounded), SIGKILL the rest;
 * each reaped pid is set to 0. */
void proc_stop(pid_t *pids, int n);
/* SIGKILL and reap at once (a fatal signal's exit path); pids set to 0. */
void proc_kill(pid_t *pids, int n);

#endif
