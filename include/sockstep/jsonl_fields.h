/*
 * jsonl_fields: which field of struct ss_event each JSON key is, kind by
 * kind -- the one table the writer (jsonl_format.c) and the parser
 * (jsonl_parse.c) both walk, so what one writes the other reads back into
 * the same event.  Also the one rule both apply to the bytes of a JSON
 * string (jf_utf8_len).
 *
 * Internal to the jsonl modules: everything else uses sockstep/jsonl.h.
 * The tables are static and const; nothing here allocates.
 */
#ifndef SOCKSTEP_JSONL_FIELDS_H
#define SOCKSTEP_JSONL_FIELDS_H

#include <stddef.h>
#include "sockstep/event.h"

/* |t| above this cannot be printed as microseconds in a long long. */
#define JSONL_T_MAX 1e12
/* Escaped preview: each raw byte becomes at most 4 characters ("\xNN"). */
#define JSONL_DATA_TEXT_MAX (4 * SS_PREVIEW_MAX + 16)

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

struct jf_table {
	const struct jf_field *fields;
	size_t count;
};

/* The fields every line has (t, kind, actor, step, pid), in written order. */
const struct jf_table *jf_common(void);

/* The fields of one kind after the common ones, in written order; an
 * empty table for a kind with none (end) or out of range. */
const struct jf_table *jf_of_kind(int kind);

/* The field named key in t, or NULL. */
const struct jf_field *jf_find(const struct jf_table *t, const char *key);

/* A name table's name for v, or NULL; its value for name (0), or -1. */
const char *jf_name_of(const struct jf_name *t, int v);
int jf_value_of(const struct jf_name *t, const char *name, int *v);

/* Length of the valid UTF-8 sequence at s (1..4), 0 if invalid: what a
 * JSON string may carry raw, the same rule for writing and reading. */
size_t jf_utf8_len(const unsigned char *s, size_t n);

/* Where field f lives in ev. */
static inline const void *jf_ptr(const struct ss_event *ev, const struct jf_field *f)
{
	return (const char *)ev + f->off;
}

static inline void *jf_ptr_mut(struct ss_event *ev, const struct jf_field *f)
{
	return (char *)ev + f->off;
}

#endif
