/*
 * filter: the clause language of filter.h.  A table of keys says what
 * each key's values are and which operators it takes; parsing turns names
 * into the numbers events carry (errno, TCP state, kind), so matching is a
 * few comparisons per clause and never allocates.
 */
#include "sockstep/filter.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "sockstep/i18n.h"
#include "sockstep/output.h"

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

enum value_type { V_NAME, V_NUM, V_ERRNO, V_KIND, V_FLAGS, V_STATE };

#define OP_PRESENT (1u << FILTER_PRESENT)
#define OP_EQ (1u << FILTER_EQ)
#define OP_HAS (1u << FILTER_HAS)

struct key_info {
	const char *name;
	enum value_type type;
	unsigned ops;
	long min, max; /* V_NUM */
};

/* Indexed by enum filter_key. */
static const struct key_info keys[FILTER_KEY_COUNT] = {
	[FILTER_ACTOR] = {"actor", V_NAME, OP_EQ | OP_HAS, 0, 0},
	[FILTER_CALL] = {"call", V_NAME, OP_EQ | OP_HAS, 0, 0},
	[FILTER_ERRNO] = {"errno", V_ERRNO, OP_PRESENT | OP_EQ, 0, 0},
	[FILTER_KIND] = {"kind", V_KIND, OP_EQ, 0, 0},
	[FILTER_FLAGS] = {"flags", V_FLAGS, OP_EQ | OP_HAS, 0, 0},
	[FILTER_PORT] = {"port", V_NUM, OP_EQ, 0, 65535},
	[FILTER_FD] = {"fd", V_NUM, OP_EQ, 0, INT_MAX},
	[FILTER_SOCK] = {"sock", V_NAME, OP_EQ | OP_HAS, 0, 0},
	[FILTER_STATE] = {"state", V_STATE, OP_EQ, 0, 0},
	[FILTER_STEP] = {"step", V_NUM, OP_EQ, 1, INT_MAX},
	[FILTER_PID] = {"pid", V_NUM, OP_EQ, 1, INT_MAX},
};

/* What people type for the kinds the issue names: "calls", "packets",
 * "table" for the kernel's socket table. */
static const struct {
	const char *alias;
	enum ss_kind kind;
} kind_aliases[] = {
	{"calls", SS_EV_CALL},	   {"packets", SS_EV_PACKET}, {"table", SS_EV_SOCKET},
	{"sockets", SS_EV_SOCKET}, {"steps", SS_EV_STEP},     {"notes", SS_EV_NOTE},
	{"expects", SS_EV_EXPECT},
};

/* tcpdump's flag letters; "." is ACK. */
static const char flag_letters[] = "SFRPUEW.";

void filter_init(struct filter *f)
{
	memset(f, 0, sizeof *f);
}

static void set_err(char *err, size_t errsz, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void set_err(char *err, size_t errsz, const char *fmt, ...)
{
	va_list ap;

	if (err == NULL || errsz == 0)
		return;
	va_start(ap, fmt);
	vsnprintf(err, errsz, fmt, ap);
	va_end(ap);
}

static int parse_num(const char *s, long min, long max, long *out)
{
	char *end;
	long v;

	if (!isdigit((unsigned char)s[0]))
		return -1;
	errno = 0;
	v = strtol(s, &end, 10);
	if (*end || errno || v < min || v > max)
		return -1;
	*out = v;
	return 0;
}

static int parse_kind(const char *v, long *out)
{
	int k = event_kind_from_name(v);

	for (size_t i = 0; k < 0 && i < ARRAY_LEN(kind_aliases); i++)
		if (strcmp(kind_aliases[i].alias, v) == 0)
			k = (int)kind_aliases[i].kind;
	if (k < 0)
		return -1;
	*out = k;
	return 0;
}

static int parse_errno(const char *v, long *out)
{
	long n;

	/* "ECONNREFUSED", the trace's "E<number>" for unnamed ones, or 111. */
	if (parse_num(v + (v[0] == 'E'), 1, 4095, &n) == 0) {
		*out = n;
		return 0;
	}
	n = event_errno_from_name(v);
	if (n == 0)
		return -1;
	*out = n;
	return 0;
}

/* Convert one value (already in the key's case) to its number; 0 or -1. */
static int parse_value(const struct key_info *k, char *v, long *num)
{
	switch (k->type) {
	case V_NUM:
		return parse_num(v, k->min, k->max, num);
	case V_KIND:
		return parse_kind(v, num);
	case V_ERRNO:
		return parse_errno(v, num);
	case V_STATE: {
		/* ss(8) writes SYN-SENT; the trace writes SYN_SENT. */
		for (char *p = v; *p; p++)
			if (*p == '-')
				*p = '_';
		int st = event_tcp_state_from_name(v);
		if (st < 0)
			return -1;
		*num = st;
		return 0;
	}
	case V_FLAGS:
		for (const char *p = v; *p; p++)
			if (strchr(flag_letters, *p) == NULL)
				return -1;
		return 0;
	case V_NAME:
		return 0;
	}
	return -1;
}

static void fold_case(char *s, enum value_type type)
{
	int upper = type == V_ERRNO || type == V_STATE || type == V_FLAGS;

	for (; *s; s++)
		*s = (char)(upper ? toupper((unsigned char)*s) : tolower((unsigned char)*s));
}

static const char *value_hint(enum value_type type)
{
	switch (type) {
	case V_NUM:
		return _("a number");
	case V_KIND:
		return _("call, blocked, socket (table), packet, step, expect or note");
	case V_ERRNO:
		return _("an errno name such as ECONNREFUSED");
	case V_STATE:
		return _("a TCP state such as ESTABLISHED or TIME_WAIT");
	case V_FLAGS:
		return _("TCP flags as tcpdump writes them (S, S., ., P., F., R)");
	case V_NAME:
		break;
	}
	return _("a name");
}

/* One clause: [!]KEY, KEY=V,..., KEY~V, KEY!=V,..., KEY!~V. */
/* The key at the start of a clause ("port" in "!port=9001"); returns the
 * text after it, or NULL with err. */
static const char *parse_key(struct filter_clause *c, const char *tok, const char *p,
			     const struct key_info **kp, char *keyname, size_t keysz,
			     char *err, size_t errsz)
{
	size_t n = 0;

	while (isalpha((unsigned char)p[n]) || p[n] == '_')
		n++;
	if (n == 0 || n >= keysz) {
		set_err(err, errsz, _("filter '%s': expected a key such as actor, call, errno, kind, flags, port, fd"),
			tok);
		return NULL;
	}
	memcpy(keyname, p, n);
	keyname[n] = '\0';
	for (size_t i = 0; i < n; i++)
		keyname[i] = (char)tolower((unsigned char)keyname[i]);
	*kp = NULL;
	for (size_t i = 0; i < FILTER_KEY_COUNT; i++)
		if (strcmp(keys[i].name, keyname) == 0) {
			*kp = &keys[i];
			c->key = (enum filter_key)i;
		}
	if (*kp == NULL) {
		set_err(err, errsz, _("filter '%s': unknown key '%s' (actor, call, errno, kind, flags, port, fd, sock, state, step)"),
			tok, keyname);
		return NULL;
	}
	return p + n;
}

/* The operator after the key: nothing (present), =, ~, != or !~. */
static const char *parse_op(struct filter_clause *c, const char *tok, const char *p,
			    const char *keyname, char *err, size_t errsz)
{
	if (*p == '\0') {
		c->op = FILTER_PRESENT;
		return p;
	}
	if (p[0] == '!' && (p[1] == '=' || p[1] == '~')) {
		if (c->negate) {
			set_err(err, errsz, _("filter '%s': negated twice"), tok);
			return NULL;
		}
		c->negate = 1;
		p++;
	}
	if (*p == '=')
		c->op = FILTER_EQ;
	else if (*p == '~')
		c->op = FILTER_HAS;
	else {
		set_err(err, errsz, _("filter '%s': expected =, ~, != or !~ after '%s'"), tok, keyname);
		return NULL;
	}
	return p + 1;
}

/* Values: comma-separated, any of them. */
static int parse_values(struct filter_clause *c, const struct key_info *k, const char *tok,
			const char *p, const char *keyname, char *err, size_t errsz)
{
	for (;;) {
		const char *comma = strchr(p, ',');
		size_t len = comma ? (size_t)(comma - p) : strlen(p);
		char *v;

		if (len == 0) {
			set_err(err, errsz, _("filter '%s': empty value for '%s'"), tok, keyname);
			return -1;
		}
		if (c->nvalues == FILTER_VALUES_MAX || len >= FILTER_VALUE_MAX) {
			set_err(err, errsz, _("filter '%s': too many or too long values for '%s'"), tok, keyname);
			return -1;
		}
		v = c->values[c->nvalues];
		memcpy(v, p, len);
		v[len] = '\0';
		fold_case(v, k->type);
		if (parse_value(k, v, &c->nums[c->nvalues]) < 0) {
			set_err(err, errsz, _("filter '%s': bad %s value '%s': expected %s"), tok,
				keyname, v, value_hint(k->type));
			return -1;
		}
		c->nvalues++;
		if (comma == NULL)
			return 0;
		p = comma + 1;
	}
}

static int parse_clause(struct filter_clause *c, const char *tok, char *err,
			size_t errsz)
{
	char keyname[16];
	const char *p = tok;
	const struct key_info *k = NULL;

	memset(c, 0, sizeof *c);
	if (*p == '!') {
		c->negate = 1;
		p++;
	}
	p = parse_key(c, tok, p, &k, keyname, sizeof keyname, err, errsz);
	if (p == NULL)
		return -1;
	p = parse_op(c, tok, p, keyname, err, errsz);
	if (p == NULL)
		return -1;
	if (!(k->ops & (1u << c->op))) {
		set_err(err, errsz, c->op == FILTER_PRESENT ? _("filter '%s': '%s' needs a value (KEY=VALUE)")
				    : c->op == FILTER_HAS   ? _("filter '%s': '%s' takes = (exact values), not ~")
							    : _("filter '%s': '%s' takes no value"),
			tok, keyname);
		return -1;
	}
	if (c->op == FILTER_PRESENT)
		return 0;
	if (parse_values(c, k, tok, p, keyname, err, errsz) < 0)
		return -1;
	if (c->op == FILTER_HAS && c->nvalues != 1) {
		set_err(err, errsz, _("filter '%s': '%s~' takes one value"), tok, keyname);
		return -1;
	}
	return 0;
}

int filter_parse(struct filter *f, const char *expr, char *err, size_t errsz)
{
	struct filter tmp = *f;
	const char *p = expr ? expr : "";
	int added = 0;

	for (;;) {
		char tok[FILTER_VALUES_MAX * FILTER_VALUE_MAX + 32];
		size_t n = 0;

		while (isspace((unsigned char)*p))
			p++;
		if (*p == '\0')
			break;
		while (p[n] && !isspace((unsigned char)p[n]))
			n++;
		if (n >= sizeof tok) {
			set_err(err, errsz, _("filter '%.40s...': clause too long"), p);
			return -1;
		}
		memcpy(tok, p, n);
		tok[n] = '\0';
		p += n;
		if (tmp.nclauses == FILTER_CLAUSES_MAX) {
			set_err(err, errsz, _("filter '%s': more than %d clauses"), tok,
				FILTER_CLAUSES_MAX);
			return -1;
		}
		if (parse_clause(&tmp.clauses[tmp.nclauses], tok, err, errsz) < 0)
			return -1;
		tmp.nclauses++;
		added++;
	}
	if (added == 0) {
		set_err(err, errsz, _("empty filter: expected a clause such as actor=client"));
		return -1;
	}
	*f = tmp;
	return 0;
}

/* ---- matching -------------------------------------------------------- */

static int is_call(const struct ss_event *ev)
{
	return ev->kind == SS_EV_CALL || ev->kind == SS_EV_BEGIN ||
	       ev->kind == SS_EV_BLOCKED;
}

static int name_matches(const struct filter_clause *c, const char *s)
{
	if (c->op == FILTER_HAS)
		return strcasestr(s, c->values[0]) != NULL;
	for (int i = 0; i < c->nvalues; i++)
		if (strcasecmp(s, c->values[i]) == 0)
			return 1;
	return 0;
}

static int num_matches(const struct filter_clause *c, long v)
{
	for (int i = 0; i < c->nvalues; i++)
		if (c->nums[i] == v)
			return 1;
	return 0;
}

static int port_matches(const struct filter_clause *c, const char *a, const char *b)
{
	int pa = event_addr_port(a), pb = event_addr_port(b);

	return (pa >= 0 && num_matches(c, pa)) || (pb >= 0 && num_matches(c, pb));
}

static int flags_match(const struct filter_clause *c, const char *flags)
{
	if (c->op == FILTER_EQ) {
		for (int i = 0; i < c->nvalues; i++)
			if (strcmp(flags, c->values[i]) == 0)
				return 1;
		return 0;
	}
	/* flags~F.: every letter given is set, in any order. */
	for (const char *p = c->values[0]; *p; p++)
		if (strchr(flags, *p) == NULL)
			return 0;
	return 1;
}

/* accept() and socket() return a new fd: that is the fd the call made. */
static int clause_test(const struct filter_clause *c, const struct ss_event *ev)
{
	const struct ss_call_event *call = &ev->u.call;

	switch (c->key) {
	case FILTER_ACTOR:
		return name_matches(c, ev->actor);
	case FILTER_CALL:
		return is_call(ev) && name_matches(c, call->name);
	case FILTER_ERRNO:
		if (ev->kind != SS_EV_CALL || (call->err == 0 && call->ret >= 0))
			return 0;
		return c->op == FILTER_PRESENT || num_matches(c, call->err);
	case FILTER_KIND:
		return num_matches(c, ev->kind);
	case FILTER_FLAGS:
		return ev->kind == SS_EV_PACKET && flags_match(c, ev->u.pkt.flags);
	case FILTER_PORT:
		if (is_call(ev))
			return port_matches(c, call->local, call->peer);
		if (ev->kind == SS_EV_SOCKET)
			return port_matches(c, ev->u.sock.local, ev->u.sock.peer);
		if (ev->kind == SS_EV_PACKET)
			return port_matches(c, ev->u.pkt.src, ev->u.pkt.dst);
		return 0;
	case FILTER_FD:
		if (is_call(ev))
			return (call->fd >= 0 && num_matches(c, call->fd)) ||
			       (ev->kind == SS_EV_CALL && event_call_returns_fd(call->name, call->ret) &&
				num_matches(c, call->ret));
		if (ev->kind == SS_EV_SOCKET)
			return ev->u.sock.owner_fd >= 0 && num_matches(c, ev->u.sock.owner_fd);
		return 0;
	case FILTER_SOCK:
		return is_call(ev) && ((call->sock[0] && name_matches(c, call->sock)) ||
				       (call->newsock[0] && name_matches(c, call->newsock)));
	case FILTER_STATE:
		if (is_call(ev))
			return call->state >= 0 && num_matches(c, call->state);
		if (ev->kind == SS_EV_SOCKET)
			return ev->u.sock.state >= 0 && num_matches(c, ev->u.sock.state);
		return 0;
	case FILTER_STEP:
		return num_matches(c, ev->step);
	case FILTER_PID:
		return ev->pid > 0 && num_matches(c, ev->pid);
	case FILTER_KEY_COUNT:
		break;
	}
	return 0;
}

int filter_match(const struct filter *f, const struct ss_event *ev)
{
	if (f == NULL)
		return 1;
	for (int i = 0; i < f->nclauses; i++) {
		const struct filter_clause *c = &f->clauses[i];
		if (clause_test(c, ev) == c->negate)
			return 0;
	}
	return 1;
}

void filter_sink(void *ctx, const struct ss_event *ev)
{
	const struct filter_sink *fs = ctx;

	if (filter_match(fs->filter, ev))
		fs->sink(fs->ctx, ev);
}

void filter_describe(const struct filter *f, char *out, size_t outsz)
{
	size_t used = 0;

	if (outsz == 0)
		return;
	out[0] = '\0';
	for (int i = 0; f && i < f->nclauses; i++) {
		const struct filter_clause *c = &f->clauses[i];
		const char *op = c->op == FILTER_PRESENT ? "" : c->op == FILTER_EQ ? "=" : "~";
		int w;

		w = snprintf(out + used, outsz - used, "%s%s%s%s", i ? " " : "",
			     c->negate && c->op == FILTER_PRESENT ? "!" : "",
			     keys[c->key].name, c->negate && c->op != FILTER_PRESENT ? "!" : "");
		if (w < 0 || (size_t)w >= outsz - used)
			return;
		used += (size_t)w;
		for (int j = 0; j < c->nvalues; j++) {
			w = snprintf(out + used, outsz - used, "%s%s", j ? "," : op, c->values[j]);
			if (w < 0 || (size_t)w >= outsz - used)
				return;
			used += (size_t)w;
		}
	}
}

/* ---- text for "/" ------------------------------------------------------ */


void filter_event_text(const struct ss_event *ev, char *out, size_t outsz)
{
	const struct ss_call_event *c = &ev->u.call;
	char line[320];

	switch (ev->kind) {
	case SS_EV_CALL:
		output_call_line(ev, line, sizeof line);
		snprintf(out, outsz, "%s %s fd %d %s -> %s %s", ev->actor, line, c->fd,
			 c->local, c->peer, event_tcp_state_name(c->state));
		break;
	case SS_EV_BEGIN:
	case SS_EV_BLOCKED:
		output_call_text(ev, line, sizeof line);
		snprintf(out, outsz, "%s %s fd %d ... %s", ev->actor, line, c->fd,
			 ev->kind == SS_EV_BLOCKED ? _("blocked in the kernel") : _("begins"));
		break;
	case SS_EV_SOCKET:
		snprintf(out, outsz, "kernel table %s %s %s recv-q %ld send-q %ld %s fd %d",
			 event_tcp_state_name(ev->u.sock.state), ev->u.sock.local,
			 ev->u.sock.peer, ev->u.sock.recv_q, ev->u.sock.send_q,
			 ev->u.sock.owner[0] ? ev->u.sock.owner : "no", ev->u.sock.owner_fd);
		break;
	case SS_EV_PACKET:
		snprintf(out, outsz, "packet %s > %s [%s] seq %u ack %u len %d",
			 ev->u.pkt.src, ev->u.pkt.dst, ev->u.pkt.flags, ev->u.pkt.rel_seq,
			 ev->u.pkt.rel_ack, ev->u.pkt.len);
		break;
	case SS_EV_STEP:
		snprintf(out, outsz, _("step %d/%d (%s): %s"), ev->u.note.index,
			 ev->u.note.count, ev->actor, ev->u.note.text);
		break;
	case SS_EV_EXPECT:
		snprintf(out, outsz, "%s expect %s %s", ev->actor,
			 ev->u.note.index ? "ok" : "FAILED", ev->u.note.text);
		break;
	case SS_EV_NOTE:
		snprintf(out, outsz, _("%s note: %s"), ev->actor, ev->u.note.text);
		break;
	default:
		snprintf(out, outsz, "%s %s", ev->actor, event_kind_name(ev->kind) ? event_kind_name(ev->kind) : "");
		break;
	}
}

int filter_search_text(const struct ss_event *ev, const char *needle)
{
	char text[640];

	if (needle == NULL || needle[0] == '\0')
		return 1;
	filter_event_text(ev, text, sizeof text);
	return strcasestr(text, needle) != NULL;
}
