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

void script_free(struct ss_script *sc)
{
	free(sc->steps);
	memset(sc, 0, sizeof *sc);
}
