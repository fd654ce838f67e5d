/*
 * netns: a private network for a session whose both ends are sockstep's.
 *
 * unshare(CLONE_NEWUSER|CLONE_NEWNET) gives the process its own network
 * namespace, owned by its own user namespace, with no privilege needed
 * where the kernel allows it.  Inside there is only `lo` (brought up here):
 * every session has its own port space (no TIME_WAIT of an earlier run, no
 * collision with the host), nothing outside can reach it, and an ordinary
 * user may capture packets (CAP_NET_RAW in the namespace's own user
 * namespace is enough for AF_PACKET).  The uid and gid stay the same
 * inside (an identity map), so the table shows the learner's own uid.
 *
 * Distributions can refuse (kernel.unprivileged_userns_clone=0,
 * user.max_user_namespaces=0, Ubuntu's AppArmor restriction): netns_probe
 * says why in one line and the caller falls back to the host network.
 * SOCKSTEP_NO_NETNS=1 in the environment makes the probe refuse (tests,
 * or a teacher who wants the host network everywhere; so does --host-net).
 *
 * Only single-threaded processes can enter a user namespace: call these
 * before any thread exists.  The tracer calls netns_enter() before it
 * forks the programs it traces, so they share the private network.
 */
#ifndef SOCKSTEP_NETNS_H
#define SOCKSTEP_NETNS_H

#include <stddef.h>

/* Could this process enter a private network?  Tried in a child, so this
 * process is unchanged.  1, or 0 with why (one line, no "sockstep:"
 * prefix).  The answer is remembered for the next calls. */
int netns_probe(char *why, size_t whysz);

/* Move this process into a fresh private network with `lo` up: the first
 * call also makes its user namespace, later calls (a restarted session)
 * only a new network namespace, so no socket of the last one remains.
 * Children forked afterwards share it.  0, or -1 with err. */
int netns_enter(char *err, size_t errsz);

/* 1 when this process has entered a private network. */
int netns_active(void);

#endif
