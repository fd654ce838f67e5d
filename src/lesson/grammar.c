/* grammar: one line of a sockstep block into a step (see grammar.h).
 *
 * Limits of this hand-written parser, on purpose: one step per line; at
 * most 5 arguments; a comma inside a quoted string does not split;
 * socket names are C identifiers of at most 15 bytes, 16 per actor. */
#include "sockstep/grammar.h"

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

#include "sockstep/addr.h"
#include "sockstep/cut.h"
#include "sockstep/escape.h"
#include "sockstep/expect.h"
#include "sockstep/i18n.h"

struct named_int {
	const char *name;
	int value;
};

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


int grammar_fail(struct grammar *p, const char *fmt, ...)
{
	char msg[256], shown[512], name[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	/* the message quotes the lesson's words, the name is the user's:
	 * a lesson from anywhere must not reach the terminal raw */
	escape_text(shown, sizeof shown, msg);
	escape_text(name, sizeof name, p->name);
	snprintf(p->err, p->errsz, "%s:%d: %s", name, p->line, shown);
	cut_end(p->err); /* a cut inside a quoted character: no half of it */
	return -1;
}

char *grammar_trim(char *s)
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

	if (*grammar_trim(s) == '\0')
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
			argv[argc++] = grammar_trim(start);
			start = c + 1;
			if (end)
				break;
		}
	}
	return quoted ? -1 : argc;
}

static int find_sock(struct grammar *p, int actor, const char *name)
{
	for (int i = 0; i < p->nsocks[actor]; i++)
		if (strcmp(p->socks[actor][i], name) == 0)
			return i;
	return -1;
}

static int add_sock(struct grammar *p, int actor, const char *name)
{
	if (find_sock(p, actor, name) >= 0)
		return 0;
	if (p->nsocks[actor] == 16)
		return grammar_fail(p, _("too many sockets for one actor (at most 16)"));
	snprintf(p->socks[actor][p->nsocks[actor]++], SS_NAME_MAX, "%s", name);
	return 0;
}

static int need_sock(struct grammar *p, int actor, const char *name)
{
	if (!is_ident(name) || strlen(name) >= SS_NAME_MAX)
		return grammar_fail(p, _("'%s' is not a socket name"), name);
	if (find_sock(p, actor, name) < 0)
		return grammar_fail(p, _("socket '%s' of %s is used before socket() or accept() made it"),
			    name, p->sc->actors[actor]);
	return 0;
}

/* "actor.sock": the local address the kernel gave that socket, looked up
 * when the step runs; it must name a socket made by an earlier step. */
static int check_ref(struct grammar *p, const char *a)
{
	char actor[SS_NAME_MAX], sock[SS_NAME_MAX];
	int ai;

	if (sscanf(a, "%15[A-Za-z0-9_].%15[A-Za-z0-9_]", actor, sock) != 2 ||
	    strlen(actor) + strlen(sock) + 1 != strlen(a))
		return grammar_fail(p, _("address '%s': expected host:port, a path or actor.socket"), a);
	ai = script_actor_index(p->sc, actor);
	if (ai < 0)
		return grammar_fail(p, _("address '%s': unknown actor '%s'"), a, actor);
	if (find_sock(p, ai, sock) < 0)
		return grammar_fail(p, _("address '%s': %s has no socket '%s' yet"), a, actor, sock);
	return 0;
}

/* An address argument, parsed once here (addr.h: host:port, [v6]:port,
 * /path, @abstract, port "auto") into st->target, or an actor.sock
 * reference (st->target stays SS_ADDR_NONE).  st->addr keeps the text. */
static int parse_addr(struct grammar *p, struct ss_step *st, const char *a)
{
	char why[200];

	memset(&st->target, 0, sizeof st->target);
	if (strlen(a) >= SS_ADDR_MAX)
		return grammar_fail(p, _("address '%s' is too long"), a);
	if (a[0] != '/' && a[0] != '@' && strchr(a, ':') == NULL) {
		if (check_ref(p, a) < 0)
			return -1;
	} else if (addr_parse(&st->target, a, ADDR_AUTO | ADDR_NAMES, why,
			      sizeof why) < 0) {
		return grammar_fail(p, "%s", why);
	}
	snprintf(st->addr, sizeof st->addr, "%s", a);
	return 0;
}

static int parse_flags(struct grammar *p, const char *s, int *out)
{
	char buf[128];
	char *save = NULL;

	*out = 0;
	snprintf(buf, sizeof buf, "%s", s);
	for (char *tok = strtok_r(buf, "|", &save); tok;
	     tok = strtok_r(NULL, "|", &save)) {
		int f;
		if (lookup(msg_flags, grammar_trim(tok), &f) < 0)
			return grammar_fail(p, _("unknown flag '%s' (MSG_PEEK, MSG_TRUNC, MSG_DONTWAIT, MSG_WAITALL, MSG_NOSIGNAL)"),
				    grammar_trim(tok));
		*out |= f;
	}
	return 0;
}

static int parse_data(struct grammar *p, struct ss_step *st, const char *arg)
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
			return grammar_fail(p, _("%sN takes a byte count from 1 to %ld"),
					    SCRIPT_FILL, SCRIPT_FILL_MAX);
		st->data_len = (size_t)snprintf((char *)st->data, sizeof st->data,
						"%s%ld", SCRIPT_FILL, n);
		return 0;
	}
	n = parse_quoted(arg, st->data, sizeof st->data);
	if (n < 0)
		return grammar_fail(p, _("data must be a quoted string (\"1\", \"a\\nb\", \"\\x1b\") of at most %d bytes, %s or %sN"),
			    SCRIPT_DATA_MAX, SCRIPT_TUTORIAL_REPLY, SCRIPT_FILL);
	st->data_len = (size_t)n;
	return 0;
}

static int parse_option(struct grammar *p, struct ss_step *st, char **argv,
			int argc)
{
	int i;

	for (i = 0; options[i].name; i++)
		if (strcmp(options[i].name, argv[1]) == 0)
			break;
	if (options[i].name == NULL)
		return grammar_fail(p, _("unknown socket option '%s'"), argv[1]);
	st->level = options[i].level;
	st->optname = options[i].optname;
	snprintf(st->addr, sizeof st->addr, "%s", argv[1]);
	if (st->call == SS_CALL_GETSOCKOPT)
		return 0;
	if (argc < 3)
		return grammar_fail(p, _("setsockopt needs a value"));
	if (st->optname == SO_RCVTIMEO || st->optname == SO_SNDTIMEO) {
		if (st->level == SOL_SOCKET && parse_seconds(argv[2], &st->seconds) < 0)
			return grammar_fail(p, _("timeout '%s' is not seconds from 0 to 3600"), argv[2]);
		return 0;
	}
	if (parse_long(argv[2], 0, 1L << 30, &st->num) < 0)
		return grammar_fail(p, _("option value '%s' is not a number"), argv[2]);
	if (argc == 4 && parse_long(argv[3], 0, 1L << 30, &st->num2) < 0)
		return grammar_fail(p, _("option value '%s' is not a number"), argv[3]);
	return 0;
}

/* One handler per call: its arguments after the arity check.  argv[0] is
 * the socket (already checked) for every call but socket() and sleep(). */
typedef int (*call_fn)(struct grammar *g, struct ss_step *st, char **argv,
		       int argc);

static int call_sleep(struct grammar *g, struct ss_step *st, char **argv, int argc)
{
	if (parse_seconds(argv[0], &st->seconds) < 0)
		return grammar_fail(g, _("sleep takes seconds from 0 to 3600, got '%s'"), argv[0]);
	return 0;
}

static int call_socket(struct grammar *g, struct ss_step *st, char **argv, int argc)
{
	/* Names from event.h's one table; a lesson's actors make stream and
	 * datagram sockets only. */
	st->family = event_family_from_name(argv[0]);
	st->type = event_type_from_name(argv[1]);
	if (st->family < 0)
		return grammar_fail(g, _("unknown family '%s' (AF_INET, AF_INET6, AF_UNIX)"), argv[0]);
	if (st->type != SOCK_STREAM && st->type != SOCK_DGRAM)
		return grammar_fail(g, _("unknown type '%s' (SOCK_STREAM, SOCK_DGRAM)"), argv[1]);
	return add_sock(g, st->actor, st->result);
}

static int call_addr(struct grammar *g, struct ss_step *st, char **argv, int argc)
{
	return parse_addr(g, st, argv[1]);
}

static int call_listen(struct grammar *g, struct ss_step *st, char **argv, int argc)
{
	if (parse_long(argv[1], 0, 65535, &st->num) < 0)
		return grammar_fail(g, _("backlog '%s' is not a number from 0 to 65535"), argv[1]);
	return 0;
}

static int call_accept(struct grammar *g, struct ss_step *st, char **argv, int argc)
{
	return add_sock(g, st->actor, st->result);
}

static int call_send(struct grammar *g, struct ss_step *st, char **argv, int argc)
{
	if (parse_data(g, st, argv[1]) < 0)
		return -1;
	return argc == 3 ? parse_flags(g, argv[2], &st->flags) : 0;
}

static int call_sendto(struct grammar *g, struct ss_step *st, char **argv, int argc)
{
	if (parse_data(g, st, argv[1]) < 0 || parse_addr(g, st, argv[2]) < 0)
		return -1;
	return argc == 4 ? parse_flags(g, argv[3], &st->flags) : 0;
}

static int call_recv(struct grammar *g, struct ss_step *st, char **argv, int argc)
{
	if (parse_long(argv[1], 0, SCRIPT_DATA_MAX * 64, &st->num) < 0)
		return grammar_fail(g, _("buffer size '%s' is not a number from 0 to %d"),
				    argv[1], SCRIPT_DATA_MAX * 64);
	return argc == 3 ? parse_flags(g, argv[2], &st->flags) : 0;
}

static int call_shutdown(struct grammar *g, struct ss_step *st, char **argv, int argc)
{
	int how;

	if (lookup(hows, argv[1], &how) < 0)
		return grammar_fail(g, _("shutdown takes SHUT_RD, SHUT_WR or SHUT_RDWR"));
	st->num = how;
	return 0;
}

static int call_ioctl(struct grammar *g, struct ss_step *st, char **argv, int argc)
{
	if (strcmp(argv[1], "FIONREAD") != 0)
		return grammar_fail(g, _("ioctl supports FIONREAD only"));
	return 0;
}

static int call_fcntl(struct grammar *g, struct ss_step *st, char **argv, int argc)
{
	if (strcmp(argv[1], "O_NONBLOCK") != 0)
		return grammar_fail(g, _("fcntl supports O_NONBLOCK only (it sets the flag)"));
	return 0;
}

static int call_fork(struct grammar *g, struct ss_step *st, char **argv, int argc)
{
	if (parse_seconds(argv[0], &st->seconds) < 0 || st->seconds > 60)
		return grammar_fail(g, _("fork takes the seconds its child holds the fds, 0 to 60, got '%s'"),
				    argv[0]);
	return 0;
}

static int parse_poll_events(struct grammar *g, const char *s, int *out)
{
	char buf[64];
	char *save = NULL;

	*out = 0;
	snprintf(buf, sizeof buf, "%s", s);
	for (char *tok = strtok_r(buf, "|", &save); tok;
	     tok = strtok_r(NULL, "|", &save)) {
		int f;
		if (lookup(poll_events, grammar_trim(tok), &f) < 0)
			return grammar_fail(g, _("poll events '%s': POLLIN, POLLOUT or POLLIN|POLLOUT"), s);
		*out |= f;
	}
	return *out ? 0 : grammar_fail(g, _("poll needs POLLIN and/or POLLOUT"));
}

/* poll(a, b, ..., EVENTS, TIMEOUT_MS): argv[0] is checked like any call's
 * socket; the names go into addr, space-separated, for the actor. */
static int call_poll(struct grammar *g, struct ss_step *st, char **argv, int argc)
{
	size_t used = 0;

	for (int i = 0; i < argc - 2; i++) {
		if (need_sock(g, st->actor, argv[i]) < 0)
			return -1;
		used += (size_t)snprintf(st->addr + used, sizeof st->addr - used,
					 "%s%s", i ? " " : "", argv[i]);
	}
	if (parse_poll_events(g, argv[argc - 2], &st->flags) < 0)
		return -1;
	if (parse_long(argv[argc - 1], -1, 60000, &st->num) < 0)
		return grammar_fail(g, _("poll timeout '%s' is not milliseconds from -1 to 60000"),
				    argv[argc - 1]);
	return 0;
}

/* Each call: its arguments (minimum, maximum), whether it makes a socket
 * ("x = call(...)") and its handler (NULL: the socket is all it takes). */
static const struct {
	int min, max;
	int needs_result;
	call_fn parse;
} calls[SS_CALL_COUNT] = {
	[SS_CALL_SOCKET] = {2, 2, 1, call_socket},
	[SS_CALL_BIND] = {2, 2, 0, call_addr},
	[SS_CALL_LISTEN] = {2, 2, 0, call_listen},
	[SS_CALL_ACCEPT] = {1, 1, 1, call_accept},
	[SS_CALL_CONNECT] = {2, 2, 0, call_addr},
	[SS_CALL_SEND] = {2, 3, 0, call_send},
	[SS_CALL_RECV] = {2, 3, 0, call_recv},
	[SS_CALL_SENDTO] = {3, 4, 0, call_sendto},
	[SS_CALL_RECVFROM] = {2, 3, 0, call_recv},
	[SS_CALL_SETSOCKOPT] = {3, 4, 0, parse_option},
	[SS_CALL_GETSOCKOPT] = {2, 2, 0, parse_option},
	[SS_CALL_SHUTDOWN] = {2, 2, 0, call_shutdown},
	[SS_CALL_CLOSE] = {1, 1, 0, NULL},
	[SS_CALL_FIONREAD] = {2, 2, 0, call_ioctl},
	[SS_CALL_SLEEP] = {1, 1, 0, call_sleep},
	[SS_CALL_FCNTL] = {2, 2, 0, call_fcntl},
	[SS_CALL_POLL] = {3, SCRIPT_POLL_MAX + 2, 0, call_poll},
	[SS_CALL_FORK] = {1, 1, 0, call_fork},
};

/* "c = accept(s)": the name bound to the new socket, cut from text. */
static int parse_result(struct grammar *g, struct ss_step *st, char **text,
			const char *open)
{
	char *eq = NULL;

	if (open == NULL)
		return 0;
	for (char *c = *text; c < open; c++)
		if (*c == '=')
			eq = c;
	if (eq == NULL)
		return 0;
	*eq = '\0';
	char *res = grammar_trim(*text);
	if (!is_ident(res) || strlen(res) >= SS_NAME_MAX)
		return grammar_fail(g, _("'%s' is not a socket name"), res);
	snprintf(st->result, sizeof st->result, "%s", res);
	*text = eq + 1;
	return 0;
}

static int parse_call(struct grammar *g, struct ss_step *st, char *text)
{
	char *open = strchr(text, '(');
	char *close = strrchr(text, ')');
	char *argv[SCRIPT_POLL_MAX + 2];
	int argc, ci;

	if (parse_result(g, st, &text, open) < 0)
		return -1;
	if (open == NULL || close == NULL || close < open || *grammar_trim(close + 1))
		return grammar_fail(g, _("expected call(arguments), got '%s'"), grammar_trim(text));
	*open = '\0';
	*close = '\0';
	text = grammar_trim(text);
	for (ci = 0; ci < SS_CALL_COUNT; ci++)
		if (strcmp(script_call_name((enum ss_call)ci), text) == 0)
			break;
	if (ci == SS_CALL_COUNT)
		return grammar_fail(g, _("unknown call '%s'"), text);
	st->call = (enum ss_call)ci;
	argc = split_args(open + 1, argv, SCRIPT_POLL_MAX + 2);
	if (argc < calls[ci].min || argc > calls[ci].max)
		return grammar_fail(g,
				    calls[ci].max > calls[ci].min
					    ? _("%s takes %d or more arguments, got %d")
					    : ngettext("%s takes %d argument, got %d",
						       "%s takes %d arguments, got %d",
						       (unsigned long)calls[ci].min),
				    text, calls[ci].min, argc < 0 ? 0 : argc);
	if (calls[ci].needs_result && st->result[0] == '\0')
		return grammar_fail(g, _("%s makes a socket: write 'name = %s(...)'"), text, text);
	if (!calls[ci].needs_result && st->result[0])
		return grammar_fail(g, _("%s does not make a socket"), text);
	if (st->call != SS_CALL_SOCKET && st->call != SS_CALL_SLEEP &&
	    st->call != SS_CALL_FORK) {
		if (need_sock(g, st->actor, argv[0]) < 0)
			return -1;
		snprintf(st->sock, sizeof st->sock, "%s", argv[0]);
	}
	return calls[ci].parse ? calls[ci].parse(g, st, argv, argc) : 0;
}

static int get_actor(struct grammar *p, const char *name)
{
	int i = script_actor_index(p->sc, name);

	if (i >= 0)
		return i;
	/* Actors are server, client, or numbered: client2, server2... */
	if (strncmp(name, "server", 6) != 0 && strncmp(name, "client", 6) != 0)
		return grammar_fail(p, _("unknown actor '%s' (server, client, client2, ...)"), name);
	if (!is_ident(name) || strlen(name) >= SS_NAME_MAX)
		return grammar_fail(p, _("unknown actor '%s'"), name);
	for (const char *c = name + 6; *c; c++)
		if (!isdigit((unsigned char)*c))
			return grammar_fail(p, _("unknown actor '%s' (server, client, client2, ...)"), name);
	if (p->sc->nactors == SCRIPT_MAX_ACTORS)
		return grammar_fail(p, _("too many actors (at most %d)"), SCRIPT_MAX_ACTORS);
	snprintf(p->sc->actors[p->sc->nactors], SS_NAME_MAX, "%s", name);
	return p->sc->nactors++;
}

/* One handler per keyword of an indented line under a step: st is that
 * step, rest the text after "keyword:". */
typedef int (*keyword_fn)(struct grammar *g, struct ss_step *st, const char *rest);

/* Prose a lesson's author wrote: refused when it does not fit, never cut
 * (a cut would lose the end of a sentence, or split a character). */
static int set_text(struct grammar *g, const char *key, char *dst, size_t max,
		    const char *rest)
{
	size_t used = strlen(dst);

	if (used + (used ? 1 : 0) + strlen(rest) >= max)
		return grammar_fail(g, _("'%s:' text is too long (at most %zu bytes, a Chinese character is 3)"),
				    key, max - 1);
	snprintf(dst + used, max - used, "%s%s", used ? " " : "", rest);
	return 0;
}

/* An explanation is shown inside the quiz's verdict ("Right! You said
 * ...; the kernel says ... EXPLANATION"), which must fit one text. */
#define EXPLAIN_MAX (SS_TEXT_MAX - 192)

static int kw_say(struct grammar *g, struct ss_step *st, const char *rest)
{
	return set_text(g, "say", st->say, sizeof st->say, rest);
}

static int kw_expect(struct grammar *g, struct ss_step *st, const char *rest)
{
	char why[160];
	char ra[4][SS_NAME_MAX], rs[4][SS_NAME_MAX];

	if (st->nexpect == SCRIPT_MAX_EXPECT)
		return grammar_fail(g, _("too many expectations (at most %d)"), SCRIPT_MAX_EXPECT);
	if (expect_check_syntax(g->sc, rest, why, sizeof why) < 0)
		return grammar_fail(g, _("expect: %s"), why);
	/* actor.sock.field must name a socket made by an earlier step: a
	 * typo would otherwise read as "nothing" at run time. */
	int nref = expect_refs(g->sc, rest, ra, rs, 4);
	for (int i = 0; i < nref; i++)
		if (find_sock(g, script_actor_index(g->sc, ra[i]), rs[i]) < 0)
			return grammar_fail(g, _("expect: %s has no socket '%s' yet"), ra[i], rs[i]);
	st->expect[st->nexpect].line = g->line;
	snprintf(st->expect[st->nexpect].text, SCRIPT_EXPR_MAX, "%s", rest);
	st->nexpect++;
	return 0;
}

static int kw_ask(struct grammar *g, struct ss_step *st, const char *rest)
{
	if (*rest == '\0')
		return grammar_fail(g, _("'ask:' needs text"));
	st->ask[0] = '\0';
	if (set_text(g, "ask", st->ask, sizeof st->ask, rest) < 0)
		return -1;
	st->ask_line = g->line;
	return 0;
}

static int kw_explain(struct grammar *g, struct ss_step *st, const char *rest)
{
	if (*rest == '\0')
		return grammar_fail(g, _("'explain:' needs text"));
	st->explain[0] = '\0';
	return set_text(g, "explain", st->explain, EXPLAIN_MAX, rest);
}

static int kw_answer(struct grammar *g, struct ss_step *st, const char *rest)
{
	char probe[SCRIPT_EXPR_MAX + 8];
	char why[160];

	if (*rest == '\0')
		return grammar_fail(g, _("'answer:' needs text"));
	snprintf(probe, sizeof probe, "%s == 0", rest);
	if (strcmp(rest, "ok") != 0 && expect_check_syntax(g->sc, probe, why, sizeof why) < 0)
		return grammar_fail(g, _("answer: '%s' is not a field the kernel reports (ok, ret, state, local.port, kstate, ...)"),
				    rest);
	snprintf(st->answer, sizeof st->answer, "%s", rest);
	return 0;
}

static int kw_on_error(struct grammar *g, struct ss_step *st, const char *rest)
{
	char buf[SCRIPT_EXPR_MAX];
	long n;

	snprintf(buf, sizeof buf, "%s", rest);
	if (strncmp(buf, "skip ", 5) != 0 || parse_long(grammar_trim(buf + 5), 1, 16, &n) < 0)
		return grammar_fail(g, _("on-error takes 'skip N' (N from 1 to 16)"));
	st->skip_on_error = (int)n;
	return 0;
}

/* The keywords of the block besides "actor: call(...)".  summary: stands
 * alone (it describes the lesson); the others belong under a step. */
static const struct {
	const char *name;
	keyword_fn fn;
} keywords[] = {
	{"say", kw_say},	 {"expect", kw_expect},	    {"ask", kw_ask},
	{"answer", kw_answer}, {"explain", kw_explain}, {"on-error", kw_on_error},
};

static int keyword_line(struct grammar *g, const char *key, const char *rest,
			int indented)
{
	struct ss_script *sc = g->sc;

	if (strcmp(key, "summary") == 0) {
		sc->summary[0] = '\0';
		return set_text(g, "summary", sc->summary, sizeof sc->summary, rest);
	}
	if (strcmp(key, "trace-server") == 0 || strcmp(key, "trace-client") == 0) {
		char *line = key[6] == 's' ? sc->trace_server : sc->trace_client;
		if (indented || rest[0] == '\0' || strlen(rest) >= sizeof sc->trace_server)
			return grammar_fail(g, _("'%s:' stands alone and takes a command line (at most %zu bytes)"),
					    key, sizeof sc->trace_server - 1);
		snprintf(line, sizeof sc->trace_server, "%s", rest);
		return 0;
	}
	for (size_t i = 0; i < sizeof keywords / sizeof keywords[0]; i++) {
		if (strcmp(keywords[i].name, key) != 0)
			continue;
		if (sc->nsteps == 0 || !indented)
			return grammar_fail(g, _("'%s:' belongs under a step (indent it)"), key);
		return keywords[i].fn(g, &sc->steps[sc->nsteps - 1], rest);
	}
	return 1; /* not a keyword: a step */
}

/* "actor: call(...)": a new step. */
static int step_line(struct grammar *g, const char *key, char *rest, int indented)
{
	struct ss_script *sc = g->sc;

	if (indented)
		return grammar_fail(g, _("a step starts at the beginning of the line"));
	int actor = get_actor(g, key);
	if (actor < 0)
		return -1;
	if (sc->nsteps == SCRIPT_MAX_STEPS)
		return grammar_fail(g, _("too many steps (at most %d)"), SCRIPT_MAX_STEPS);
	struct ss_step *st = &sc->steps[sc->nsteps];
	memset(st, 0, sizeof *st);
	st->line = g->line;
	st->actor = actor;
	if (parse_call(g, st, rest) < 0)
		return -1;
	sc->nsteps++;
	return 0;
}

int grammar_line(struct grammar *g, char *raw, int indented)
{
	char *line = grammar_trim(raw);
	char *colon;
	int rc;

	if (*line == '\0' || *line == '#')
		return 0;
	colon = strchr(line, ':');
	if (colon == NULL)
		return grammar_fail(g, _("expected 'actor: call(...)', 'say: ...' or 'expect: ...'"));
	*colon = '\0';
	char *key = grammar_trim(line);
	char *rest = grammar_trim(colon + 1);
	rc = keyword_line(g, key, rest, indented);
	return rc <= 0 ? rc : step_line(g, key, rest, indented);
}

int grammar_finish(struct grammar *g)
{
	if ((g->sc->trace_server[0] == '\0') != (g->sc->trace_client[0] == '\0'))
		return grammar_fail(g, _("a lesson about programs needs both trace-server: and trace-client:"));
	for (int i = 0; i < g->sc->nsteps; i++) {
		const struct ss_step *st = &g->sc->steps[i];
		if (st->ask[0] && st->answer[0] == '\0') {
			g->line = st->ask_line;
			return grammar_fail(g, _("a question needs 'answer: FIELD' to be checked against the kernel"));
		}
	}
	return 0;
}
