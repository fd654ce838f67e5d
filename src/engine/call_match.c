/*
 * call_match: a step held against the calls of a real program
 * (call_match.h).
 */
#include "sockstep/call_match.h"

#include <stdio.h>

int call_match(const struct ss_step *st, const struct registry *reg,
	       struct ss_event *ev)
{
	const struct registry_sock *named;

	if (!script_call_matches(st->call, ev->u.call.name))
		return 0;
	/* close(c) is the close of c's fd, not of any socket (a forking
	 * server's child closes the listener, its parent the connection) */
	named = st->sock[0] ? registry_find(reg, ev->actor, st->sock) : NULL;
	if (named && named->fd >= 0 && ev->u.call.fd >= 0 && named->fd != ev->u.call.fd)
		return 0;
	snprintf(ev->u.call.sock, sizeof ev->u.call.sock, "%s", st->sock);
	if (st->result[0])
		snprintf(ev->u.call.newsock, sizeof ev->u.call.newsock, "%s", st->result);
	return 1;
}

int call_match_blocked_elsewhere(const struct ss_step *st,
				 const struct ss_event *ev)
{
	return !script_call_matches(st->call, ev->u.call.name);
}

enum call_match_do call_match_event(const struct ss_step *st,
				    const struct registry *reg, int *extra,
				    struct ss_event *ev)
{
	switch (ev->kind) {
	case SS_EV_CALL:
		if (st && call_match(st, reg, ev))
			return CALL_MATCH_STEP;
		*extra = 1;
		return CALL_MATCH_PASS;
	case SS_EV_END:
		if (!*extra)
			return CALL_MATCH_STEP;
		*extra = 0;
		return CALL_MATCH_REGRANT;
	case SS_EV_BLOCKED:
		/* a parent back in accept: the step's call may come from
		 * another process */
		return st && call_match_blocked_elsewhere(st, ev) ? CALL_MATCH_ELSEWHERE
								  : CALL_MATCH_STEP;
	default:
		return CALL_MATCH_STEP;
	}
}
