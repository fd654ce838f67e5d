/* script: parse lessons (Markdown + sockstep blocks) into steps. */
#include "sockstep/script.h"

#include <ctype.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "sockstep/expect.h"

#define LINE_MAX_LEN 1024
#define SCRIPT_TEXT_MAX (256 * 1024)

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

/* Arguments each call takes: minimum and maximum. */
static const struct {
	int min, max;
	int needs_result; /* "x = call(...)" */
} call_arity[SS_CALL_COUNT] = {
	[SS_CALL_SOCKET] = {2, 2, 1},	  [SS_CALL_BIND] = {2, 2, 0},
	[SS_CALL_LISTEN] = {2, 2, 0},	  [SS_CALL_ACCEPT] = {1, 1, 1},
	[SS_CALL_CONNECT] = {2, 2, 0},	  [SS_CALL_SEND] = {2, 3, 0},
	[SS_CALL_RECV] = {2, 3, 0},	  [SS_CALL_SENDTO] = {3, 4, 0},
	[SS_CALL_RECVFROM] = {2, 3, 0},	  [SS_CALL_SETSOCKOPT] = {3, 4, 0},
	[SS_CALL_GETSOCKOPT] = {2, 2, 0}, [SS_CALL_SHUTDOWN] = {2, 2, 0},
	[SS_CALL_CLOSE] = {1, 1, 0},	  [SS_CALL_FIONREAD] = {2, 2, 0},
	[SS_CALL_SLEEP] = {1, 1, 0},	  [SS_CALL_FCNTL] = {2, 2, 0},
	[SS_CALL_POLL] = {3, SCRIPT_POLL_MAX + 2, 0}, [SS_CALL_FORK] = {1, 1, 0},
};

struct named_int {
	const char *name;
	int value;
};

static const struct named_int families[] = {
	{"AF_INET", AF_INET}, {"AF_INET6", AF_INET6}, {"AF_UNIX", AF_UNIX},
	{"AF_LOCAL", AF_UNIX}, {NULL, 0}};
static const struct named_int types[] = {
	{"SOCK_STREAM", SOCK_STREAM}, {"SOCK_DGRAM", SOCK_DGRAM}, {NULL, 0}};
static const struct named_int msg_flags[] = {
	{"MSG_PEEK", MSG_PEEK},		{"MSG_TRUNC", MSG_TRUNC},
	{"MSG_DONTWAIT", MSG_DONTWAIT}, {"MSG_WAITALL", MSG_WAITALL},
	{"MSG_NOSIGNAL", MSG_NOSIGNAL}, {"0", 0},
	{NULL, 0}};
static const struct named_int poll_events[] = {
	{"POLLIN", POLLIN}, {"POLLOUT", POLLOUT}, {NULL, 0}};
static const struct named_int hows[] = {{"SHUT_RD", SHUT_RD},
					{"SHUT_WR", SHUT_WR},
					{"SHUT_RDWR", SHUT_RDWR},
					{NULL, 0}};

/* Socket options a lesson may set or read: level and number. */
static const struct {
	const char *name;
	int level, optname;
} options[] = {
	{"SO_REUSEADDR", SOL_SOCKET, SO_REUSEADDR},
	{"SO_REUSEPORT", SOL_SOCKET, SO_REUSEPORT},
	{"SO_RCVTIMEO", SOL_SOCKET, SO_RCVTIMEO},
	{"SO_SNDTIMEO", SOL_SOCKET, SO_SNDTIMEO},
	{"SO_LINGER", SOL_SOCKET, SO_LINGER},
	{"SO_RCVBUF", SOL_SOCKET, SO_RCVBUF},
	{"SO_SNDBUF", SOL_SOCKET, SO_SNDBUF},
	{"SO_KEEPALIVE", SOL_SOCKET, SO_KEEPALIVE},
	{"SO_ERROR", SOL_SOCKET, SO_ERROR},
	{"SO_TYPE", SOL_SOCKET, SO_TYPE},
	{"SO_PEERCRED", SOL_SOCKET, SO_PEERCRED},
	{"TCP_NODELAY", IPPROTO_TCP, TCP_NODELAY},
	{"TCP_SYNCNT", IPPROTO_TCP, TCP_SYNCNT},
	{"TCP_QUICKACK", IPPROTO_TCP, TCP_QUICKACK},
	{"TCP_DEFER_ACCEPT", IPPROTO_TCP, TCP_DEFER_ACCEPT},
	{"IPV6_V6ONLY", IPPROTO_IPV6, IPV6_V6ONLY},
	{NULL, 0, 0},
};

const char *script_call_name(enum ss_call call)
{
	return (unsigned)call < SS_CALL_COUNT ? call_names[call] : "?";
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

struct parser {
	struct ss_script *sc;
	const char *name;
	int line;
	char *err;
	size_t errsz;
	/* sockets named so far, per actor, to catch typos at load time */
	char socks[SCRIPT_MAX_ACTORS][16][SS_NAME_MAX];
	int nsocks[SCRIPT_MAX_ACTORS];
};

static int fail(struct parser *p, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static int fail(struct parser *p, const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	snprintf(p->err, p->errsz, "%s:%d: %s", p->name, p->line, msg);
	return -1;
}

static char *trim(char *s)
{
	char *end;

	while (isspace((unsigned char)*s))
		s++;
	end = s + strlen(s);
	while (end > s && isspace((unsigned char)end[-1]))
		*--end = '\0';
	return s;
}

static int is_ident(const char *s)
{
	if (!isalpha((unsigned char)*s) && *s != '_')
		return 0;
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && *s != '_')
			return 0;
	return 1;
}

static int lookup(const struct named_int *table, const char *name, int *out)
{
	for (; table->name; table++)
		if (strcmp(table->name, name) == 0) {
			*out = table->value;
			return 0;
		}
	return -1;
}

static int parse_long(const char *s, long lo, long hi, long *out)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || end == s || *end || v < lo || v > hi)
		return -1;
	*out = v;
	return 0;
}

static int parse_seconds(const char *s, double *out)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(s, &end);
	if (errno || end == s || *end || !(v >= 0 && v <= 3600))
		return -1;
	*out = v;
	return 0;
}

/* A quoted C-like string: "text\n\x1b". Returns length or -1. */
static long parse_quoted(const char *s, unsigned char *out, size_t outsz)
{
	size_t n = 0;
	size_t len = strlen(s);

	if (len < 2 || s[0] != '"' || s[len - 1] != '"')
		return -1;
	for (size_t i = 1; i < len - 1; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '\\') {
			char e = s[++i];
			if (i >= len - 1)
				return -1;
			if (e == 'n')
				c = '\n';
			else if (e == 'r')
				c = '\r';
			else if (e == 't')
				c = '\t';
			else if (e == '0')
				c = '\0';
			else if (e == '\\' || e == '"')
				c = (unsigned char)e;
			else if (e == 'x' && i + 2 < len - 1 &&
				 isxdigit((unsigned char)s[i + 1]) &&
				 isxdigit((unsigned char)s[i + 2])) {
				char hex[3] = {s[i + 1], s[i + 2], 0};
				c = (unsigned char)strtol(hex, NULL, 16);
				i += 2;
			} else
				return -1;
		}
		if (n >= outsz)
			return -1;
		out[n++] = c;
	}
	return (long)n;
}

/* Split "a, "x,y", c" at top-level commas. */
static int split_args(char *s, char **argv, int max)
{
	int argc = 0;
	int quoted = 0;
	char *start = s;

	if (*trim(s) == '\0')
		return 0;
	for (char *c = s;; c++) {
		if (*c == '\\' && quoted && c[1]) {
			c++;
			continue;
		}
		if (*c == '"')
			quoted = !quoted;
		if ((*c == ',' && !quoted) || *c == '\0') {
			int end = *c == '\0';
			if (argc == max)
				return -1;
			*c = '\0';
			argv[argc++] = trim(start);
			start = c + 1;
			if (end)
				break;
		}
	}
	return quoted ? -1 : argc;
}

static int find_sock(struct parser *p, int actor, const char *name)
{
	for (int i = 0; i < p->nsocks[actor]; i++)
		if (strcmp(p->socks[actor][i], name) == 0)
			return i;
	return -1;
}

static int add_sock(struct parser *p, int actor, const char *name)
{
	if (find_sock(p, actor, name) >= 0)
		return 0;
	if (p->nsocks[actor] == 16)
		return fail(p, "too many sockets for one actor (at most 16)");
	snprintf(p->socks[actor][p->nsocks[actor]++], SS_NAME_MAX, "%s", name);
	return 0;
}

static int need_sock(struct parser *p, int actor, const char *name)
{
	if (!is_ident(name) || strlen(name) >= SS_NAME_MAX)
		return fail(p, "'%s' is not a socket name", name);
	if (find_sock(p, actor, name) < 0)
		return fail(p, "socket '%s' of %s is used before socket() or accept() made it",
			    name, p->sc->actors[actor]);
	return 0;
}

/* Addresses: host:port, [v6]:port, /unix/path, @abstract, actor.sock. */
static int check_addr(struct parser *p, const char *a)
{
	const char *colon;
	long port;

	if (strlen(a) >= SS_ADDR_MAX)
		return fail(p, "address '%s' is too long", a);
	if (a[0] == '/' || a[0] == '@')
		return 0;
	colon = strrchr(a, ':');
	if (colon == NULL) {
		char actor[SS_NAME_MAX], sock[SS_NAME_MAX];
		int ai;
		if (sscanf(a, "%15[A-Za-z0-9_].%15[A-Za-z0-9_]", actor, sock) != 2 ||
		    strlen(actor) + strlen(sock) + 1 != strlen(a))
			return fail(p, "address '%s': expected host:port, a path or actor.socket", a);
		ai = script_actor_index(p->sc, actor);
		if (ai < 0)
			return fail(p, "address '%s': unknown actor '%s'", a, actor);
		if (find_sock(p, ai, sock) < 0)
			return fail(p, "address '%s': %s has no socket '%s' yet", a, actor, sock);
		return 0;
	}
	if (colon == a)
		return fail(p, "address '%s' has no host", a);
	if (strcmp(colon + 1, "auto") == 0)
		return 0;
	if (parse_long(colon + 1, 0, 65535, &port) < 0)
		return fail(p, "port '%s' is not a number from 0 to 65535 (or auto)", colon + 1);
	return 0;
}

static int parse_flags(struct parser *p, const char *s, int *out)
{
	char buf[128];
	char *save = NULL;

	*out = 0;
	snprintf(buf, sizeof buf, "%s", s);
	for (char *tok = strtok_r(buf, "|", &save); tok;
	     tok = strtok_r(NULL, "|", &save)) {
		int f;
		if (lookup(msg_flags, trim(tok), &f) < 0)
			return fail(p, "unknown flag '%s' (MSG_PEEK, MSG_TRUNC, MSG_DONTWAIT, MSG_WAITALL, MSG_NOSIGNAL)",
				    trim(tok));
		*out |= f;
	}
	return 0;
}

static int parse_poll_events(struct parser *p, const char *s, int *out)
{
	char buf[64];
	char *save = NULL;

	*out = 0;
	snprintf(buf, sizeof buf, "%s", s);
	for (char *tok = strtok_r(buf, "|", &save); tok;
	     tok = strtok_r(NULL, "|", &save)) {
		int f;
		if (lookup(poll_events, trim(tok), &f) < 0)
			return fail(p, "poll events '%s': POLLIN, POLLOUT or POLLIN|POLLOUT",
				    s);
		*out |= f;
	}
	return *out ? 0 : fail(p, "poll needs POLLIN and/or POLLOUT");
}

static int parse_data(struct parser *p, struct ss_step *st, const char *arg)
{
	long n;

	if (strcmp(arg, SCRIPT_SEED_REPLY) == 0 ||
	    strcmp(arg, SCRIPT_TUTORIAL_REPLY) == 0) {
		/* one marker for the actor, whichever name was written */
		memcpy(st->data, SCRIPT_SEED_REPLY, strlen(SCRIPT_SEED_REPLY));
		st->data_len = strlen(SCRIPT_SEED_REPLY);
		return 0;
	}
	if (strncmp(arg, SCRIPT_FILL, strlen(SCRIPT_FILL)) == 0) {
		if (parse_long(arg + strlen(SCRIPT_FILL), 1, SCRIPT_FILL_MAX, &n) < 0)
			return fail(p, "%sN takes a byte count from 1 to %ld", SCRIPT_FILL,
				    SCRIPT_FILL_MAX);
		st->data_len = (size_t)snprintf((char *)st->data, sizeof st->data,
						"%s%ld", SCRIPT_FILL, n);
		return 0;
	}
	n = parse_quoted(arg, st->data, sizeof st->data);
	if (n < 0)
		return fail(p, "data must be a quoted string (\"1\", \"a\\nb\", \"\\x1b\") of at most %d bytes, %s or %sN",
			    SCRIPT_DATA_MAX, SCRIPT_TUTORIAL_REPLY, SCRIPT_FILL);
	st->data_len = (size_t)n;
	return 0;
}

static int parse_option(struct parser *p, struct ss_step *st, char **argv,
			int argc)
{
	int i;

	for (i = 0; options[i].name; i++)
		if (strcmp(options[i].name, argv[1]) == 0)
			break;
	if (options[i].name == NULL)
		return fail(p, "unknown socket option '%s'", argv[1]);
	st->level = options[i].level;
	st->optname = options[i].optname;
	snprintf(st->addr, sizeof st->addr, "%s", argv[1]);
	if (st->call == SS_CALL_GETSOCKOPT)
		return 0;
	if (argc < 3)
		return fail(p, "setsockopt needs a value");
	if (st->optname == SO_RCVTIMEO || st->optname == SO_SNDTIMEO) {
		if (st->level == SOL_SOCKET && parse_seconds(argv[2], &st->seconds) < 0)
			return fail(p, "timeout '%s' is not seconds from 0 to 3600", argv[2]);
		return 0;
	}
	if (parse_long(argv[2], 0, 1L << 30, &st->num) < 0)
		return fail(p, "option value '%s' is not a number", argv[2]);
	if (argc == 4 && parse_long(argv[3], 0, 1L << 30, &st->num2) < 0)
		return fail(p, "option value '%s' is not a number", argv[3]);
	return 0;
}

/* poll(a, b, ..., EVENTS, TIMEOUT_MS): the sockets' names go into addr,
 * space-separated, for the actor to look up. */
static int parse_poll(struct parser *p, struct ss_step *st, char **argv,
		      int argc)
{
	size_t used = 0;

	for (int i = 0; i < argc - 2; i++) {
		if (need_sock(p, st->actor, argv[i]) < 0)
			return -1;
		used += (size_t)snprintf(st->addr + used, sizeof st->addr - used,
					 "%s%s", i ? " " : "", argv[i]);
	}
	snprintf(st->sock, sizeof st->sock, "%s", argv[0]);
	if (parse_poll_events(p, argv[argc - 2], &st->flags) < 0)
		return -1;
	if (parse_long(argv[argc - 1], -1, 60000, &st->num) < 0)
		return fail(p, "poll timeout '%s' is not milliseconds from -1 to 60000",
			    argv[argc - 1]);
	return 0;
}

static int parse_call(struct parser *p, struct ss_step *st, char *text)
{
	char *open = strchr(text, '(');
	char *close = strrchr(text, ')');
	char *argv[SCRIPT_POLL_MAX + 2];
	int argc;
	int ci;
	int actor = st->actor;
	char *eq = NULL;

	/* "c = accept(s)": a name bound to the new socket */
	if (open)
		for (char *c = text; c < open; c++)
			if (*c == '=')
				eq = c;
	if (eq) {
		*eq = '\0';
		char *res = trim(text);
		if (!is_ident(res) || strlen(res) >= SS_NAME_MAX)
			return fail(p, "'%s' is not a socket name", res);
		snprintf(st->result, sizeof st->result, "%s", res);
		text = eq + 1;
	}
	if (open == NULL || close == NULL || close < open || *trim(close + 1))
		return fail(p, "expected call(arguments), got '%s'", trim(text));
	*open = '\0';
	*close = '\0';
	text = trim(text);
	for (ci = 0; ci < SS_CALL_COUNT; ci++)
		if (strcmp(call_names[ci], text) == 0)
			break;
	if (ci == SS_CALL_COUNT)
		return fail(p, "unknown call '%s'", text);
	st->call = (enum ss_call)ci;
	argc = split_args(open + 1, argv, SCRIPT_POLL_MAX + 2);
	if (argc < call_arity[ci].min || argc > call_arity[ci].max)
		return fail(p, "%s takes %d%s argument%s, got %d", text,
			    call_arity[ci].min,
			    call_arity[ci].max > call_arity[ci].min ? " or more" : "",
			    call_arity[ci].max == 1 ? "" : "s", argc < 0 ? 0 : argc);
	if (call_arity[ci].needs_result && st->result[0] == '\0')
		return fail(p, "%s makes a socket: write 'name = %s(...)'", text, text);
	if (!call_arity[ci].needs_result && st->result[0])
		return fail(p, "%s does not make a socket", text);

	if (st->call == SS_CALL_SLEEP) {
		if (parse_seconds(argv[0], &st->seconds) < 0)
			return fail(p, "sleep takes seconds from 0 to 3600, got '%s'", argv[0]);
		return 0;
	}
	if (st->call == SS_CALL_FORK) {
		if (parse_seconds(argv[0], &st->seconds) < 0 || st->seconds > 60)
			return fail(p, "fork takes the seconds its child holds the fds, 0 to 60, got '%s'",
				    argv[0]);
		return 0;
	}
	if (st->call == SS_CALL_POLL)
		return parse_poll(p, st, argv, argc);
	if (st->call == SS_CALL_SOCKET) {
		if (lookup(families, argv[0], &st->family) < 0)
			return fail(p, "unknown family '%s' (AF_INET, AF_INET6, AF_UNIX)", argv[0]);
		if (lookup(types, argv[1], &st->type) < 0)
			return fail(p, "unknown type '%s' (SOCK_STREAM, SOCK_DGRAM)", argv[1]);
		return add_sock(p, actor, st->result);
	}
	if (need_sock(p, actor, argv[0]) < 0)
		return -1;
	snprintf(st->sock, sizeof st->sock, "%s", argv[0]);
	switch (st->call) {
	case SS_CALL_BIND:
	case SS_CALL_CONNECT:
		if (check_addr(p, argv[1]) < 0)
			return -1;
		snprintf(st->addr, sizeof st->addr, "%s", argv[1]);
		return 0;
	case SS_CALL_LISTEN:
		if (parse_long(argv[1], 0, 65535, &st->num) < 0)
			return fail(p, "backlog '%s' is not a number from 0 to 65535", argv[1]);
		return 0;
	case SS_CALL_ACCEPT:
		return add_sock(p, actor, st->result);
	case SS_CALL_SEND:
		if (parse_data(p, st, argv[1]) < 0)
			return -1;
		return argc == 3 ? parse_flags(p, argv[2], &st->flags) : 0;
	case SS_CALL_SENDTO:
		if (parse_data(p, st, argv[1]) < 0 || check_addr(p, argv[2]) < 0)
			return -1;
		snprintf(st->addr, sizeof st->addr, "%s", argv[2]);
		return argc == 4 ? parse_flags(p, argv[3], &st->flags) : 0;
	case SS_CALL_RECV:
	case SS_CALL_RECVFROM:
		if (parse_long(argv[1], 0, SCRIPT_DATA_MAX * 64, &st->num) < 0)
			return fail(p, "buffer size '%s' is not a number from 0 to %d",
				    argv[1], SCRIPT_DATA_MAX * 64);
		return argc == 3 ? parse_flags(p, argv[2], &st->flags) : 0;
	case SS_CALL_SETSOCKOPT:
	case SS_CALL_GETSOCKOPT:
		return parse_option(p, st, argv, argc);
	case SS_CALL_SHUTDOWN: {
		int how;
		if (lookup(hows, argv[1], &how) < 0)
			return fail(p, "shutdown takes SHUT_RD, SHUT_WR or SHUT_RDWR");
		st->num = how;
		return 0;
	}
	case SS_CALL_FIONREAD:
		if (strcmp(argv[1], "FIONREAD") != 0)
			return fail(p, "ioctl supports FIONREAD only");
		return 0;
	case SS_CALL_FCNTL:
		if (strcmp(argv[1], "O_NONBLOCK") != 0)
			return fail(p, "fcntl supports O_NONBLOCK only (it sets the flag)");
		return 0;
	default:
		return 0;
	}
}

static int get_actor(struct parser *p, const char *name)
{
	int i = script_actor_index(p->sc, name);

	if (i >= 0)
		return i;
	/* Actors are server, client, or numbered: client2, server2... */
	if (strncmp(name, "server", 6) != 0 && strncmp(name, "client", 6) != 0)
		return fail(p, "unknown actor '%s' (server, client, client2, ...)", name);
	if (!is_ident(name) || strlen(name) >= SS_NAME_MAX)
		return fail(p, "unknown actor '%s'", name);
	for (const char *c = name + 6; *c; c++)
		if (!isdigit((unsigned char)*c))
			return fail(p, "unknown actor '%s' (server, client, client2, ...)", name);
	if (p->sc->nactors == SCRIPT_MAX_ACTORS)
		return fail(p, "too many actors (at most %d)", SCRIPT_MAX_ACTORS);
	snprintf(p->sc->actors[p->sc->nactors], SS_NAME_MAX, "%s", name);
	return p->sc->nactors++;
}

/* Values for variables the caller did not pass, so that a lesson loads the
 * same way for `sockstep lessons` (no variables) as for a run. */
static const char *default_var(const char *name, size_t len, char *buf,
			       size_t bufsz)
{
	static const struct script_var defaults[] = {
		{"host", "127.0.0.1"}, {"port", "0"},	 {"pause", "2"},
		{"send", "1"},	       {"family", "AF_INET"}};

	for (size_t i = 0; i < sizeof defaults / sizeof defaults[0]; i++)
		if (strlen(defaults[i].name) == len &&
		    strncmp(defaults[i].name, name, len) == 0)
			return defaults[i].value;
	if (len == 3 && strncmp(name, "pid", 3) == 0) {
		snprintf(buf, bufsz, "%ld", (long)getpid());
		return buf;
	}
	if (len == 3 && strncmp(name, "uid", 3) == 0) {
		snprintf(buf, bufsz, "%ld", (long)getuid());
		return buf;
	}
	return NULL;
}

/* Replace ${name} by its value; unknown names are an error. */
static int substitute(struct parser *p, const char *in, char *out, size_t outsz,
		      const struct script_var *vars, size_t nvars)
{
	size_t n = 0;
	char num[24];

	while (*in) {
		if (in[0] == '$' && in[1] == '{') {
			const char *end = strchr(in, '}');
			size_t i;
			if (end == NULL)
				return fail(p, "unterminated ${");
			for (i = 0; i < nvars; i++)
				if (strlen(vars[i].name) == (size_t)(end - in - 2) &&
				    strncmp(vars[i].name, in + 2, (size_t)(end - in - 2)) == 0)
					break;
			const char *val = i < nvars ? vars[i].value
				: default_var(in + 2, (size_t)(end - in - 2), num, sizeof num);
			if (val == NULL)
				return fail(p, "unknown variable '%.*s' (host, port, pause, send, family, pid, uid)",
					    (int)(end - in - 2), in + 2);
			size_t vl = strlen(val);
			if (n + vl >= outsz)
				return fail(p, "line too long");
			memcpy(out + n, val, vl);
			n += vl;
			in = end + 1;
			continue;
		}
		if (n + 1 >= outsz)
			return fail(p, "line too long");
		out[n++] = *in++;
	}
	out[n] = '\0';
	return 0;
}

static int parse_block_line(struct parser *p, char *raw, int indented)
{
	struct ss_script *sc = p->sc;
	char *line = trim(raw);
	char *colon;

	if (*line == '\0' || *line == '#')
		return 0;
	colon = strchr(line, ':');
	if (colon == NULL)
		return fail(p, "expected 'actor: call(...)', 'say: ...' or 'expect: ...'");
	*colon = '\0';
	char *key = trim(line);
	char *rest = trim(colon + 1);

	if (strcmp(key, "say") == 0 || strcmp(key, "expect") == 0) {
		struct ss_step *st;
		if (sc->nsteps == 0 || !indented)
			return fail(p, "'%s:' belongs under a step (indent it)", key);
		st = &sc->steps[sc->nsteps - 1];
		if (key[0] == 's') {
			size_t used = strlen(st->say);
			snprintf(st->say + used, sizeof st->say - used, "%s%s",
				 used ? " " : "", rest);
			return 0;
		}
		if (st->nexpect == SCRIPT_MAX_EXPECT)
			return fail(p, "too many expectations (at most %d)", SCRIPT_MAX_EXPECT);
		char why[160];
		char ra[4][SS_NAME_MAX], rs[4][SS_NAME_MAX];
		if (expect_check_syntax(sc, rest, why, sizeof why) < 0)
			return fail(p, "expect: %s", why);
		/* actor.sock.field must name a socket made by an earlier step:
		 * a typo would otherwise read as "nothing" at run time. */
		int nref = expect_refs(sc, rest, ra, rs, 4);
		for (int i = 0; i < nref; i++)
			if (find_sock(p, script_actor_index(sc, ra[i]), rs[i]) < 0)
				return fail(p, "expect: %s has no socket '%s' yet", ra[i], rs[i]);
		st->expect[st->nexpect].line = p->line;
		snprintf(st->expect[st->nexpect].text, SCRIPT_EXPR_MAX, "%s", rest);
		st->nexpect++;
		return 0;
	}
	if (strcmp(key, "ask") == 0 || strcmp(key, "answer") == 0 ||
	    strcmp(key, "explain") == 0) {
		struct ss_step *st;
		if (sc->nsteps == 0 || !indented)
			return fail(p, "'%s:' belongs under a step (indent it)", key);
		st = &sc->steps[sc->nsteps - 1];
		if (*rest == '\0')
			return fail(p, "'%s:' needs text", key);
		if (key[1] == 's') {
			snprintf(st->ask, sizeof st->ask, "%s", rest);
			st->ask_line = p->line;
		} else if (key[1] == 'x') {
			snprintf(st->explain, sizeof st->explain, "%s", rest);
		} else {
			char probe[SCRIPT_EXPR_MAX + 8];
			char why[160];
			snprintf(probe, sizeof probe, "%s == 0", rest);
			if (strcmp(rest, "ok") != 0 &&
			    expect_check_syntax(sc, probe, why, sizeof why) < 0)
				return fail(p, "answer: '%s' is not a field the kernel reports (ok, ret, state, local.port, kstate, ...)",
					    rest);
			snprintf(st->answer, sizeof st->answer, "%s", rest);
		}
		return 0;
	}
	if (strcmp(key, "on-error") == 0) {
		long n;
		if (sc->nsteps == 0 || !indented)
			return fail(p, "'on-error:' belongs under a step (indent it)");
		if (strncmp(rest, "skip ", 5) != 0 || parse_long(trim(rest + 5), 1, 16, &n) < 0)
			return fail(p, "on-error takes 'skip N' (N from 1 to 16)");
		sc->steps[sc->nsteps - 1].skip_on_error = (int)n;
		return 0;
	}
	if (strcmp(key, "summary") == 0) {
		snprintf(sc->summary, sizeof sc->summary, "%s", rest);
		return 0;
	}
	if (indented)
		return fail(p, "a step starts at the beginning of the line");
	int actor = get_actor(p, key);
	if (actor < 0)
		return -1;
	if (sc->nsteps == SCRIPT_MAX_STEPS)
		return fail(p, "too many steps (at most %d)", SCRIPT_MAX_STEPS);
	struct ss_step *st = &sc->steps[sc->nsteps];
	memset(st, 0, sizeof *st);
	st->line = p->line;
	st->actor = actor;
	if (parse_call(p, st, rest) < 0)
		return -1;
	sc->nsteps++;
	return 0;
}

int script_parse(struct ss_script *sc, const char *text, const char *name,
		 const struct script_var *vars, size_t nvars, char *err,
		 size_t errsz)
{
	struct parser p;
	int in_block = 0;
	int blocks = 0;
	const char *s = text;

	memset(sc, 0, sizeof *sc);
	memset(&p, 0, sizeof p);
	p.sc = sc;
	p.name = name;
	p.err = err;
	p.errsz = errsz;
	sc->steps = calloc(SCRIPT_MAX_STEPS, sizeof *sc->steps);
	if (sc->steps == NULL) {
		snprintf(err, errsz, "%s: out of memory", name);
		return -1;
	}
	while (*s) {
		char raw[LINE_MAX_LEN];
		char line[LINE_MAX_LEN];
		const char *nl = strchr(s, '\n');
		size_t len = nl ? (size_t)(nl - s) : strlen(s);

		p.line++;
		if (len >= sizeof raw) {
			fail(&p, "line longer than %d characters", LINE_MAX_LEN - 1);
			goto bad;
		}
		memcpy(raw, s, len);
		raw[len] = '\0';
		if (len && raw[len - 1] == '\r')
			raw[len - 1] = '\0';
		s += len + (nl ? 1 : 0);

		if (strncmp(raw, "```", 3) == 0) {
			if (!in_block && strcmp(trim(raw + 3), "sockstep") == 0) {
				in_block = 1;
				blocks++;
			} else if (in_block) {
				in_block = 0;
			}
			continue;
		}
		if (!in_block) {
			if (sc->title[0] == '\0' && strncmp(raw, "# ", 2) == 0)
				snprintf(sc->title, sizeof sc->title, "%s", trim(raw + 2));
			continue;
		}
		if (substitute(&p, raw, line, sizeof line, vars, nvars) < 0)
			goto bad;
		if (parse_block_line(&p, line, isspace((unsigned char)line[0])) < 0)
			goto bad;
	}
	if (in_block) {
		fail(&p, "the sockstep block is not closed with ```");
		goto bad;
	}
	if (blocks == 0 || sc->nsteps == 0) {
		snprintf(err, errsz, "%s:%d: no steps: a lesson needs a ```sockstep block", name, p.line);
		goto bad;
	}
	for (int i = 0; i < sc->nsteps; i++) {
		const struct ss_step *st = &sc->steps[i];
		if (st->ask[0] && st->answer[0] == '\0') {
			p.line = st->ask_line;
			fail(&p, "a question needs 'answer: FIELD' to be checked against the kernel");
			goto bad;
		}
	}
	if (sc->title[0] == '\0')
		snprintf(sc->title, sizeof sc->title, "%s", name);
	return 0;
bad:
	script_free(sc);
	return -1;
}

int script_load(struct ss_script *sc, const char *path,
		const struct script_var *vars, size_t nvars, char *err,
		size_t errsz)
{
	FILE *f = fopen(path, "rb");
	char *text;
	size_t n;
	int rc;

	if (f == NULL) {
		snprintf(err, errsz, "%s: %s", path, strerror(errno));
		return -1;
	}
	text = malloc(SCRIPT_TEXT_MAX + 1);
	if (text == NULL) {
		fclose(f);
		snprintf(err, errsz, "%s: out of memory", path);
		return -1;
	}
	n = fread(text, 1, SCRIPT_TEXT_MAX + 1, f);
	fclose(f);
	if (n > SCRIPT_TEXT_MAX) {
		free(text);
		snprintf(err, errsz, "%s: larger than %d KiB", path, SCRIPT_TEXT_MAX / 1024);
		return -1;
	}
	if (memchr(text, '\0', n)) {
		free(text);
		snprintf(err, errsz, "%s: not a text file (NUL byte)", path);
		return -1;
	}
	text[n] = '\0';
	rc = script_parse(sc, text, path, vars, nvars, err, errsz);
	if (rc == 0)
		snprintf(sc->path, sizeof sc->path, "%s", path);
	free(text);
	return rc;
}

/* The seed tutorial's exchange, step for step (see ../shared/seed). */
static const char classic_server[] =
	"server: s = socket(${family}, SOCK_STREAM)\n"
	"  say: The server asks the kernel for a TCP socket; it gets a file descriptor, with no address yet.\n"
	"server: bind(s, ${host}:${port})\n"
	"  say: bind() gives the socket its local address and port: the one clients will dial.\n"
	"server: listen(s, 5)\n"
	"  say: listen() turns it into a listening socket; the kernel will finish handshakes and queue up to backlog + 1 = 6 finished connections until accept() takes them.\n";
static const char classic_accept[] =
	"server: c = accept(s)\n"
	"  say: accept() waits until the kernel has a finished connection in the queue, then returns a NEW socket for it: new fd, same local port.\n";
static const char classic_client_open[] =
	"client: k = socket(${family}, SOCK_STREAM)\n"
	"  say: The client makes its own socket. It has no port yet.\n"
	"client: connect(k, ${target})\n"
	"  say: connect() makes the kernel pick an ephemeral port and do the three-way handshake (SYN, SYN-ACK, ACK).\n";
static const char classic_server_serve[] =
	"server: setsockopt(c, SO_RCVTIMEO, 5)\n"
	"  say: The tutorial sets a 5-second timeout on the connection: a recv() with no data fails with EAGAIN after 5 s.\n"
	"server: recv(c, 1024)\n"
	"  say: recv() blocks until data arrives (or the timeout fires); it returns at most 1024 bytes.\n"
	"  on-error: skip 1\n";
static const char classic_client_send[] =
	"client: sleep(${pause})\n"
	"  say: The tutorial's client sleeps before sending, so you can watch the server wait in recv().\n"
	"client: send(k, \"${send}\")\n"
	"  say: send() copies the bytes into the kernel's send buffer; TCP carries them to the server.\n";
static const char classic_server_reply[] =
	"server: send(c, @seed-reply)\n"
	"  say: The tutorial's protocol: if the client sent 1, answer 'welcome to server!', else 'please go out!'.\n";
static const char classic_client_recv[] =
	"client: recv(k, 1024)\n"
	"  say: The client reads the reply.\n";
static const char classic_server_close[] =
	"server: close(c)\n"
	"  say: Closing the connection socket sends a FIN; the side that closes first ends up in TIME_WAIT.\n";
static const char classic_server_end[] =
	"server: close(s)\n"
	"  say: Closing the listening socket: no new connections; existing ones are unaffected.\n";
static const char classic_client_close[] =
	"client: close(k)\n"
	"  say: The client closes its socket; the server's FIN already arrived, so this completes the close.\n";

static int build(struct ss_script *sc, const char *title, const char *const *parts,
		 const struct script_var *vars, size_t nvars, char *err,
		 size_t errsz)
{
	char text[8192];
	size_t n = 0;

	n += (size_t)snprintf(text + n, sizeof text - n, "# %s\n```sockstep\n", title);
	for (; *parts; parts++)
		n += (size_t)snprintf(text + n, sizeof text - n, "%s", *parts);
	snprintf(text + n, sizeof text - n, "```\n");
	return script_parse(sc, text, "built-in", vars, nvars, err, errsz);
}

/* Extend vars with the defaults the seed scripts use. */
static size_t seed_vars(const struct script_var *vars, size_t nvars,
			struct script_var *out, const char *target)
{
	static const struct script_var defaults[] = {
		{"host", "127.0.0.1"}, {"port", "9001"}, {"pause", "2"},
		{"send", "1"}, {"family", "AF_INET"}};
	size_t n = 0;

	for (size_t i = 0; i < nvars && n < 12; i++)
		out[n++] = vars[i];
	for (size_t d = 0; d < sizeof defaults / sizeof defaults[0]; d++) {
		size_t i;
		for (i = 0; i < nvars; i++)
			if (strcmp(vars[i].name, defaults[d].name) == 0)
				break;
		if (i == nvars)
			out[n++] = defaults[d];
	}
	out[n].name = "target";
	out[n].value = target;
	return n + 1;
}

int script_classic(struct ss_script *sc, const struct script_var *vars,
		   size_t nvars, char *err, size_t errsz)
{
	/* The order a teacher walks through: the server blocks in accept()
	 * until the client connects; the server blocks in recv() while the
	 * client sleeps. */
	static const char *const parts[] = {
		classic_server,	      classic_accept,	    classic_client_open,
		classic_server_serve, classic_client_send,  classic_server_reply,
		classic_client_recv,  classic_server_close, classic_server_end,
		classic_client_close, NULL};
	struct script_var all[20];
	size_t n = seed_vars(vars, nvars, all, "server.s");

	if (build(sc, "The classic exchange (the tutorial)", parts, all, n,
		  err, errsz) < 0)
		return -1;
	snprintf(sc->summary, sizeof sc->summary,
		 "The tutorial's server and client: socket, bind, listen, accept, connect, send/recv, close.");
	return 0;
}

int script_seed_server(struct ss_script *sc, const struct script_var *vars,
		       size_t nvars, int count, char *err, size_t errsz)
{
	static const char *const parts[] = {classic_server, classic_accept,
					    classic_server_serve,
					    classic_server_reply,
					    classic_server_close,
					    classic_server_end, NULL};
	struct script_var all[20];
	size_t n = seed_vars(vars, nvars, all, "");

	if (build(sc, "The tutorial's server", parts, all, n, err, errsz) < 0)
		return -1;
	/* accept .. close(c) is served once per client */
	sc->repeat_from = 3;
	sc->repeat_to = 7;
	sc->repeat_count = count;
	return 0;
}

int script_seed_client(struct ss_script *sc, const struct script_var *vars,
		       size_t nvars, char *err, size_t errsz)
{
	static const char *const parts[] = {classic_client_open,
					    classic_client_send,
					    classic_client_recv,
					    classic_client_close, NULL};
	struct script_var all[20];
	const char *host = "127.0.0.1", *port = "9001";
	char target[SS_ADDR_MAX];

	for (size_t i = 0; i < nvars; i++) {
		if (strcmp(vars[i].name, "host") == 0)
			host = vars[i].value;
		if (strcmp(vars[i].name, "port") == 0)
			port = vars[i].value;
	}
	snprintf(target, sizeof target, strchr(host, ':') ? "[%s]:%s" : "%s:%s",
		 host, port);
	size_t n = seed_vars(vars, nvars, all, target);
	if (build(sc, "The tutorial's client", parts, all, n, err, errsz) < 0)
		return -1;
	return 0;
}
