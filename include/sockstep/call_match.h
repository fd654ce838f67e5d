/*
 * call_match: a lesson's steps held against a real program's calls (a
 * lesson with trace-server:, director_opts.match_calls).  A traced program
 * makes calls no step is about (Python's own sockets, a forking server's
 * child closing the listener); a step is held against the next call of its
 * actor that does what it says, and the calls in between pass.
 *
 * The rules, pure (no I/O; the registry is only read):
 *   - a call matches a step when it is the step's call (accept4 for
 *     accept, sendto/sendmsg for send, ...: script_call_matches) and, when
 *     the step names a socket the registry knows by its fd, on that fd:
 *     close(c) is the close of c's fd, not of any socket;
 *   - a matched call takes the step's socket names, so references
 *     (server.s) and the table's owners read as the lesson writes them;
 *   - a blocked line of a call the step is not about (a parent back in
 *     accept) means the step's call may come from another process.
 */
#ifndef SOCKSTEP_CALL_MATCH_H
#define SOCKSTEP_CALL_MATCH_H

#include "sockstep/event.h"
#include "sockstep/registry.h"
#include "sockstep/script.h"

/* 1: call event ev of st's actor is st's call; ev then carries st's
 * socket names.  0: a call st is not about (ev untouched). */
int call_match(const struct ss_step *st, const struct registry *reg,
	       struct ss_event *ev);
/* 1: ev (a blocked line) is of a call st is not about. */
int call_match_blocked_elsewhere(const struct ss_step *st,
				 const struct ss_event *ev);

/* What the director does with an event of an actor whose step st is in
 * flight (NULL: none), by the rules above. */
enum call_match_do {
	CALL_MATCH_STEP,    /* the step's own: judged as usual (a call then
			     * carries the step's names) */
	CALL_MATCH_PASS,    /* a call the step is not about: shown and
			     * recorded, not judged; the step goes on */
	CALL_MATCH_REGRANT, /* that passing call's end: not shown; let the
			     * actor make its next call */
	CALL_MATCH_ELSEWHERE, /* a call the step is not about waits: shown;
			       * let the actor make its next call */
};
/* *extra: a passing call of this actor has not ended yet (set by PASS,
 * cleared by REGRANT; the caller clears it when a new step begins). */
enum call_match_do call_match_event(const struct ss_step *st,
				    const struct registry *reg, int *extra,
				    struct ss_event *ev);

#endif
