/*
 * jsonl_parse: one line of the trace format (docs/trace-format.md) back
 * into the event jsonl_format wrote.
 *
 * A small, bounded, non-allocating JSON reader: it sees hostile input
 * (recorded traces from anywhere), so every read is checked against the
 * end of the line and nesting is capped.  Limits: a line is one object;
 * keys longer than 31 bytes never match a field; strings longer than their
 * field are cut at a character boundary; \u0000 is refused; unknown fields
 * (any JSON value) are skipped, nested at most JSONL_DEPTH_MAX deep.
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
#include "sockstep/i18n.h"
#include "sockstep/jsonl_fields.h"

/* Deeper nesting in an unknown field is refused rather than recursed into. */
#define JSONL_DEPTH_MAX 32

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
		escape_text(shown, sizeof shown, msg);
		snprintf(r->err, r->errsz, _("column %zu: %s"), (size_t)(r->p - r->start) + 1, shown);
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

/* Code point cp (1..U+10FFFF) as UTF-8 in enc; returns its length. */
static size_t utf8_encode(unsigned cp, char enc[4])
{
	if (cp < 0x80) {
		enc[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		enc[0] = (char)(0xc0 | cp >> 6);
		enc[1] = (char)(0x80 | (cp & 0x3f));
		return 2;
	}
	if (cp < 0x10000) {
		enc[0] = (char)(0xe0 | cp >> 12);
		enc[1] = (char)(0x80 | (cp >> 6 & 0x3f));
		enc[2] = (char)(0x80 | (cp & 0x3f));
		return 3;
	}
	enc[0] = (char)(0xf0 | cp >> 18);
	enc[1] = (char)(0x80 | (cp >> 12 & 0x3f));
	enc[2] = (char)(0x80 | (cp >> 6 & 0x3f));
	enc[3] = (char)(0x80 | (cp & 0x3f));
	return 4;
}

/* A \uXXXX escape (r at the backslash), a surrogate pair taken whole,
 * as UTF-8 in enc; its length in *n. */
static int jr_unicode(struct jr *r, char enc[4], size_t *n)
{
	unsigned cp, lo;

	if (r->end - r->p < 6 || hex4(r->p + 2, &cp) != 0)
		return jr_fail(r, _("bad \\u escape"));
	r->p += 6;
	if (cp >= 0xdc00 && cp <= 0xdfff)
		return jr_fail(r, _("lone low surrogate"));
	if (cp >= 0xd800 && cp <= 0xdbff) {
		if (r->end - r->p < 6 || r->p[0] != '\\' || r->p[1] != 'u' ||
		    hex4(r->p + 2, &lo) != 0 || lo < 0xdc00 || lo > 0xdfff)
			return jr_fail(r, _("unpaired surrogate"));
		r->p += 6;
		cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
	}
	/* A NUL would silently end the C string. */
	if (cp == 0)
		return jr_fail(r, _("\\u0000 in string"));
	*n = utf8_encode(cp, enc);
	return 0;
}

/* A backslash escape (r at the backslash) as the bytes it stands for. */
static int jr_escape(struct jr *r, char enc[4], size_t *n)
{
	const char *simple = "\"\\/bfnrt";
	const char *decoded = "\"\\/\b\f\n\r\t";

	if (r->end - r->p < 2)
		return jr_fail(r, _("unterminated string"));
	char e = r->p[1];
	const char *hit = strchr(simple, e);
	if (e != '\0' && hit != NULL) {
		enc[0] = decoded[hit - simple];
		*n = 1;
		r->p += 2;
		return 0;
	}
	if (e == 'u')
		return jr_unicode(r, enc, n);
	return jr_fail(r, _("bad escape in string"));
}

/* The next character of a string (r inside it, not at the closing quote)
 * as the bytes it stands for. */
static int jr_char(struct jr *r, char enc[4], size_t *n)
{
	unsigned char c = (unsigned char)*r->p;

	if (c < 0x20)
		return jr_fail(r, _("control character in string"));
	if (c == '\\')
		return jr_escape(r, enc, n);
	if (c < 0x80) {
		enc[0] = (char)c;
		*n = 1;
		r->p++;
		return 0;
	}
	*n = jf_utf8_len((const unsigned char *)r->p, (size_t)(r->end - r->p));
	if (*n == 0)
		return jr_fail(r, _("invalid UTF-8 in string"));
	memcpy(enc, r->p, *n);
	r->p += *n;
	return 0;
}

/* The length of the run of bytes at p that stand for themselves in a
 * string: ASCII from the space on, but the quote and the backslash. */
static size_t jr_plain_run(const char *p, const char *end)
{
	const unsigned char *q = (const unsigned char *)p;

	while (q < (const unsigned char *)end && (unsigned)(*q - 0x20) < 0x60 && *q != '"' &&
	       *q != '\\')
		q++;
	return (size_t)((const char *)q - p);
}

/* jr_plain_run, the first room bytes of the run copied to out too. */
static size_t jr_plain_copy(const char *p, const char *end, char *out, size_t room)
{
	const unsigned char *q = (const unsigned char *)p;
	size_t n = 0;

	while (q < (const unsigned char *)end && (unsigned)(*q - 0x20) < 0x60 && *q != '"' &&
	       *q != '\\') {
		if (n < room)
			out[n] = (char)*q;
		n++;
		q++;
	}
	return n;
}

/* Two keys the same: short, so compared here rather than by a call. */
static int jr_same_key(const char *a, const char *b)
{
	while (*a != '\0' && *a == *b) {
		a++;
		b++;
	}
	return *a == *b;
}

/* Decode a JSON string into out (NUL-terminated; out may be NULL to
 * skip).  Too long a value is cut at a character boundary and *cut set.
 * Plain runs are copied whole (most strings are nothing else); escapes
 * and UTF-8 go character by character. */
static int jr_string(struct jr *r, char *out, size_t outsz, int *cut)
{
	size_t len = 0;
	int truncated = 0;

	if (jr_peek(r) != '"')
		return jr_fail(r, _("expected a string"));
	r->p++;
	for (;;) {
		char enc[4];
		size_t n;
		if (out != NULL && !truncated) {
			/* copied as it is scanned: most strings are a few bytes,
			 * not worth a call to memcpy */
			size_t room = outsz > len + 1 ? outsz - len - 1 : 0;
			n = jr_plain_copy(r->p, r->end, out + len, room);
			len += n < room ? n : room;
			truncated = n > room;
		} else {
			n = jr_plain_run(r->p, r->end);
		}
		r->p += n;
		if (r->p >= r->end)
			return jr_fail(r, _("unterminated string"));
		if (*r->p == '"') {
			r->p++;
			break;
		}
		if (jr_char(r, enc, &n) != 0)
			return -1;
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
		return jr_fail(r, _("expected a number"));
	if (*r->p == '0') {
		r->p++;
	} else {
		while (is_digit(jr_peek(r))) {
			unsigned d = (unsigned)(*r->p++ - '0');
			unsigned long long m;
			/* mag * 10 + d past ULLONG_MAX (no division a digit) */
			if (__builtin_mul_overflow(n->mag, 10ULL, &m) ||
			    __builtin_add_overflow(m, (unsigned long long)d, &m))
				n->overflow = 1;
			else
				n->mag = m;
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
			return jr_fail(r, _("expected digits after '.'"));
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
			return jr_fail(r, _("expected digits in exponent"));
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
/* After a member's value: 1 if another member follows (r past the
 * comma), 0 at the object's end (r past the brace), or -1. */
static int jr_more(struct jr *r)
{
	jr_ws(r);
	int c = jr_peek(r);
	r->p += c != -1;
	if (c == '}')
		return 0;
	if (c != ',')
		return jr_fail(r, _("expected ',' or '}'"));
	return 1;
}

/* The members of an object from r, at a key, to its closing brace. */
static int jr_members(struct jr *r, jr_member_fn fn, void *ctx)
{
	int more = 1;

	while (more == 1) {
		/* Known keys are short; a longer one is cut and so never matches. */
		char key[32];
		jr_ws(r);
		if (jr_string(r, key, sizeof(key), NULL) != 0)
			return -1;
		jr_ws(r);
		if (jr_peek(r) != ':')
			return jr_fail(r, _("expected ':' after \"%s\""), key);
		r->p++;
		jr_ws(r);
		if (fn(r, key, ctx) != 0)
			return -1;
		more = jr_more(r);
	}
	return more;
}

static int jr_object(struct jr *r, jr_member_fn fn, void *ctx, int depth)
{
	if (depth > JSONL_DEPTH_MAX)
		return jr_fail(r, _("nested too deeply"));
	if (jr_peek(r) != '{')
		return jr_fail(r, _("expected an object"));
	r->p++;
	jr_ws(r);
	if (jr_peek(r) == '}') {
		r->p++;
		return 0;
	}
	return jr_members(r, fn, ctx);
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
		return jr_fail(r, _("nested too deeply"));
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
				return jr_fail(r, _("expected ',' or ']'"));
		}
	}
	if (c == '"')
		return jr_string(r, NULL, 0, NULL);
	if (c == '-' || is_digit(c))
		return jr_number(r, &n);
	if (jr_word(r, "null") || jr_word(r, "true") || jr_word(r, "false"))
		return 0;
	return c == -1 ? jr_fail(r, _("unexpected end of line")) : jr_fail(r, _("unexpected character"));
}

/* An integer that fits the field's storage, written there. */
static int jr_store_number(struct jr *r, const char *key, const struct jnum *n, enum jf_store st,
			   void *p)
{
	if (!n->is_int)
		return jr_fail(r, _("\"%s\": expected an integer"), key);
	if (n->overflow)
		return jr_fail(r, _("\"%s\": number out of range"), key);
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
	return jr_fail(r, _("\"%s\": number out of range"), key);
}

static int jr_bool(struct jr *r, const char *key, int *out)
{
	if (jr_word(r, "true"))
		*out = 1;
	else if (jr_word(r, "false"))
		*out = 0;
	else
		return jr_fail(r, _("\"%s\": expected true or false"), key);
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
			return jr_fail(r, _("\"%s\": unknown TCP state \"%s\""), f->key, name);
		*v = s;
		return 0;
	}
	if (f->names == NULL && (*v = f->value_fn(name)) >= 0)
		return 0;
	if (f->names == NULL || jf_value_of(f->names, name, v) != 0)
		return jr_fail(r, _("\"%s\": unknown value \"%s\""), f->key, name);
	return 0;
}

/* errno by name, or "E<number>" for one without. */
static int jr_errno(struct jr *r, int *err)
{
	char name[32];

	if (jr_string(r, name, sizeof(name), NULL) != 0)
		return -1;
	int e = event_errno_from_name(name);
	if (e == 0 && errno_from_number_name(name, &e) != 0)
		return jr_fail(r, _("\"errno\": unknown name \"%s\""), name);
	*err = e;
	return 0;
}

/* A boolean stored as one bit of flags. */
static int jr_flag(struct jr *r, const char *key, int *flags, int bit)
{
	int b = 0;

	if (jr_bool(r, key, &b) != 0)
		return -1;
	if (b)
		*flags |= bit;
	else
		*flags &= ~bit;
	return 0;
}

/* The escaped data preview, unescaped into c->data. */
static int jr_data(struct jr *r, struct ss_call_event *c)
{
	char tmp[JSONL_DATA_TEXT_MAX];
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
		return jr_fail(r, _("\"data\": malformed escape"));
	c->data_len = (int)got;
	return 0;
}

/* {"actor":..,"fd":..}; members left out stay "no owner". */
static int jr_owner(struct jr *r, struct ss_socket_event *s)
{
	struct owner_ctx oc = { s };

	s->owner[0] = '\0';
	s->owner_fd = -1;
	return jr_object(r, jr_owner_member, &oc, 1);
}

static int jr_time(struct jr *r, double *t)
{
	struct jnum n;

	if (jr_number(r, &n) != 0)
		return -1;
	if (!isfinite(n.value) || n.value >= JSONL_T_MAX || n.value <= -JSONL_T_MAX)
		return jr_fail(r, _("\"t\": out of range"));
	*t = n.value;
	return 0;
}

/* The value of field f, by its type, into ev. */
static int jr_value(struct jr *r, struct ss_event *ev, const struct jf_field *f)
{
	struct ss_call_event *c = &ev->u.call;
	struct jnum n;

	switch (f->type) {
	case JF_TIME:
		return jr_time(r, &ev->t);
	case JF_KIND:
	case JF_ERROR:
		/* kind was read in the first pass; error is derived from errno. */
		return jr_skip_value(r, 1);
	case JF_STR:
		return jr_string(r, jf_ptr_mut(ev, f), f->size, NULL);
	case JF_NUM:
		if (jr_number(r, &n) != 0)
			return -1;
		return jr_store_number(r, f->key, &n, f->store, jf_ptr_mut(ev, f));
	case JF_STATE:
	case JF_ENUM:
		return jr_enum(r, jf_ptr_mut(ev, f), f);
	case JF_ERRNO:
		return jr_errno(r, &c->err);
	case JF_TRUNC:
		return jr_flag(r, f->key, &c->msg_flags, MSG_TRUNC);
	case JF_DATA:
		return jr_data(r, c);
	case JF_OWNER:
		return jr_owner(r, &ev->u.sock);
	case JF_OK:
		return jr_bool(r, f->key, &ev->u.note.index);
	}
	return jr_skip_value(r, 1);
}

static int jr_field(struct jr *r, struct ss_event *ev, const struct jf_field *f)
{
	/* Null is "not reported": the value event_init left stays. */
	if (jr_word(r, "null")) {
		if (f->type == JF_DATA)
			ev->u.call.data_len = 0;
		return 0;
	}
	if (f->call_only && ev->kind != SS_EV_CALL)
		return jr_skip_value(r, 1);
	return jr_value(r, ev, f);
}

struct kind_ctx {
	int kind;    /* -1 until seen */
	int unknown; /* the kind is not one this version knows */
};

static int jr_kind_member(struct jr *r, const char *key, void *ctx)
{
	struct kind_ctx *k = ctx;
	if (!jr_same_key(key, "kind"))
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
		return jr_fail(r, _("unknown kind \"%s\""), name);
	}
	return 0;
}

/* The event being read, and where in the common table and the kind's
 * the next key most likely is: jsonl_format writes them in table order,
 * so a trace sockstep wrote finds each key at the first comparison. */
struct event_ctx {
	struct ss_event *ev;
	const struct jf_table *tables[2];
	size_t next[2];
	int kinds; /* "kind" members seen */
};

/* key's field, or NULL.  Keys are unique across the two tables, so the
 * field is the one jf_find gives, whichever table is asked first. */
static const struct jf_field *jr_find(struct event_ctx *c, const char *key)
{
	for (int t = 0; t < 2; t++) {
		const struct jf_table *tb = c->tables[t];
		if (c->next[t] < tb->count && jr_same_key(tb->fields[c->next[t]].key, key))
			return &tb->fields[c->next[t]++];
	}
	for (int t = 0; t < 2; t++) {
		const struct jf_field *f = jf_find(c->tables[t], key);
		if (f != NULL) {
			c->next[t] = (size_t)(f - c->tables[t]->fields) + 1;
			return f;
		}
	}
	return NULL;
}

static int jr_event_member(struct jr *r, const char *key, void *ctx)
{
	struct event_ctx *c = ctx;
	const struct jf_field *f = jr_find(c, key);

	if (f == NULL)
		return jr_skip_value(r, 1); /* newer traces may carry more */
	c->kinds += f->type == JF_KIND;
	return jr_field(r, c->ev, f);
}

/* The whole line is one object and nothing but whitespace after it. */
static int jr_line(struct jr *r, jr_member_fn fn, void *ctx)
{
	jr_ws(r);
	if (r->p == r->end)
		return jr_fail(r, _("empty line"));
	if (jr_object(r, fn, ctx, 0) != 0)
		return -1;
	jr_ws(r);
	if (r->p != r->end)
		return jr_fail(r, _("text after the object"));
	return 0;
}

/* A member's key, then its colon: 0 if it was key. */
static int jr_key_is(struct jr *r, const char *key)
{
	char got[32];

	jr_ws(r);
	if (jr_string(r, got, sizeof got, NULL) != 0 || !jr_same_key(got, key))
		return -1;
	jr_ws(r);
	if (jr_peek(r) != ':')
		return -1;
	r->p++;
	jr_ws(r);
	return 0;
}

/* The time and the kind where jsonl_format writes them,
 * {"t":NUMBER,"kind":"NAME", r left after the name; the kind, or -1 for
 * a line not so (or an unknown kind): the caller then takes the long
 * way. */
static int jr_early_kind(struct jr *r, double *t)
{
	struct jnum n;
	char name[SS_NAME_MAX];

	jr_ws(r);
	if (jr_peek(r) != '{')
		return -1;
	r->p++;
	if (jr_key_is(r, "t") != 0 || jr_number(r, &n) != 0)
		return -1;
	*t = n.value;
	jr_ws(r);
	if (jr_peek(r) != ',')
		return -1;
	r->p++;
	if (jr_key_is(r, "kind") != 0 || jr_string(r, name, sizeof name, NULL) != 0)
		return -1;
	return event_kind_from_name(name);
}

/* A line whose time and kind come first, read in one pass, on from
 * where jr_early_kind left it.  0 only when the two passes of the long
 * way would give this very event: the line is whole (the typed reading
 * is stricter than the skipping) and has one kind, so nothing differs
 * but the time; else -1 and the long way gives its result and its
 * message. */
static int jr_one_pass(const char *line, const char *end, struct ss_event *ev)
{
	struct jr r = {.start = line, .p = line, .end = end}; /* no messages */
	struct event_ctx ec = {.ev = ev};
	double t;
	int kind = jr_early_kind(&r, &t), more;

	if (kind < 0 || !isfinite(t) || t >= JSONL_T_MAX || t <= -JSONL_T_MAX)
		return -1; /* jr_time's range: the long way says why */
	event_init(ev, (enum ss_kind)kind);
	ev->t = t;
	ec.tables[0] = jf_common();
	ec.tables[1] = jf_of_kind(kind);
	/* the two members read: the next expected after them, one kind */
	jr_find(&ec, "t");
	jr_find(&ec, "kind");
	ec.kinds = 1;
	more = jr_more(&r);
	if (more < 0 || (more == 1 && jr_members(&r, jr_event_member, &ec) != 0) ||
	    ec.kinds != 1)
		return -1;
	jr_ws(&r);
	return r.p == r.end ? 0 : -1;
}

enum jsonl_status jsonl_parse_status(const char *line, struct ss_event *ev,
				     char *err, size_t errsz)
{
	struct jr r = { .start = line, .p = line, .err = err, .errsz = errsz };
	struct kind_ctx k = { -1, 0 };
	struct event_ctx ec = { 0 };
	struct ss_event tmp;

	if (err != NULL && errsz > 0)
		err[0] = '\0';
	if (line == NULL) {
		jr_fail(&r, _("no line"));
		return JSONL_BAD;
	}
	r.end = line + strlen(line);

	/* Fields may come in any order, but what "local" means depends on
	 * the kind: find the kind first, then read the fields.  Where
	 * sockstep writes it, second, that takes one pass, not two. */
	/* read straight into ev (the caller's, no copy of a whole event a
	 * line): a line that fails here is read again, the long way */
	if (jr_one_pass(line, r.end, ev) == 0)
		return JSONL_OK;
	if (jr_line(&r, jr_kind_member, &k) != 0)
		return k.unknown ? JSONL_UNKNOWN_KIND : JSONL_BAD;
	if (k.kind < 0) {
		r.p = line;
		jr_fail(&r, _("no \"kind\" field"));
		return JSONL_BAD;
	}
	event_init(&tmp, (enum ss_kind)k.kind);
	r.p = line;
	ec.ev = &tmp;
	ec.tables[0] = jf_common();
	ec.tables[1] = jf_of_kind(k.kind);
	if (jr_line(&r, jr_event_member, &ec) != 0)
		return JSONL_BAD;
	memcpy(ev, &tmp, sizeof(*ev)); /* padding too: callers may memcmp */
	return JSONL_OK;
}

int jsonl_parse(const char *line, struct ss_event *ev, char *err, size_t errsz)
{
	return jsonl_parse_status(line, ev, err, errsz) == JSONL_OK ? 0 : -1;
}
