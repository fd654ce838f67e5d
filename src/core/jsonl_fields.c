/*
 * jsonl_fields: the field tables of the trace format (docs/trace-format.md),
 * one per kind, which the writer and the parser both walk.  See
 * sockstep/jsonl_fields.h; the order of a table is the order written.
 */
#include "sockstep/jsonl_fields.h"

#include <string.h>

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

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

static const struct jf_table common_table = TABLE(common_fields);
static const struct jf_table no_fields = { NULL, 0 };

const struct jf_table *jf_common(void)
{
	return &common_table;
}

const struct jf_table *jf_of_kind(int kind)
{
	if (kind < 0 || kind >= SS_EV_KIND_COUNT)
		return &no_fields;
	return &kind_tables[kind];
}

const struct jf_field *jf_find(const struct jf_table *t, const char *key)
{
	for (size_t i = 0; i < t->count; i++)
		if (strcmp(t->fields[i].key, key) == 0)
			return &t->fields[i];
	return NULL;
}

const char *jf_name_of(const struct jf_name *t, int v)
{
	for (; t->name != NULL; t++)
		if (t->value == v)
			return t->name;
	return NULL;
}

int jf_value_of(const struct jf_name *t, const char *name, int *v)
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
size_t jf_utf8_len(const unsigned char *s, size_t n)
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
