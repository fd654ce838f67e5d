/*
 * jsonl_format: an event as one JSON object a line (docs/trace-format.md).
 *
 * Walks the field tables (jsonl_fields.h) in order and writes every field
 * of the kind, null for a value not reported.  Numbers are written with
 * integer arithmetic, never printf's %f, so the output is the same under
 * every locale; strings are made safe to cat (controls, C1, bad UTF-8).
 */
#include "sockstep/jsonl.h"

#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "sockstep/escape.h"
#include "sockstep/jsonl_fields.h"

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
			size_t len = jf_utf8_len(p + i, n - i);
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


/* Numbers as stored; 1 if the value is the field's "not reported" one. */
static int jw_number(struct jw *w, const struct ss_event *ev, const struct jf_field *f)
{
	const void *p = jf_ptr(ev, f);
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
		name = f->names ? jf_name_of(f->names, v) : f->name_fn(v);
	}
	if (name != NULL)
		jw_string(w, name, strlen(name));
	else
		jw_printf(w, "%d", v);
}

/* A string field; "" is not reported. */
static void jw_str(struct jw *w, const struct ss_event *ev, const struct jf_field *f)
{
	const char *s = jf_ptr(ev, f);
	size_t n = strnlen(s, f->size);

	if (n == 0)
		jw_null(w);
	else
		jw_string(w, s, n);
}

/* errno by its name ("EADDRINUSE"), "E<n>" if it has none; null for 0. */
static void jw_errno_name(struct jw *w, int err)
{
	char tmp[24];

	if (err == 0) {
		jw_null(w);
		return;
	}
	const char *name = event_errno_name(err);
	if (name == NULL) {
		snprintf(tmp, sizeof(tmp), "E%d", err);
		name = tmp;
	}
	jw_string(w, name, strlen(name));
}

/* The data preview through escape_bytes: peer bytes never reach the
 * trace raw.  Null when the call moved no data. */
static void jw_data(struct jw *w, const struct ss_call_event *c)
{
	char text[JSONL_DATA_TEXT_MAX];
	size_t n = c->data_len < 0 ? 0 : (size_t)c->data_len;

	if (c->bytes == -1) {
		jw_null(w);
		return;
	}
	if (n > SS_PREVIEW_MAX)
		n = SS_PREVIEW_MAX;
	escape_bytes(text, sizeof(text), c->data, n);
	jw_string(w, text, strlen(text));
}

/* {"actor":..,"fd":..}, or null when no actor owns the socket. */
static void jw_owner(struct jw *w, const struct ss_socket_event *s)
{
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
}

/* The value of field f, by its type. */
static void jw_value(struct jw *w, const struct ss_event *ev, const struct jf_field *f)
{
	const struct ss_call_event *c = &ev->u.call;

	switch (f->type) {
	case JF_TIME:
		jw_time(w, ev->t);
		return;
	case JF_KIND:
		jw_string(w, event_kind_name(ev->kind), strlen(event_kind_name(ev->kind)));
		return;
	case JF_STR:
		jw_str(w, ev, f);
		return;
	case JF_NUM:
		if (jw_number(w, ev, f))
			jw_null(w);
		return;
	case JF_STATE:
	case JF_ENUM:
		jw_enum(w, *(const int *)jf_ptr(ev, f), f);
		return;
	case JF_ERRNO:
		jw_errno_name(w, c->err);
		return;
	case JF_ERROR:
		if (c->err == 0)
			jw_null(w);
		else
			jw_errno_text(w, c->err);
		return;
	case JF_TRUNC:
		jw_puts(w, (c->msg_flags & MSG_TRUNC) ? "true" : "false");
		return;
	case JF_DATA:
		jw_data(w, c);
		return;
	case JF_OWNER:
		jw_owner(w, &ev->u.sock);
		return;
	case JF_OK:
		jw_puts(w, ev->u.note.index == 1 ? "true" : "false");
		return;
	}
}

/* "key":value, or nothing for a null field the format omits (pid). */
static void jw_field(struct jw *w, const struct ss_event *ev, const struct jf_field *f)
{
	if (f->omit_null && *(const int *)jf_ptr(ev, f) == f->null_value)
		return;
	jw_key(w, f->key);
	if (f->call_only && ev->kind != SS_EV_CALL)
		jw_null(w);
	else
		jw_value(w, ev, f);
}

static void jw_table(struct jw *w, const struct ss_event *ev, const struct jf_table *t)
{
	for (size_t i = 0; i < t->count; i++)
		jw_field(w, ev, &t->fields[i]);
}

int jsonl_format(const struct ss_event *ev, char *buf, size_t size)
{
	struct jw w = { .buf = buf, .size = size, .first = 1 };

	if (buf == NULL || size == 0 || event_kind_name(ev->kind) == NULL)
		return -1;
	buf[0] = '\0';
	jw_raw(&w, "{", 1);
	jw_table(&w, ev, jf_common());
	jw_table(&w, ev, jf_of_kind(ev->kind));
	jw_raw(&w, "}\n", 2);
	if (w.full) {
		buf[0] = '\0';
		return -1;
	}
	return (int)w.len;
}
