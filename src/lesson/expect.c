/* expect: check a lesson's expectations against the kernel's answers. */
#include "sockstep/expect.h"

#include <netinet/tcp.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>

#include "sockstep/i18n.h"

#define TOKENS_MAX 4
#define TOKEN_LEN 96

static const char *const call_fields[] = {
	"ret",	  "errno",  "state", "queue",	   "backlog",	 "bytes",
	"unread", "data",   "fd",    "local",	   "peer",	 "local.port",
	"peer.port", "trunc", "kstate", "krecv_q", "ksend_q", "ktimer",
	"optval", "cred.pid", "cred.uid", "cred.gid", "local.host", "peer.host",
	"kpeerstate", NULL};

static const char *const ops[] = {"==", "!=", "<=", ">=", "<", ">", NULL};

struct value {
	int present;
	int numeric;
	long num;
	char str[TOKEN_LEN];
};

static int tokenize(const char *text, char tok[TOKENS_MAX][TOKEN_LEN])
{
	int n = 0;
	const char *s = text;

	while (*s) {
		size_t len = 0;
		while (isspace((unsigned char)*s))
			s++;
		if (!*s)
			break;
		if (n == TOKENS_MAX)
			return -1;
		if (*s == '"') {
			const char *end = strchr(s + 1, '"');
			if (end == NULL)
				return -1;
			len = (size_t)(end - s + 1);
		} else if (strchr("=!<>", *s)) {
			/* an operator, with or without spaces around it */
			while (s[len] && strchr("=!<>", s[len]))
				len++;
		} else {
			while (s[len] && !isspace((unsigned char)s[len]) &&
			       !strchr("=!<>", s[len]))
				len++;
		}
		if (len >= TOKEN_LEN)
			return -1;
		memcpy(tok[n], s, len);
		tok[n][len] = '\0';
		n++;
		s += len;
	}
	return n;
}

static int is_field(const char *f)
{
	for (int i = 0; call_fields[i]; i++)
		if (strcmp(call_fields[i], f) == 0)
			return 1;
	return 0;
}

static int op_index(const char *o)
{
	for (int i = 0; ops[i]; i++)
		if (strcmp(ops[i], o) == 0)
			return i;
	return -1;
}

/* "server.s.local.port" -> actor server, sock s, field local.port;
 * "local.port" -> field only. */
static int split_ref(const struct ss_script *sc, const char *tok, char *actor,
		     char *sock, const char **field)
{
	const char *dot = strchr(tok, '.');

	actor[0] = sock[0] = '\0';
	*field = tok;
	if (dot && (size_t)(dot - tok) < SS_NAME_MAX) {
		char a[SS_NAME_MAX];
		memcpy(a, tok, (size_t)(dot - tok));
		a[dot - tok] = '\0';
		if (script_actor_index(sc, a) >= 0) {
			const char *dot2 = strchr(dot + 1, '.');
			if (dot2 == NULL || (size_t)(dot2 - dot - 1) >= SS_NAME_MAX)
				return -1;
			memcpy(actor, a, strlen(a) + 1);
			memcpy(sock, dot + 1, (size_t)(dot2 - dot - 1));
			sock[dot2 - dot - 1] = '\0';
			*field = dot2 + 1;
		}
	}
	return is_field(*field) ? 0 : -1;
}

/* "client9.k.local.port" where client9 is no actor of the script. */
static int names_unknown_actor(const struct ss_script *sc, const char *tok,
			       char *why, size_t whysz)
{
	const char *dot = strchr(tok, '.');
	char a[SS_NAME_MAX];

	if (dot == NULL || strchr(dot + 1, '.') == NULL ||
	    (size_t)(dot - tok) >= SS_NAME_MAX || tok[0] == '"' ||
	    isdigit((unsigned char)tok[0]))
		return 0;
	memcpy(a, tok, (size_t)(dot - tok));
	a[dot - tok] = '\0';
	if (strcmp(a, "cred") == 0 || strcmp(a, "local") == 0 ||
	    strcmp(a, "peer") == 0 || script_actor_index(sc, a) >= 0)
		return 0;
	snprintf(why, whysz, _("unknown actor '%s' in '%s' (actors so far: %s%s%s...)"),
		 a, tok, sc->nactors ? sc->actors[0] : "",
		 sc->nactors > 1 ? ", " : "", sc->nactors > 1 ? sc->actors[1] : "");
	return 1;
}

int expect_refs(const struct ss_script *sc, const char *text,
		char actor[][SS_NAME_MAX], char sock[][SS_NAME_MAX], int max)
{
	char tok[TOKENS_MAX][TOKEN_LEN];
	const char *field;
	int n = tokenize(text, tok);
	int found = 0;

	for (int i = 0; i < n && found < max; i++)
		if (tok[i][0] != '"' &&
		    split_ref(sc, tok[i], actor[found], sock[found], &field) == 0 &&
		    actor[found][0])
			found++;
	return found;
}

int expect_check_syntax(const struct ss_script *sc, const char *text,
			char *why, size_t whysz)
{
	char tok[TOKENS_MAX][TOKEN_LEN];
	char actor[SS_NAME_MAX], sock[SS_NAME_MAX];
	const char *field;
	int n = tokenize(text, tok);

	if (n <= 0) {
		snprintf(why, whysz, _("empty or malformed expectation '%s'"), text);
		return -1;
	}
	if (n == 1 && (strcmp(tok[0], "ok") == 0 || strcmp(tok[0], "blocks") == 0))
		return 0;
	if (n == 2 && strcmp(tok[0], "fails") == 0) {
		if (event_errno_from_name(tok[1]) == 0) {
			snprintf(why, whysz, _("unknown errno '%s'"), tok[1]);
			return -1;
		}
		return 0;
	}
	if (names_unknown_actor(sc, tok[0], why, whysz) ||
	    (n == 3 && names_unknown_actor(sc, tok[2], why, whysz)))
		return -1;
	if (split_ref(sc, tok[0], actor, sock, &field) < 0) {
		snprintf(why, whysz, _("unknown field '%s' (ret, errno, state, queue, local.port, kstate, ...)"),
			 tok[0]);
		return -1;
	}
	if (n == 2 && strcmp(tok[1], "ephemeral") == 0)
		return 0;
	if (n == 3 && op_index(tok[1]) >= 0) {
		if (strchr(tok[2], '.') && tok[2][0] != '"' &&
		    !isdigit((unsigned char)tok[2][0]) &&
		    split_ref(sc, tok[2], actor, sock, &field) < 0) {
			snprintf(why, whysz, _("unknown field '%s'"), tok[2]);
			return -1;
		}
		return 0;
	}
	snprintf(why, whysz, _("expected 'ok', 'fails ERRNO', 'blocks', 'FIELD OP VALUE' or 'FIELD ephemeral', got '%s'"),
		 text);
	return -1;
}

void expect_ephemeral_range(int *lo, int *hi)
{
	FILE *f = fopen("/proc/sys/net/ipv4/ip_local_port_range", "r");

	*lo = 32768;
	*hi = 60999;
	if (f) {
		if (fscanf(f, "%d %d", lo, hi) != 2) {
			*lo = 32768;
			*hi = 60999;
		}
		fclose(f);
	}
}

static int is_any_port0(const char *addr)
{
	return addr[0] == '\0' || strcmp(addr, "0.0.0.0:0") == 0 ||
	       strcmp(addr, "[::]:0") == 0 || strcmp(addr, "*:*") == 0;
}

int expect_row_matches(const struct ss_event *row, const struct ss_event *c)
{
	const struct ss_call_event *ce = &c->u.call;

	if (ce->local[0] == '\0' || strcmp(row->u.sock.local, ce->local) != 0)
		return 0;
	if (ce->peer[0] == '\0')
		return is_any_port0(row->u.sock.peer);
	return strcmp(row->u.sock.peer, ce->peer) == 0;
}

/* The kernel table row for the socket of call event c. */
static const struct ss_event *kernel_row(const struct expect_env *env,
					 const struct ss_event *c)
{
	const struct ss_call_event *ce = &c->u.call;
	const struct ss_event *best = NULL, *alone = NULL;
	int nalone = 0;

	for (int i = 0; i < env->nrows; i++) {
		const struct ss_event *r = &env->rows[i];
		/* A row another fd owns is another socket, even when the
		 * addresses agree (a listener and its accepted sockets). */
		if (ce->inode && r->u.sock.inode && r->u.sock.inode != ce->inode)
			continue;
		if (ce->peer[0] == '\0' && ce->local[0] &&
		    strcmp(r->u.sock.local, ce->local) == 0 &&
		    !is_any_port0(r->u.sock.peer)) {
			alone = r;
			nalone++;
		}
		if (!expect_row_matches(r, c))
			continue;
		/* the fd's own socket first; else e.g. its TIME_WAIT successor */
		if (ce->inode && r->u.sock.inode == ce->inode)
			return r;
		if (best == NULL)
			best = r;
	}
	/* After the peer's FIN or RST the fd is CLOSE and getpeername()
	 * fails, so the event has no peer; the connection it was may live on
	 * as TIME_WAIT.  Take that row when it is the only candidate. */
	if (best == NULL && nalone == 1 && ce->state != TCP_LISTEN)
		return alone;
	return best;
}

static void set_num(struct value *v, long n)
{
	v->present = 1;
	v->numeric = 1;
	v->num = n;
	snprintf(v->str, sizeof v->str, "%ld", n);
}

static void set_str(struct value *v, const char *s)
{
	v->present = 1;
	v->numeric = 0;
	snprintf(v->str, sizeof v->str, "%s", s);
}

/* getsockopt reports the value in its args: "level=1 opt=2 value=1",
 * "SO_ERROR=111 ECONNREFUSED", "SO_PEERCRED pid=7 uid=1000 gid=1000". */
static void option_value(const char *args, const char *f, struct value *v)
{
	static const char *const keys[] = {"value=", "SO_ERROR=", "onoff=", NULL};
	const char *p = NULL;
	char key[16];

	if (strncmp(f, "cred.", 5) == 0) {
		snprintf(key, sizeof key, " %s=", f + 5);
		p = strstr(args, key);
		if (p)
			p += strlen(key);
	} else {
		for (int i = 0; keys[i] && p == NULL; i++)
			if ((p = strstr(args, keys[i])) != NULL)
				p += strlen(keys[i]);
	}
	if (p && (isdigit((unsigned char)*p) || *p == '-'))
		set_num(v, strtol(p, NULL, 10));
}

/* The host of "127.0.0.1:9001" / "[::1]:9001", quoted as a string value
 * is: "127.0.0.1", "::1". */
static void set_host(struct value *v, const char *addr)
{
	const char *colon = strrchr(addr, ':');
	int skip = addr[0] == '[';
	int len = (int)(colon - addr) - skip - (skip && colon[-1] == ']');

	v->present = 1;
	v->numeric = 0;
	snprintf(v->str, sizeof v->str, "\"%.*s\"", len > 0 ? len : 0, addr + skip);
}

/* The row of the other end of c's connection: local and peer swapped
 * (the server's half-open SYN_RECV for a client that believes it is
 * connected). */
static const struct ss_event *mirror_row(const struct expect_env *env,
					 const struct ss_event *c)
{
	const struct ss_call_event *ce = &c->u.call;

	for (int i = 0; i < env->nrows; i++) {
		const struct ss_socket_event *r = &env->rows[i].u.sock;
		if (ce->peer[0] && strcmp(r->local, ce->peer) == 0 &&
		    strcmp(r->peer, ce->local) == 0)
			return &env->rows[i];
	}
	return NULL;
}

static void field_value(const struct expect_env *env, const struct ss_event *c,
			const char *f, struct value *v)
{
	const struct ss_call_event *ce;

	memset(v, 0, sizeof *v);
	if (c == NULL)
		return;
	ce = &c->u.call;
	if (strcmp(f, "kpeerstate") == 0) {
		const struct ss_event *r = mirror_row(env, c);
		if (ce->peer[0])
			set_str(v, r ? event_tcp_state_name(r->u.sock.state) : "none");
		return;
	}
	if (f[0] == 'k') {
		const struct ss_event *r = kernel_row(env, c);
		if (r == NULL) {
			if (strcmp(f, "kstate") == 0)
				set_str(v, "none"); /* gone: closed, reset */
			return;
		}
		if (strcmp(f, "kstate") == 0)
			set_str(v, event_tcp_state_name(r->u.sock.state));
		else if (strcmp(f, "krecv_q") == 0)
			set_num(v, r->u.sock.recv_q);
		else if (strcmp(f, "ksend_q") == 0)
			set_num(v, r->u.sock.send_q);
		else if (strcmp(f, "ktimer") == 0)
			set_num(v, r->u.sock.timer_ms);
		return;
	}
	if (strcmp(f, "ret") == 0)
		set_num(v, ce->ret);
	else if (strcmp(f, "errno") == 0)
		set_str(v, ce->err ? event_errno_name(ce->err) : "none");
	else if (strcmp(f, "state") == 0)
		set_str(v, ce->state >= 0 ? event_tcp_state_name(ce->state) : "none");
	else if (strcmp(f, "queue") == 0 && ce->queue >= 0)
		set_num(v, ce->queue);
	else if (strcmp(f, "backlog") == 0 && ce->backlog >= 0)
		set_num(v, ce->backlog);
	else if (strcmp(f, "bytes") == 0 && ce->bytes >= 0)
		set_num(v, ce->bytes);
	else if (strcmp(f, "unread") == 0 && ce->unread >= 0)
		set_num(v, ce->unread);
	else if (strcmp(f, "fd") == 0)
		set_num(v, strcmp(ce->name, "accept") == 0 || strcmp(ce->name, "socket") == 0
				   ? ce->ret : ce->fd);
	else if (strcmp(f, "optval") == 0 || strncmp(f, "cred.", 5) == 0)
		option_value(ce->args, f, v);
	else if (strcmp(f, "trunc") == 0)
		set_str(v, (ce->msg_flags & MSG_TRUNC) ? "true" : "false");
	else if (strcmp(f, "data") == 0) {
		v->present = 1;
		size_t n = (size_t)ce->data_len < sizeof v->str - 3
				   ? (size_t)ce->data_len : sizeof v->str - 3;
		v->str[0] = '"';
		memcpy(v->str + 1, ce->data, n);
		v->str[n + 1] = '"';
		v->str[n + 2] = '\0';
	} else if (strcmp(f, "local") == 0 && ce->local[0])
		set_str(v, ce->local);
	else if (strcmp(f, "peer") == 0 && ce->peer[0])
		set_str(v, ce->peer);
	else if (strcmp(f, "local.host") == 0 && event_addr_port(ce->local) >= 0)
		set_host(v, ce->local);
	else if (strcmp(f, "peer.host") == 0 && event_addr_port(ce->peer) >= 0)
		set_host(v, ce->peer);
	else if (strcmp(f, "local.port") == 0 && event_addr_port(ce->local) >= 0)
		set_num(v, event_addr_port(ce->local));
	else if (strcmp(f, "peer.port") == 0 && event_addr_port(ce->peer) >= 0)
		set_num(v, event_addr_port(ce->peer));
}

static void resolve(const struct ss_script *sc, const struct expect_env *env,
		    const char *tok, struct value *v)
{
	char actor[SS_NAME_MAX], sock[SS_NAME_MAX];
	const char *field;
	char *end;
	long n;

	memset(v, 0, sizeof *v);
	if (tok[0] == '"') {
		set_str(v, tok);
		return;
	}
	n = strtol(tok, &end, 10);
	if (end != tok && *end == '\0') {
		set_num(v, n);
		return;
	}
	if (split_ref(sc, tok, actor, sock, &field) == 0) {
		const struct ss_event *c = env->call;
		if (actor[0])
			c = env->sock_event ? env->sock_event(env->ctx, actor, sock) : NULL;
		field_value(env, c, field, v);
		return;
	}
	set_str(v, tok); /* a state or errno name, true/false */
}

/* "text" -> text: a quoted literal equals the same unquoted string, so
 * local == "/tmp/x.sock" and data == "1" read naturally. */
static const char *unquoted(const char *s, char *buf, size_t bufsz)
{
	size_t n = strlen(s);

	if (n < 2 || s[0] != '"' || s[n - 1] != '"')
		return s;
	snprintf(buf, bufsz, "%.*s", (int)(n - 2), s + 1);
	return buf;
}

static int compare(const struct value *a, int op, const struct value *b)
{
	char qa[TOKEN_LEN], qb[TOKEN_LEN];
	long d;

	if (!a->present || !b->present)
		return op == 1 && a->present != b->present;
	if (a->numeric && b->numeric)
		d = a->num < b->num ? -1 : a->num > b->num;
	else if (op >= 2)
		return 0; /* ordering only means something for numbers */
	else if (a->str[0] != '"' && b->str[0] != '"')
		/* names (states, errnos, none, true): a learner's "none" is
		 * the kernel's none, "established" its ESTABLISHED */
		d = strcasecmp(a->str, b->str) != 0;
	else
		d = strcmp(unquoted(a->str, qa, sizeof qa),
			   unquoted(b->str, qb, sizeof qb)) != 0;
	switch (op) {
	case 0: return d == 0;
	case 1: return d != 0;
	case 2: return d <= 0;
	case 3: return d >= 0;
	case 4: return d < 0;
	default: return d > 0;
	}
}

int expect_eval(const struct ss_script *sc, const char *text,
		const struct expect_env *env, char *report, size_t reportsz)
{
	char tok[TOKENS_MAX][TOKEN_LEN];
	int n = tokenize(text, tok);
	const struct ss_call_event *ce = env->call ? &env->call->u.call : NULL;
	struct value a, b;

	if (n <= 0) {
		snprintf(report, reportsz, _("malformed expectation '%s'"), text);
		return -1;
	}
	if (n == 1 && strcmp(tok[0], "blocks") == 0) {
		snprintf(report, reportsz,
			 env->blocked ? _("%s: the call blocked") : _("%s: the call returned at once"),
			 text);
		return env->blocked;
	}
	if (ce == NULL) {
		snprintf(report, reportsz, _("%s: the step made no call"), text);
		return 0;
	}
	if (n == 1 && strcmp(tok[0], "ok") == 0) {
		snprintf(report, reportsz, _("%s: %s returned %ld%s%s"), text, ce->name,
			 ce->ret, ce->err ? " " : "",
			 ce->err ? event_errno_name(ce->err) : "");
		return ce->ret >= 0;
	}
	if (n == 2 && strcmp(tok[0], "fails") == 0) {
		const char *got = ce->ret < 0 && ce->err ? event_errno_name(ce->err) : NULL;
		snprintf(report, reportsz, _("%s: %s returned %ld%s%s"), text, ce->name,
			 ce->ret, got ? " " : "", got ? got : "");
		return got != NULL && strcmp(got, tok[1]) == 0;
	}
	resolve(sc, env, tok[0], &a);
	if (n == 2 && strcmp(tok[1], "ephemeral") == 0) {
		snprintf(report, reportsz, _("%s: got %s (range %d-%d)"), text,
			 a.present ? a.str : _("nothing"), env->eph_lo, env->eph_hi);
		return a.present && a.numeric && a.num >= env->eph_lo &&
		       a.num <= env->eph_hi;
	}
	if (n != 3 || op_index(tok[1]) < 0) {
		snprintf(report, reportsz, _("malformed expectation '%s'"), text);
		return -1;
	}
	resolve(sc, env, tok[2], &b);
	snprintf(report, reportsz, _("%s: got %s %s %s"), text,
		 a.present ? a.str : _("nothing"), tok[1], b.present ? b.str : _("nothing"));
	return compare(&a, op_index(tok[1]), &b);
}

int expect_field_text(const struct ss_script *sc, const char *field,
		      const struct expect_env *env, char *out, size_t outsz)
{
	struct value v;

	resolve(sc, env, field, &v);
	snprintf(out, outsz, "%s", v.present ? v.str : "");
	return v.present ? 0 : -1;
}
