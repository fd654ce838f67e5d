/*
 * actor: the child process that plays one role (server, client, ...).
 *
 * It waits for the director to grant a step ("go INDEX [ADDRESS]\n" on its
 * control pipe, ADDRESS resolving an "actor.sock" reference), performs that
 * step through the traced layer and reports on the shared event pipe, as
 * JSONL lines: a `begin` before the call, the `call` events, and an `end`
 * once the step is over.  "quit\n" or EOF ends it.
 *
 * It starts as a standalone program would: every fd of sockstep but its
 * two pipes is closed, and those move to FDS_HIGH (fds.h), so the first
 * socket is fd 3; SIGTERM and SIGHUP have their default action, so a kill
 * ends it at once and the director reports the signal.
 */
#ifndef SOCKSTEP_ACTOR_H
#define SOCKSTEP_ACTOR_H

#include "sockstep/script.h"

/* Run actor number `actor` of sc.  Never returns (exits the process). */
_Noreturn void actor_main(const struct ss_script *sc, int actor, int ctrl_fd,
			  int event_fd, int tracing);

#endif
