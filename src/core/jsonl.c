/*
 * jsonl: events as one JSON object a line (docs/trace-format.md) and back.
 *
 * One field table per kind drives both the writer and the parser, so the
 * two cannot drift apart: what jsonl_format writes, jsonl_parse reads back
 * into the same event.  The parser is a small, bounded, non-allocating
 * JSON reader: it sees hostile input (recorded traces from anywhere), so
 * every read is checked against the end of the line and nesting is capped.
 */
#include "sockstep/jsonl.h"

#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "sockstep/escape.h"

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

/* Deeper nesting in an unknown field is refused rather than recursed into. */
#define JSONL_DEPTH_MAX 32
/* |t| above this cannot be printed as microseconds in a long long. */
#define JSONL_T_MAX 1e12
/* Escaped preview: each raw byte becomes at most 4 characters ("\xNN"). */
#define JSONL_DATA_TEXT_MAX (4 * SS_PREVIEW_MAX + 16)

/* ---- the field tables ---------------------------------------------- */

enum jf_type {
	JF_TIME,  /* "t": double seconds, written as sec.usec */
	JF_KIND,  /* "kind": event_kind_name */
	JF_STR,   /* char[size]; "" is null */
	JF_NUM,   /* integer in one of the jf_store types */
	JF_STATE, /* int TCP state: ss(8) name, or the number if unnamed */
	JF_ENUM,  /* int with a name table: name, or the number if unnamed */
	JF_ERRNO, /* call.err: "EADDRINUSE", "E<n>", null for 0 */
	JF_ERROR, /* call.err as text: written only, ignored when read */
	JF_TRUNC, /* call.msg_flags & MSG_TRUNC as a boolean */
	JF_DATA,  /* call.data/data_len through escape_bytes; null if bytes == -1 */
	JF_OWNER, /* sock.owner/owner_fd as {"actor":..,"fd":..} or null */
	JF_OK,    /* note.index == 1 as a boolean (expect) */
};

enum jf_store { ST_INT, ST_LONG, ST_ULONG, ST_U32, ST_U16 };

struct jf_name {
	int value;
	const char *name;
};

struct jf_field {
	const char *key;
	enum jf_type type;
	enum jf_store store;
	size_t off;
	size_t size;      /* JF_STR: the array's size */
	int nullable;     /* JF_NUM/JF_ENUM/JF_STATE: null_value is written as null */
	long null_value;
	const struct jf_name *names; /* JF_ENUM, ended by a NULL name */
	/* JF_ENUM without names: event.h's table (families, socket types) */
	const char *(*name_fn)(int value);
	int (*value_fn)(const char *name);
	int call_only;    /* null for begin/blocked: the call has not returned */
	int omit_null;    /* not written at all when null (pid: traced programs only) */
};

#define OFF(m) offsetof(struct ss_event, m)
#define STR(k, m) { .key = k, .type = JF_STR, .off = OFF(m), .size = sizeof(((struct ss_event *)0)->m) }
#define NUM(k, st, m) { .key = k, .type = JF_NUM, .store = st, .off = OFF(m) }
#define NUMN(k, st, m, nv) { .key = k, .type = JF_NUM, .store = st, .off = OFF(m), .nullable = 1, .null_value = nv }

/* idiag_timer values, named as ss(8) prints them in timer:(...). */
static const struct jf_name timer_names[] = {
	{ 1, "on" }, { 2, "keepalive" }, { 3, "timewait" }, { 4, "persist" }, { 0, NULL },
};
static const struct jf_name level_names[] = {
	{ 0, "info" }, { 1, "warning" }, { 2, "error" }, { 0, NULL },
};

static const struct jf_field common_fields[] = {
	{ .key = "t", .type = JF_TIME },
	{ .key = "kind", .type = JF_KIND },
	STR("actor", actor),
	NUMN("step", ST_INT, step, 0),
	{ .key = "pid", .type = JF_NUM, .store = ST_INT, .off = OFF(pid), .nullable = 1, .null_value = 0, .omit_null = 1 },
};

static const struct jf_field call_fields[] = {
	STR("call", u.call.name),
	STR("sock", u.call.sock),
	STR("newsock", u.call.newsock),
	STR("args", u.call.args),
	NUMN("fd", ST_INT, u.call.fd, -1),
	{ .key = "ret", .type = JF_NUM, .store = ST_LONG, .off = OFF(u.call.ret), .call_only = 1 },
	{ .key = "errno", .type = JF_ERRNO, .call_only = 1 },
	{ .key = "error", .type = JF_ERROR, .call_only = 1 },
	STR("local", u.call.local),
	STR("peer", u.call.peer),
	{ .key = "state", .type = JF_STATE, .off = OFF(u.call.state), .nullable = 1, .null_value = -1 },
	NUMN("queue", ST_INT, u.call.queue, -1),
	NUMN("backlog", ST_INT, u.call.backlog, -1),
	NUMN("bytes", ST_LONG, u.call.bytes, -1),
	NUMN("unread", ST_LONG, u.call.unread, -1),
	{ .key = "trunc", .type = JF_TRUNC },
	{ .key = "data", .type = JF_DATA },
	NUMN("inode", ST_ULONG, u.call.inode, 0),
	{ .key = "family", .type = JF_ENUM, .off = OFF(u.call.family), .nullable = 1, .name_fn = event_family_name, .value_fn = event_family_from_name },
	{ .key = "type", .type = JF_ENUM, .off = OFF(u.call.type), .nullable = 1, .name_fn = event_type_name, .value_fn = event_type_from_name },
};

static const struct jf_field socket_fields[] = {
	STR("local", u.sock.local),
	STR("peer", u.sock.peer),
	{ .key = "state", .type = JF_STATE, .off = OFF(u.sock.state), .nullable = 1, .null_value = -1 },
	NUMN("recv_q", ST_LONG, u.sock.recv_q, -1),
	NUMN("send_q", ST_LONG, u.sock.send_q, -1),
	{ .key = "timer", .type = JF_ENUM, .off = OFF(u.sock.timer), .nullable = 1, .names = timer_names },
	NUMN("timer_ms", ST_LONG, u.sock.timer_ms, -1),
	NUMN("inode", ST_ULONG, u.sock.inode, 0),
	{ .key = "owner", .type = JF_OWNER },
	NUM("snapshot", ST_INT, u.sock.snapshot),
	NUM("rows", ST_INT, u.sock.rows),
};

static const struct jf_field packet_fields[] = {
	STR("src", u.pkt.src),
	STR("dst", u.pkt.dst),
	STR("flags", u.pkt.flags),
	NUM("seq", ST_U32, u.pkt.seq),
	NUM("ack", ST_U32, u.pkt.ack),
	NUM("rel_seq", ST_U32, u.pkt.rel_seq),
	NUM("rel_ack", ST_U32, u.pkt.rel_ack),
	NUM("len", ST_INT, u.pkt.len),
	NUM("win", ST_U16, u.pkt.win),
};

static const struct jf_field step_fields[] = {
	NUM("index", ST_INT, u.note.index),
	NUM("count", ST_INT, u.note.count),
	STR("text", u.note.text),
};

static const struct jf_field expect_fields[] = {
	{ .key = "ok", .type = JF_OK },
	STR("text", u.note.text),
};

static const struct jf_field answer_fields[] = {
	{ .key = "ok", .type = JF_OK },
	STR("text", u.note.text),
	STR("field", u.note.field),
	STR("value", u.note.value),
};

static const struct jf_field note_fields[] = {
	{ .key = "level", .type = JF_ENUM, .off = OFF(u.note.index), .names = level_names },
	STR("text", u.note.text),
};

static const struct jf_name stream_names[] = {
	{ 1, "stdout" }, { 2, "stderr" }, { 0, NULL },
};

static const struct jf_field process_fields[] = {
	STR("what", u.proc.what),
	NUMN("ppid", ST_INT, u.proc.ppid, 0),
	NUMN("status", ST_INT, u.proc.status, -1),
	NUMN("signal", ST_INT, u.proc.signal, 0),
	STR("command", u.proc.command),
};

static const struct jf_field output_fields[] = {
	{ .key = "stream", .type = JF_ENUM, .off = OFF(u.note.index), .names = stream_names },
	STR("text", u.note.text),
};

struct jf_table {
	const struct jf_field *fields;
	size_t count;
};

#define TABLE(a) { a, ARRAY_LEN(a) }
static const struct jf_table kind_tables[SS_EV_KIND_COUNT] = {
	[SS_EV_CALL] = TABLE(call_fields),	[SS_EV_BEGIN] = TABLE(call_fields),
	[SS_EV_BLOCKED] = TABLE(call_fields),	[SS_EV_SOCKET] = TABLE(socket_fields),
	[SS_EV_PACKET] = TABLE(packet_fields),	[SS_EV_STEP] = TABLE(step_fields),
	[SS_EV_EXPECT] = TABLE(expect_fields),	[SS_EV_NOTE] = TABLE(note_fields),
	[SS_EV_END] = { NULL, 0 },
	[SS_EV_QUESTION] = TABLE(step_fields),	[SS_EV_ANSWER] = TABLE(answer_fields),
	[SS_EV_PROCESS] = TABLE(process_fields), [SS_EV_OUTPUT] = TABLE(output_fields),
};

static const char *name_of(const struct jf_name *t, int v)
{
	for (; t->name != NULL; t++)
		if (t->value == v)
			return t->name;
	return NULL;
}

static int value_of(const struct jf_name *t, const char *name, int *v)
{
	for (; t->name != NULL; t++)
		if (strcmp(t->name, name) == 0) {
			*v = t->value;
			return 0;
		}
	return -1;
}

/* Length of the valid UTF-8 sequence at s (1..4), 0 if invalid.  Overlong
 * forms, surrogates and code points past U+10FFFF are invalid. */
static size_t utf8_len(const unsigned char *s, size_t n)
{
	if (n == 0)
		return 0;
	if (s[0] < 0x80)
		return 1;
	size_t len;
	unsigned min;
	unsigned cp;
	if (s[0] >= 0xc2 && s[0] <= 0xdf) {
		len = 2, min = 0x80, cp = s[0] & 0x1f;
	} else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		len = 3, min = 0x800, cp = s[0] & 0x0f;
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		len = 4, min = 0x10000, cp = s[0] & 0x07;
	} else {
		return 0;
	}
	if (n < len)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return len;
}

/* ---- writer ---------------------------------------------------------- */

struct jw {
	char *buf;
	size_t size;
	size_t len;
	int full;
	int first;
};

static void jw_raw(struct jw *w, const char *s, size_t n)
{
	if (w->full || w->len + n >= w->size) {
		w->full = 1;
		return;
	}
	memcpy(w->buf + w->len, s, n);
	w->len += n;
	w->buf[w->len] = '\0';
}

static void jw_puts(struct jw *w, const char *s)
{
	jw_raw(w, s, strlen(s));
}

__attribute__((format(printf, 2, 3))) static void jw_printf(struct jw *w, const char *fmt, ...)
{
	char tmp[64];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(tmp, sizeof(tmp), fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof(tmp)) {
		w->full = 1;
		return;
	}
	jw_raw(w, tmp, (size_t)n);
}

static void jw_key(struct jw *w, const char *key)
{
	if (!w->first)
		jw_raw(w, ",", 1);
	w->first = 0;
	jw_raw(w, "\"", 1);
	jw_puts(w, key);
	jw_raw(w, "\":", 2);
}

/* A JSON string of at most n bytes of s.  Controls and DEL become \u00XX
 * so a trace is safe to cat; a byte that is not valid UTF-8 becomes '?'
 * (one byte for one, so reading the line back fits the same field). */
static void jw_string(struct jw *w, const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	jw_raw(w, "\"", 1);
	for (size_t i = 0; i < n;) {
		unsigned char c = p[i];
		if (c == '"' || c == '\\') {
			char esc[2] = { '\\', (char)c };
			jw_raw(w, esc, 2);
			i++;
		} else if (c < 0x20 || c == 0x7f) {
			jw_printf(w, "\\u%04x", c);
			i++;
		} else if (c < 0x80) {
			/* a run of plain ASCII in one copy */
			size_t j = i + 1;
			while (j < n && p[j] >= 0x20 && p[j] < 0x7f && p[j] != '"' &&
			       p[j] != '\\')
				j++;
			jw_raw(w, (const char *)&p[i], j - i);
			i = j;
		} else {
			size_t len = utf8_len(p + i, n - i);
			if (len == 0) {
				jw_raw(w, "?", 1);
				i++;
			} else if (len == 2 && c == 0xc2 && p[i + 1] < 0xa0) {
				/* C1 controls (U+0080..U+009F): some terminals
				 * act on them, so they are escaped too */
				jw_printf(w, "\\u%04x", p[i + 1]);
				i += 2;
			} else {
				jw_raw(w, (const char *)&p[i], len);
				i += len;
			}
		}
	}
	jw_raw(w, "\"", 1);
}

static void jw_null(struct jw *w)
{
	jw_raw(w, "null", 4);
}

/* The decimal digits of v, written backwards ending at end; returns the
 * first.  printf's cost, without the format string, for every number. */
static char *fmt_digits(char *end, unsigned long long v)
{
	do {
		*--end = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	return end;
}

static void jw_signed(struct jw *w, long long v)
{
	char tmp[24];
	char *e = tmp + sizeof tmp;
	char *q = fmt_digits(e, v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v);

	if (v < 0)
		*--q = '-';
	jw_raw(w, q, (size_t)(e - q));
}

static void jw_unsigned(struct jw *w, unsigned long long v)
{
	char tmp[24];
	char *e = tmp + sizeof tmp;
	char *q = fmt_digits(e, v);

	jw_raw(w, q, (size_t)(e - q));
}

static void jw_time(struct jw *w, double t)
{
	/* Integer arithmetic, not %f: the UI runs under setlocale(LC_ALL, "")
	 * and a decimal comma would break every consumer of the trace. */
	if (!isfinite(t) || t >= JSONL_T_MAX || t <= -JSONL_T_MAX)
		t = 0.0;
	int neg = t < 0;
	double a = neg ? -t : t;
	long long us = (long long)(a * 1e6 + 0.5);
	char tmp[32];
	char *e = tmp + sizeof tmp, *q = e;
	long long frac = us % 1000000;
	for (int i = 0; i < 6; i++, frac /= 10)
		*--q = (char)('0' + frac % 10);
	*--q = '.';
	q = fmt_digits(q, (unsigned long long)(us / 1000000));
	if (neg && us != 0)
		*--q = '-';
	jw_raw(w, q, (size_t)(e - q));
}

static const void *field_ptr(const struct ss_event *ev, const struct jf_field *f)
{
	return (const char *)ev + f->off;
}

/* Numbers as stored; 1 if the value is the field's "not reported" one. */
static int jw_number(struct jw *w, const struct ss_event *ev, const struct jf_field *f)
{
	const void *p = field_ptr(ev, f);
	switch (f->store) {
	case ST_INT: {
		int v = *(const int *)p;
		if (f->nullable && v == f->null_value)
			return 1;
		jw_signed(w, v);
		return 0;
	}
	case ST_LONG: {
		long v = *(const long *)p;
		if (f->nullable && v == f->null_value)
			return 1;
		jw_signed(w, v);
		return 0;
	}
	case ST_ULONG: {
		unsigned long v = *(const unsigned long *)p;
		if (f->nullable && f->null_value >= 0 && v == (unsigned long)f->null_value)
			return 1;
		jw_unsigned(w, v);
		return 0;
	}
	case ST_U32:
		jw_unsigned(w, *(const uint32_t *)p);
		return 0;
	case ST_U16:
		jw_unsigned(w, *(const uint16_t *)p);
		return 0;
	}
	return 1;
}

static void jw_errno_text(struct jw *w, int err)
{
	/* strerrordesc_np is English whatever the locale: the trace format
	 * must not change with LANG. */
	const char *text = NULL;
#if defined(__GLIBC__) && (__GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 32))
	text = strerrordesc_np(err);
#else
	text = strerror(err);
#endif
	if (text != NULL) {
		jw_string(w, text, strlen(text));
	} else {
		char tmp[32];
		int n = snprintf(tmp, sizeof(tmp), "Unknown error %d", err);
		jw_string(w, tmp, (size_t)n);
	}
}

/* A named int: its name (TCP state, family, type, timer, level) or, if
 * unnamed, the number; null for the field's "not reported" value. */
static void jw_enum(struct jw *w, int v, const struct jf_field *f)
{
	const char *name;

	if (f->nullable && v == f->null_value) {
		jw_null(w);
		return;
	}
	if (f->type == JF_STATE) {
		name = event_tcp_state_name(v);
		if (name[0] == '\0' || strcmp(name, "UNKNOWN") == 0)
			name = NULL;
	} else {
		name = f->names ? name_of(f->names, v) : f->name_fn(v);
	}
	if (name != NULL)
		jw_string(w, name, strlen(name));
	else
		jw_printf(w, "%d", v);
}

static void jw_field(struct jw *w, const struct ss_event *ev, const struct jf_field *f)
{
	const struct ss_call_event *c = &ev->u.call;

	if (f->omit_null && *(const int *)field_ptr(ev, f) == f->null_value)
		return;
	jw_key(w, f->key);
	if (f->call_only && ev->kind != SS_EV_CALL) {
		jw_null(w);
		return;
	}
	switch (f->type) {
	case JF_TIME:
		jw_time(w, ev->t);
		return;
	case JF_KIND:
		jw_string(w, event_kind_name(ev->kind), strlen(event_kind_name(ev->kind)));
		return;
	case JF_STR: {
		const char *s = field_ptr(ev, f);
		size_t n = strnlen(s, f->size);
		if (n == 0)
			jw_null(w);
		else
			jw_string(w, s, n);
		return;
	}
	case JF_NUM:
		if (jw_number(w, ev, f))
			jw_null(w);
		return;
	case JF_STATE:
	case JF_ENUM:
		jw_enum(w, *(const int *)field_ptr(ev, f), f);
		return;
	case JF_ERRNO: {
		if (c->err == 0) {
			jw_null(w);
			return;
		}
		const char *name = event_errno_name(c->err);
		char tmp[24];
		if (name == NULL) {
			snprintf(tmp, sizeof(tmp), "E%d", c->err);
			name = tmp;
		}
		jw_string(w, name, strlen(name));
		return;
	}
	case JF_ERROR:
		if (c->err == 0)
			jw_null(w);
		else
			jw_errno_text(w, c->err);
		return;
	case JF_TRUNC:
		jw_puts(w, (c->msg_flags & MSG_TRUNC) ? "true" : "false");
		return;
	case JF_DATA: {
		if (c->bytes == -1) {
			jw_null(w);
			return;
		}
		char text[JSONL_DATA_TEXT_MAX];
		size_t n = c->data_len < 0 ? 0 : (size_t)c->data_len;
		if (n > SS_PREVIEW_MAX)
			n = SS_PREVIEW_MAX;
		escape_bytes(text, sizeof(text), c->data, n);
		jw_string(w, text, strlen(text));
		return;
	}
	case JF_OWNER: {
		const struct ss_socket_event *s = &ev->u.sock;
		size_t n = strnlen(s->owner, sizeof(s->owner));
		if (n == 0) {
			jw_null(w);
			return;
		}
		jw_puts(w, "{\"actor\":");
		jw_string(w, s->owner, n);
		jw_puts(w, ",\"fd\":");
		if (s->owner_fd == -1)
			jw_null(w);
		else
			jw_printf(w, "%d", s->owner_fd);
		jw_puts(w, "}");
		return;
	}
	case JF_OK:
		jw_puts(w, ev->u.note.index == 1 ? "true" : "false");
		return;
	}
}

int jsonl_format(const struct ss_event *ev, char *buf, size_t size)
{
	struct jw w = { .buf = buf, .size = size, .first = 1 };

	if (buf == NULL || size == 0 || event_kind_name(ev->kind) == NULL)
		return -1;
	buf[0] = '\0';
	jw_raw(&w, "{", 1);
	for (size_t i = 0; i < ARRAY_LEN(common_fields); i++)
		jw_field(&w, ev, &common_fields[i]);
	const struct jf_table *tab = &kind_tables[ev->kind];
	for (size_t i = 0; i < tab->count; i++)
		jw_field(&w, ev, &tab->fields[i]);
	jw_raw(&w, "}\n", 2);
	if (w.full) {
		buf[0] = '\0';
		return -1;
	}
	return (int)w.len;
}

/* ---- parser ---------------------------------------------------------- */

struct jr {
	const char *start;
	const char *p;
	const char *end;
	char *err;
	size_t errsz;
};

__attribute__((format(printf, 2, 3))) static int jr_fail(struct jr *r, const char *fmt, ...)
{
	if (r->err != NULL && r->errsz > 0) {
		char msg[160], shown[160];
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(msg, sizeof(msg), fmt, ap);
		va_end(ap);
		/* a message quotes keys and names from the file: printable only */
		escape_string(shown, sizeof shown, msg);
		snprintf(r->err, r->errsz, "column %zu: %s", (size_t)(r->p - r->start) + 1, shown);
	}
	return -1;
}

static void jr_ws(struct jr *r)
{
	while (r->p < r->end && (*r->p == ' ' || *r->p == '\t' || *r->p == '\n' || *r->p == '\r'))
		r->p++;
}

static int jr_peek(const struct jr *r)
{
	return r->p < r->end ? (unsigned char)*r->p : -1;
}

/* Consume a literal ("null", "true", "false"); 1 if it was there. */
static int jr_word(struct jr *r, const char *word)
{
	size_t n = strlen(word);
	if ((size_t)(r->end - r->p) < n || memcmp(r->p, word, n) != 0)
		return 0;
	r->p += n;
	return 1;
}

static int hex4(const char *p, unsigned *out)
{
	unsigned v = 0;
	for (int i = 0; i < 4; i++) {
		char c = p[i];
		v <<= 4;
		if (c >= '0' && c <= '9')
			v |= (unsigned)(c - '0');
		else if (c >= 'a' && c <= 'f')
			v |= (unsigned)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			v |= (unsigned)(c - 'A' + 10);
		else
			return -1;
	}
	*out = v;
	return 0;
}

/* Decode a JSON string into out (NUL-terminated; out may be NULL to
 * skip).  Too long a value is cut at a character boundary and *cut set. */
static int jr_string(struct jr *r, char *out, size_t outsz, int *cut)
{
	size_t len = 0;
	int truncated = 0;

	if (jr_peek(r) != '"')
		return jr_fail(r, "expected a string");
	r->p++;
	for (;;) {
		if (r->p >= r->end)
			return jr_fail(r, "unterminated string");
		unsigned char c = (unsigned char)*r->p;
		char enc[4];
		size_t n;
		if (c == '"') {
			r->p++;
			break;
		}
		if (c < 0x20)
			return jr_fail(r, "control character in string");
		if (c == '\\') {
			if (r->end - r->p < 2)
				return jr_fail(r, "unterminated string");
			char e = r->p[1];
			const char *simple = "\"\\/bfnrt";
			const char *decoded = "\"\\/\b\f\n\r\t";
			const char *hit = strchr(simple, e);
			if (e != '\0' && hit != NULL) {
				enc[0] = decoded[hit - simple];
				n = 1;
				r->p += 2;
			} else if (e == 'u') {
				unsigned cp, lo;
				if (r->end - r->p < 6 || hex4(r->p + 2, &cp) != 0)
					return jr_fail(r, "bad \\u escape");
				r->p += 6;
				if (cp >= 0xdc00 && cp <= 0xdfff)
					return jr_fail(r, "lone low surrogate");
				if (cp >= 0xd800 && cp <= 0xdbff) {
					if (r->end - r->p < 6 || r->p[0] != '\\' || r->p[1] != 'u' ||
					    hex4(r->p + 2, &lo) != 0 || lo < 0xdc00 || lo > 0xdfff)
						return jr_fail(r, "unpaired surrogate");
					r->p += 6;
					cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
				}
				/* A NUL would silently end the C string. */
				if (cp == 0)
					return jr_fail(r, "\\u0000 in string");
				if (cp < 0x80) {
					enc[0] = (char)cp;
					n = 1;
				} else if (cp < 0x800) {
					enc[0] = (char)(0xc0 | cp >> 6);
					enc[1] = (char)(0x80 | (cp & 0x3f));
					n = 2;
				} else if (cp < 0x10000) {
					enc[0] = (char)(0xe0 | cp >> 12);
					enc[1] = (char)(0x80 | (cp >> 6 & 0x3f));
					enc[2] = (char)(0x80 | (cp & 0x3f));
					n = 3;
				} else {
					enc[0] = (char)(0xf0 | cp >> 18);
					enc[1] = (char)(0x80 | (cp >> 12 & 0x3f));
					enc[2] = (char)(0x80 | (cp >> 6 & 0x3f));
					enc[3] = (char)(0x80 | (cp & 0x3f));
					n = 4;
				}
			} else {
				return jr_fail(r, "bad escape in string");
			}
		} else if (c < 0x80) {
			enc[0] = (char)c;
			n = 1;
			r->p++;
		} else {
			n = utf8_len((const unsigned char *)r->p, (size_t)(r->end - r->p));
			if (n == 0)
				return jr_fail(r, "invalid UTF-8 in string");
			memcpy(enc, r->p, n);
			r->p += n;
		}
		if (out != NULL && !truncated) {
			if (len + n < outsz) {
				memcpy(out + len, enc, n);
				len += n;
			} else {
				truncated = 1;
			}
		}
	}
	if (out != NULL && outsz > 0)
		out[len] = '\0';
	if (cut != NULL)
		*cut = truncated;
	return 0;
}

struct jnum {
	int neg;
	int is_int;
	int overflow;         /* integer part does not fit an unsigned long long */
	unsigned long long mag; /* integer part's magnitude */
	double value;
};

static int is_digit(int c)
{
	return c >= '0' && c <= '9';
}

/* A number exactly as JSON's grammar has it, read without strtod (whose
 * decimal point follows the locale). */
static int jr_number(struct jr *r, struct jnum *n)
{
	unsigned long long mant = 0;
	int sig = 0;
	long dexp = 0;

	memset(n, 0, sizeof(*n));
	n->is_int = 1;
	if (jr_peek(r) == '-') {
		n->neg = 1;
		r->p++;
	}
	if (!is_digit(jr_peek(r)))
		return jr_fail(r, "expected a number");
	if (*r->p == '0') {
		r->p++;
	} else {
		while (is_digit(jr_peek(r))) {
			unsigned d = (unsigned)(*r->p++ - '0');
			if (n->mag > (ULLONG_MAX - d) / 10)
				n->overflow = 1;
			else
				n->mag = n->mag * 10 + d;
			if (sig < 19) {
				mant = mant * 10 + d;
				sig++;
			} else {
				dexp++;
			}
		}
	}
	if (jr_peek(r) == '.') {
		n->is_int = 0;
		r->p++;
		if (!is_digit(jr_peek(r)))
			return jr_fail(r, "expected digits after '.'");
		while (is_digit(jr_peek(r))) {
			unsigned d = (unsigned)(*r->p++ - '0');
			if (sig < 19 && (mant != 0 || d != 0)) {
				mant = mant * 10 + d;
				sig++;
				dexp--;
			} else if (sig < 19) {
				dexp--; /* a leading zero of the fraction */
			}
		}
	}
	if (jr_peek(r) == 'e' || jr_peek(r) == 'E') {
		int eneg = 0;
		long e = 0;
		n->is_int = 0;
		r->p++;
		if (jr_peek(r) == '+' || jr_peek(r) == '-')
			eneg = *r->p++ == '-';
		if (!is_digit(jr_peek(r)))
			return jr_fail(r, "expected digits in exponent");
		while (is_digit(jr_peek(r))) {
			if (e < 100000)
				e = e * 10 + (*r->p - '0');
			r->p++;
		}
		dexp += eneg ? -e : e;
	}
	/* Powers of ten up to 1e22 are exact doubles, so the usual case
	 * ("12.345678") is one correctly rounded division. */
	long k = dexp < 0 ? -dexp : dexp;
	double scale = 1.0;
	for (long i = 0; i < k && scale < 1e308; i++)
		scale *= 10.0;
	double v = (double)mant;
	v = dexp < 0 ? v / scale : v * scale;
	n->value = n->neg ? -v : v;
	return 0;
}

static int jr_skip_value(struct jr *r, int depth);

typedef int (*jr_member_fn)(struct jr *r, const char *key, void *ctx);

/* Walk an object, calling fn with r at each member's value; fn consumes
 * the value (or skips it). */
static int jr_object(struct jr *r, jr_member_fn fn, void *ctx, int depth)
{
	if (depth > JSONL_DEPTH_MAX)
		return jr_fail(r, "nested too deeply");
	if (jr_peek(r) != '{')
		return jr_fail(r, "expected an object");
	r->p++;
	jr_ws(r);
	if (jr_peek(r) == '}') {
		r->p++;
		return 0;
	}
	for (;;) {
		/* Known keys are short; a longer one is cut and so never matches. */
		char key[32];
		jr_ws(r);
		if (jr_string(r, key, sizeof(key), NULL) != 0)
			return -1;
		jr_ws(r);
		if (jr_peek(r) != ':')
			return jr_fail(r, "expected ':' after \"%s\"", key);
		r->p++;
		jr_ws(r);
		if (fn(r, key, ctx) != 0)
			return -1;
		jr_ws(r);
		int c = jr_peek(r);
		r->p += c != -1;
		if (c == '}')
			return 0;
		if (c != ',')
			return jr_fail(r, "expected ',' or '}'");
	}
}

static int jr_skip_member(struct jr *r, const char *key, void *ctx)
{
	(void)key;
	return jr_skip_value(r, *(int *)ctx);
}

static int jr_skip_value(struct jr *r, int depth)
{
	struct jnum n;
	int c = jr_peek(r);

	if (depth > JSONL_DEPTH_MAX)
		return jr_fail(r, "nested too deeply");
	if (c == '{') {
		int inner = depth + 1;
		return jr_object(r, jr_skip_member, &inner, depth + 1);
	}
	if (c == '[') {
		r->p++;
		jr_ws(r);
		if (jr_peek(r) == ']') {
			r->p++;
			return 0;
		}
		for (;;) {
			jr_ws(r);
			if (jr_skip_value(r, depth + 1) != 0)
				return -1;
			jr_ws(r);
			c = jr_peek(r);
			r->p += c != -1;
			if (c == ']')
				return 0;
			if (c != ',')
				return jr_fail(r, "expected ',' or ']'");
		}
	}
	if (c == '"')
		return jr_string(r, NULL, 0, NULL);
	if (c == '-' || is_digit(c))
		return jr_number(r, &n);
	if (jr_word(r, "null") || jr_word(r, "true") || jr_word(r, "false"))
		return 0;
	return c == -1 ? jr_fail(r, "unexpected end of line") : jr_fail(r, "unexpected character");
}

/* An integer that fits the field's storage, written there. */
static int jr_store_number(struct jr *r, const char *key, const struct jnum *n, enum jf_store st,
			   void *p)
{
	if (!n->is_int)
		return jr_fail(r, "\"%s\": expected an integer", key);
	if (n->overflow)
		return jr_fail(r, "\"%s\": number out of range", key);
	unsigned long long m = n->mag;
	switch (st) {
	case ST_INT:
		if (n->neg ? m > (unsigned long long)INT_MAX + 1 : m > INT_MAX)
			break;
		*(int *)p = n->neg ? (int)(-(long long)m) : (int)m;
		return 0;
	case ST_LONG:
		if (n->neg ? m > (unsigned long long)LONG_MAX + 1 : m > LONG_MAX)
			break;
		/* -(LONG_MIN) overflows: build negatives from m - 1. */
		if (!n->neg || m == 0)
			*(long *)p = (long)m;
		else
			*(long *)p = -(long)(m - 1) - 1;
		return 0;
	case ST_ULONG:
		if ((n->neg && m != 0) || m > ULONG_MAX)
			break;
		*(unsigned long *)p = (unsigned long)m;
		return 0;
	case ST_U32:
		if ((n->neg && m != 0) || m > UINT32_MAX)
			break;
		*(uint32_t *)p = (uint32_t)m;
		return 0;
	case ST_U16:
		if ((n->neg && m != 0) || m > UINT16_MAX)
			break;
		*(uint16_t *)p = (uint16_t)m;
		return 0;
	}
	return jr_fail(r, "\"%s\": number out of range", key);
}

static int jr_bool(struct jr *r, const char *key, int *out)
{
	if (jr_word(r, "true"))
		*out = 1;
	else if (jr_word(r, "false"))
		*out = 0;
	else
		return jr_fail(r, "\"%s\": expected true or false", key);
	return 0;
}

struct owner_ctx {
	struct ss_socket_event *sock;
};

static int jr_owner_member(struct jr *r, const char *key, void *ctx)
{
	struct ss_socket_event *s = ((struct owner_ctx *)ctx)->sock;
	if (strcmp(key, "actor") == 0) {
		if (jr_word(r, "null")) {
			s->owner[0] = '\0';
			return 0;
		}
		return jr_string(r, s->owner, sizeof(s->owner), NULL);
	}
	if (strcmp(key, "fd") == 0) {
		struct jnum n;
		if (jr_word(r, "null")) {
			s->owner_fd = -1;
			return 0;
		}
		if (jr_number(r, &n) != 0)
			return -1;
		return jr_store_number(r, "owner.fd", &n, ST_INT, &s->owner_fd);
	}
	int depth = 2;
	return jr_skip_value(r, depth);
}

static void *field_ptr_mut(struct ss_event *ev, const struct jf_field *f)
{
	return (char *)ev + f->off;
}

/* "E<number>" as jsonl_format writes an errno it has no name for. */
static int errno_from_number_name(const char *s, int *err)
{
	long v = 0;
	int neg = 0;
	const char *p = s + 1;
	if (s[0] != 'E')
		return -1;
	if (*p == '-') {
		neg = 1;
		p++;
	}
	if (!is_digit((unsigned char)*p))
		return -1;
	for (; *p != '\0'; p++) {
		if (!is_digit((unsigned char)*p) || v > INT_MAX / 10)
			return -1;
		v = v * 10 + (*p - '0');
	}
	*err = neg ? (int)-v : (int)v;
	return 0;
}

/* A named int as jw_enum writes it: a name from the field's table, or a
 * number. */
static int jr_enum(struct jr *r, int *v, const struct jf_field *f)
{
	struct jnum n;
	char name[32];

	if (jr_peek(r) != '"') {
		if (jr_number(r, &n) != 0)
			return -1;
		return jr_store_number(r, f->key, &n, ST_INT, v);
	}
	if (jr_string(r, name, sizeof(name), NULL) != 0)
		return -1;
	if (f->type == JF_STATE) {
		int s = event_tcp_state_from_name(name);
		if (s < 0)
			return jr_fail(r, "\"%s\": unknown TCP state \"%s\"", f->key, name);
		*v = s;
		return 0;
	}
	if (f->names == NULL && (*v = f->value_fn(name)) >= 0)
		return 0;
	if (f->names == NULL || value_of(f->names, name, v) != 0)
		return jr_fail(r, "\"%s\": unknown value \"%s\"", f->key, name);
	return 0;
}

static int jr_field(struct jr *r, struct ss_event *ev, const struct jf_field *f)
{
	struct ss_call_event *c = &ev->u.call;
	struct jnum n;
	char tmp[JSONL_DATA_TEXT_MAX];

	/* Null is "not reported": the value event_init left stays. */
	if (jr_word(r, "null")) {
		if (f->type == JF_DATA)
			c->data_len = 0;
		return 0;
	}
	if (f->call_only && ev->kind != SS_EV_CALL)
		return jr_skip_value(r, 1);

	switch (f->type) {
	case JF_TIME:
		if (jr_number(r, &n) != 0)
			return -1;
		if (!isfinite(n.value) || n.value >= JSONL_T_MAX || n.value <= -JSONL_T_MAX)
			return jr_fail(r, "\"t\": out of range");
		ev->t = n.value;
		return 0;
	case JF_KIND:
	case JF_ERROR:
		/* kind was read in the first pass; error is derived from errno. */
		return jr_skip_value(r, 1);
	case JF_STR:
		return jr_string(r, field_ptr_mut(ev, f), f->size, NULL);
	case JF_NUM:
		if (jr_number(r, &n) != 0)
			return -1;
		return jr_store_number(r, f->key, &n, f->store, field_ptr_mut(ev, f));
	case JF_STATE:
	case JF_ENUM:
		return jr_enum(r, field_ptr_mut(ev, f), f);
	case JF_ERRNO: {
		char name[32];
		if (jr_string(r, name, sizeof(name), NULL) != 0)
			return -1;
		int e = event_errno_from_name(name);
		if (e == 0 && errno_from_number_name(name, &e) != 0)
			return jr_fail(r, "\"errno\": unknown name \"%s\"", name);
		c->err = e;
		return 0;
	}
	case JF_TRUNC: {
		int b = 0;
		if (jr_bool(r, f->key, &b) != 0)
			return -1;
		if (b)
			c->msg_flags |= MSG_TRUNC;
		else
			c->msg_flags &= ~MSG_TRUNC;
		return 0;
	}
	case JF_DATA: {
		int cut = 0;
		if (jr_string(r, tmp, sizeof(tmp), &cut) != 0)
			return -1;
		if (cut) {
			/* Longer than any preview we write: keep whole escapes
			 * for the first SS_PREVIEW_MAX bytes, drop the rest. */
			size_t i = 0, len = strlen(tmp);
			for (int bytes = 0; bytes < SS_PREVIEW_MAX && i < len; bytes++) {
				size_t tl = tmp[i] != '\\' ? 1 : tmp[i + 1] == 'x' ? 4 : 2;
				if (i + tl > len)
					break;
				i += tl;
			}
			tmp[i] = '\0';
		}
		long got = unescape_bytes(c->data, sizeof(c->data), tmp);
		if (got < 0)
			return jr_fail(r, "\"data\": malformed escape");
		c->data_len = (int)got;
		return 0;
	}
	case JF_OWNER: {
		struct owner_ctx oc = { &ev->u.sock };
		ev->u.sock.owner[0] = '\0';
		ev->u.sock.owner_fd = -1;
		return jr_object(r, jr_owner_member, &oc, 1);
	}
	case JF_OK: {
		int b = 0;
		if (jr_bool(r, f->key, &b) != 0)
			return -1;
		ev->u.note.index = b;
		return 0;
	}
	}
	return jr_skip_value(r, 1);
}

static const struct jf_field *find_field(const struct jf_field *fields, size_t count, const char *key)
{
	for (size_t i = 0; i < count; i++)
		if (strcmp(fields[i].key, key) == 0)
			return &fields[i];
	return NULL;
}

struct kind_ctx {
	int kind;    /* -1 until seen */
	int unknown; /* the kind is not one this version knows */
};

static int jr_kind_member(struct jr *r, const char *key, void *ctx)
{
	struct kind_ctx *k = ctx;
	if (strcmp(key, "kind") != 0)
		return jr_skip_value(r, 1);
	char name[SS_NAME_MAX];
	const char *at = r->p;
	if (jr_word(r, "null"))
		return 0;
	if (jr_string(r, name, sizeof(name), NULL) != 0)
		return -1;
	k->kind = event_kind_from_name(name);
	if (k->kind < 0) {
		r->p = at;
		k->unknown = 1;
		return jr_fail(r, "unknown kind \"%s\"", name);
	}
	return 0;
}

static int jr_event_member(struct jr *r, const char *key, void *ctx)
{
	struct ss_event *ev = ctx;
	const struct jf_table *tab = &kind_tables[ev->kind];
	const struct jf_field *f = find_field(common_fields, ARRAY_LEN(common_fields), key);
	if (f == NULL)
		f = find_field(tab->fields, tab->count, key);
	if (f == NULL)
		return jr_skip_value(r, 1); /* newer traces may carry more */
	return jr_field(r, ev, f);
}

/* The whole line is one object and nothing but whitespace after it. */
static int jr_line(struct jr *r, jr_member_fn fn, void *ctx)
{
	jr_ws(r);
	if (r->p == r->end)
		return jr_fail(r, "empty line");
	if (jr_object(r, fn, ctx, 0) != 0)
		return -1;
	jr_ws(r);
	if (r->p != r->end)
		return jr_fail(r, "text after the object");
	return 0;
}

enum jsonl_status jsonl_parse_status(const char *line, struct ss_event *ev,
				     char *err, size_t errsz)
{
	struct jr r = { .start = line, .p = line, .err = err, .errsz = errsz };
	struct kind_ctx k = { -1, 0 };
	struct ss_event tmp;

	if (err != NULL && errsz > 0)
		err[0] = '\0';
	if (line == NULL) {
		jr_fail(&r, "no line");
		return JSONL_BAD;
	}
	r.end = line + strlen(line);

	/* Fields may come in any order, but what "local" means depends on
	 * the kind: find the kind first, then read the fields. */
	if (jr_line(&r, jr_kind_member, &k) != 0)
		return k.unknown ? JSONL_UNKNOWN_KIND : JSONL_BAD;
	if (k.kind < 0) {
		r.p = line;
		jr_fail(&r, "no \"kind\" field");
		return JSONL_BAD;
	}
	event_init(&tmp, (enum ss_kind)k.kind);
	r.p = line;
	if (jr_line(&r, jr_event_member, &tmp) != 0)
		return JSONL_BAD;
	memcpy(ev, &tmp, sizeof(*ev)); /* padding too: callers may memcmp */
	return JSONL_OK;
}

int jsonl_parse(const char *line, struct ss_event *ev, char *err, size_t errsz)
{
	return jsonl_parse_status(line, ev, err, errsz) == JSONL_OK ? 0 : -1;
}
