/*
 * actor: the child process that plays one role (server, client, ...).
 *
 * It waits for the director to grant a step ("go INDEX [ADDRESS]\n" on its
 * control pipe, ADDRESS resolving an "actor.sock" reference), performs that
 * step through the traced layer and reports on the shared event pipe: a
 * `begin` before the call, the `call` events, and an `end` once the step is
 * over.  "quit\n" or EOF ends it.
 *
 * "run\n" lets it run free: it takes the whole script by itself, in the
 * script's order (script_cursor), with no grant per step, still reporting
 * `begin`, `call` and `end` for each step; a failed call skips the steps
 * its on-error says, or ends the run.  Only for a script of one actor with
 * no reference to resolve, no expectation and no question: nothing the
 * director does between two steps can change what the next one does.
 * Reports are then sent in batches, always before a call that can block,
 * so that the director sees the `begin` of a call the actor sleeps in.
 *
 * The event pipe carries each event as a struct ss_event, as is: a record
 * of fixed size smaller than PIPE_BUF, written in whole records at most
 * PIPE_BUF bytes at a time, so that writes are atomic and the records of
 * several actors never interleave.  JSON is written by the sinks only.
 *
 * It starts as a standalone program would: every fd of sockstep but its
 * two pipes is closed, and those move to FDS_HIGH (fds.h), so the first
 * socket is fd 3; SIGTERM and SIGHUP have their default action, so a kill
 * ends it at once and the director reports the signal.
 */
#ifndef SOCKSTEP_ACTOR_H
#define SOCKSTEP_ACTOR_H

#include <stddef.h>
#include "sockstep/script.h"

/* Records held between two reads of the event pipe (a partial record). */
#define ACTOR_INBOX_RECORDS 64

struct actor_inbox {
	size_t len;
	unsigned char buf[ACTOR_INBOX_RECORDS * sizeof(struct ss_event)];
};

/* Read what is on the (non-blocking) event pipe and hand each whole record
 * to fn, its `t` as the actor stamped it (event_clock_now()).  Returns the
 * records handed, or -1 at end of file (every actor has exited). */
int actor_inbox_read(struct actor_inbox *in, int fd,
		     void (*fn)(void *ctx, struct ss_event *ev), void *ctx);

/* Run actor number `actor` of sc.  Never returns (exits the process). */
_Noreturn void actor_main(const struct ss_script *sc, int actor, int ctrl_fd,
			  int event_fd, int tracing);

#endif
