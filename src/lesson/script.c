/* script: the steps as data, and the names of the calls. */
#include "sockstep/script.h"

#include <stdlib.h>
#include <string.h>

static const char *const call_names[SS_CALL_COUNT] = {
	[SS_CALL_SOCKET] = "socket",	     [SS_CALL_BIND] = "bind",
	[SS_CALL_LISTEN] = "listen",	     [SS_CALL_ACCEPT] = "accept",
	[SS_CALL_CONNECT] = "connect",	     [SS_CALL_SEND] = "send",
	[SS_CALL_RECV] = "recv",	     [SS_CALL_SENDTO] = "sendto",
	[SS_CALL_RECVFROM] = "recvfrom",     [SS_CALL_SETSOCKOPT] = "setsockopt",
	[SS_CALL_GETSOCKOPT] = "getsockopt", [SS_CALL_SHUTDOWN] = "shutdown",
	[SS_CALL_CLOSE] = "close",	     [SS_CALL_FIONREAD] = "ioctl",
	[SS_CALL_SLEEP] = "sleep",	     [SS_CALL_FCNTL] = "fcntl",
	[SS_CALL_POLL] = "poll",	     [SS_CALL_FORK] = "fork",
};

const char *script_call_name(enum ss_call call)
{
	return (unsigned)call < SS_CALL_COUNT ? call_names[call] : "?";
}

int script_call_matches(enum ss_call call, const char *name)
{
	enum ss_call_role role = event_call_role(name);

	switch (call) {
	case SS_CALL_SEND:
	case SS_CALL_SENDTO:
		return role == SS_ROLE_SEND;
	case SS_CALL_RECV:
	case SS_CALL_RECVFROM:
		return role == SS_ROLE_RECV;
	case SS_CALL_ACCEPT:
		return strncmp(name, "accept", 6) == 0;
	default:
		return strcmp(name, script_call_name(call)) == 0;
	}
}

int script_actor_index(const struct ss_script *sc, const char *name)
{
	for (int i = 0; i < sc->nactors; i++)
		if (strcmp(sc->actors[i], name) == 0)
			return i;
	return -1;
}

int script_total(const struct ss_script *sc)
{
	int total = sc->nsteps;

	if (sc->repeat_count > 1)
		total += (sc->repeat_count - 1) * (sc->repeat_to - sc->repeat_from + 1);
	return total;
}

void script_cursor_init(struct script_cursor *c, const struct ss_script *sc)
{
	memset(c, 0, sizeof *c);
	c->total = script_total(sc);
}

int script_cursor_advance(struct script_cursor *c, const struct ss_script *sc,
			  int idx)
{
	c->taken++;
	c->pc++;
	if (sc->repeat_count > 1 && idx == sc->repeat_to &&
	    c->repeats + 1 < sc->repeat_count) {
		c->repeats++;
		c->pc = sc->repeat_from;
	}
	return c->taken >= c->total;
}

int script_runs_free(const struct ss_script *sc, int quiz)
{
	if (sc->nactors != 1)
		return 0;
	for (int i = 0; i < sc->nsteps; i++) {
		const struct ss_step *st = &sc->steps[i];
		int addressed = st->call == SS_CALL_BIND ||
				st->call == SS_CALL_CONNECT || st->call == SS_CALL_SENDTO;
		if (st->nexpect || (quiz && st->ask[0]) ||
		    (addressed && st->target.kind == SS_ADDR_NONE))
			return 0;
	}
	return 1;
}

void script_free(struct ss_script *sc)
{
	free(sc->steps);
	memset(sc, 0, sizeof *sc);
}
