/* jsonl: the documented trace format.  What is written reads back as the
 * same event, and no line, however hostile, crashes the reader. */
#include <check.h>
#include <errno.h>
#include <locale.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "sockstep/jsonl.h"

static void make_event(struct ss_event *ev, enum ss_kind kind)
{
	event_init(ev, kind);
	ev->t = 12.345678;
	snprintf(ev->actor, sizeof(ev->actor), "server");
	ev->step = 3;
	switch (kind) {
	case SS_EV_CALL:
	case SS_EV_BEGIN:
	case SS_EV_BLOCKED: {
		struct ss_call_event *c = &ev->u.call;
		snprintf(c->name, sizeof(c->name), "recv");
		snprintf(c->sock, sizeof(c->sock), "c");
		snprintf(c->args, sizeof(c->args), "len=64 \"quoted\" back\\slash");
		c->fd = 5;
		c->ret = 11;
		snprintf(c->local, sizeof(c->local), "127.0.0.1:9001");
		snprintf(c->peer, sizeof(c->peer), "127.0.0.1:40000");
		c->state = 1;
		c->bytes = 11;
		c->unread = 0;
		c->msg_flags = MSG_TRUNC;
		memcpy(c->data, "\x1b[2Jhi\0\n\\\"", 11);
		c->data_len = 11;
		c->inode = 123456;
		c->family = AF_INET;
		c->type = SOCK_STREAM;
		break;
	}
	case SS_EV_SOCKET:
		snprintf(ev->u.sock.local, sizeof(ev->u.sock.local), "[::1]:9001");
		snprintf(ev->u.sock.peer, sizeof(ev->u.sock.peer), "[::1]:50000");
		ev->u.sock.state = 6;
		ev->u.sock.recv_q = 0;
		ev->u.sock.send_q = 0;
		ev->u.sock.timer = 3;
		ev->u.sock.timer_ms = 59000;
		snprintf(ev->u.sock.owner, sizeof(ev->u.sock.owner), "client");
		ev->u.sock.owner_fd = 4;
		ev->u.sock.inode = 99;
		ev->u.sock.snapshot = 7;
		ev->u.sock.rows = 2;
		break;
	case SS_EV_PACKET:
		snprintf(ev->u.pkt.src, sizeof(ev->u.pkt.src), "127.0.0.1:40000");
		snprintf(ev->u.pkt.dst, sizeof(ev->u.pkt.dst), "127.0.0.1:9001");
		snprintf(ev->u.pkt.flags, sizeof(ev->u.pkt.flags), "S.");
		ev->u.pkt.seq = 4294967295u;
		ev->u.pkt.ack = 1;
		ev->u.pkt.rel_seq = 0;
		ev->u.pkt.rel_ack = 1;
		ev->u.pkt.len = 0;
		ev->u.pkt.win = 65535;
		break;
	case SS_EV_STEP:
		ev->u.note.index = 2;
		ev->u.note.count = 5;
		snprintf(ev->u.note.text, sizeof(ev->u.note.text), "The server calls listen() \xe2\x86\x92 LISTEN");
		break;
	case SS_EV_EXPECT:
		ev->u.note.index = 1;
		snprintf(ev->u.note.text, sizeof(ev->u.note.text), "server is in LISTEN");
		break;
	case SS_EV_NOTE:
		ev->u.note.index = 1;
		snprintf(ev->u.note.text, sizeof(ev->u.note.text), "no capture:\tEPERM");
		break;
	case SS_EV_PROCESS:
		ev->pid = 4242;
		snprintf(ev->u.proc.what, sizeof(ev->u.proc.what), "exited");
		ev->u.proc.ppid = 4241;
		ev->u.proc.status = 3;
		snprintf(ev->u.proc.command, sizeof(ev->u.proc.command), "python3 server.py 9001");
		break;
	case SS_EV_OUTPUT:
		ev->pid = 4242;
		ev->u.note.index = 2;
		snprintf(ev->u.note.text, sizeof(ev->u.note.text), "Traceback:\x1b[2J");
		break;
	default:
		break;
	}
}

/* format -> parse -> format gives the same line; returns the parsed event. */
static void assert_round_trip(const struct ss_event *ev, struct ss_event *back)
{
	char a[JSONL_LINE_MAX], b[JSONL_LINE_MAX], err[128];
	int n = jsonl_format(ev, a, sizeof(a));
	ck_assert_int_gt(n, 0);
	ck_assert_uint_eq(strlen(a), (size_t)n);
	ck_assert_int_eq(a[n - 1], '\n');
	ck_assert_msg(jsonl_parse(a, back, err, sizeof(err)) == 0, "%s: %s", err, a);
	ck_assert_int_eq(jsonl_format(back, b, sizeof(b)), n);
	ck_assert_str_eq(a, b);
}

START_TEST(jsonl_round_trips_every_kind)
{
	for (int k = 0; k < SS_EV_KIND_COUNT; k++) {
		struct ss_event ev, back;
		make_event(&ev, (enum ss_kind)k);
		assert_round_trip(&ev, &back);
		ck_assert_int_eq(back.kind, k);
		ck_assert_str_eq(back.actor, "server");
		ck_assert_int_eq(back.step, 3);
		ck_assert(back.t > 12.3456779 && back.t < 12.3456781);
	}
}
END_TEST

START_TEST(jsonl_pid_is_written_only_for_traced_programs)
{
	struct ss_event ev, back;
	char line[JSONL_LINE_MAX];

	make_event(&ev, SS_EV_CALL);
	ck_assert_int_gt(jsonl_format(&ev, line, sizeof(line)), 0);
	ck_assert_ptr_null(strstr(line, "\"pid\""));
	ev.pid = 31337;
	ck_assert_int_gt(jsonl_format(&ev, line, sizeof(line)), 0);
	ck_assert_ptr_nonnull(strstr(line, "\"step\":3,\"pid\":31337,"));
	assert_round_trip(&ev, &back);
	ck_assert_int_eq(back.pid, 31337);
	make_event(&ev, SS_EV_OUTPUT);
	ck_assert_int_gt(jsonl_format(&ev, line, sizeof(line)), 0);
	ck_assert_ptr_nonnull(strstr(line, "\"stream\":\"stderr\",\"text\":\"Traceback:\\u001b[2J\""));
}
END_TEST

START_TEST(jsonl_round_trips_unreported_values)
{
	for (int k = 0; k < SS_EV_KIND_COUNT; k++) {
		struct ss_event ev, back;
		event_init(&ev, (enum ss_kind)k);
		assert_round_trip(&ev, &back);
		ck_assert_mem_eq(&back, &ev, sizeof(ev));
	}
}
END_TEST

START_TEST(jsonl_call_reads_back_every_field)
{
	struct ss_event ev, back;
	make_event(&ev, SS_EV_CALL);
	ev.u.call.err = ECONNREFUSED;
	ev.u.call.ret = -1;
	ev.u.call.msg_flags = MSG_TRUNC; /* only MSG_TRUNC is carried */
	assert_round_trip(&ev, &back);
	ck_assert_mem_eq(&back, &ev, sizeof(ev));
}
END_TEST

START_TEST(jsonl_writes_the_documented_call_line)
{
	struct ss_event ev;
	char line[JSONL_LINE_MAX];
	event_init(&ev, SS_EV_CALL);
	ev.t = 0.001502;
	snprintf(ev.actor, sizeof(ev.actor), "server");
	ev.step = 2;
	snprintf(ev.u.call.name, sizeof(ev.u.call.name), "bind");
	snprintf(ev.u.call.sock, sizeof(ev.u.call.sock), "s");
	snprintf(ev.u.call.args, sizeof(ev.u.call.args), "127.0.0.1:9001");
	ev.u.call.fd = 3;
	ev.u.call.ret = -1;
	ev.u.call.err = EADDRINUSE;
	ev.u.call.inode = 4242;
	ev.u.call.family = AF_INET;
	ev.u.call.type = SOCK_STREAM;
	ck_assert_int_gt(jsonl_format(&ev, line, sizeof(line)), 0);
	ck_assert_str_eq(line,
		"{\"t\":0.001502,\"kind\":\"call\",\"actor\":\"server\",\"step\":2,"
		"\"call\":\"bind\",\"sock\":\"s\",\"newsock\":null,\"args\":\"127.0.0.1:9001\","
		"\"fd\":3,\"ret\":-1,\"errno\":\"EADDRINUSE\",\"error\":\"Address already in use\","
		"\"local\":null,\"peer\":null,\"state\":null,\"queue\":null,\"backlog\":null,"
		"\"bytes\":null,\"unread\":null,\"trunc\":false,\"data\":null,\"inode\":4242,"
		"\"family\":\"AF_INET\",\"type\":\"SOCK_STREAM\"}\n");
}
END_TEST

START_TEST(jsonl_writes_the_documented_socket_line)
{
	struct ss_event ev;
	char line[JSONL_LINE_MAX];
	make_event(&ev, SS_EV_SOCKET);
	ck_assert_int_gt(jsonl_format(&ev, line, sizeof(line)), 0);
	ck_assert_str_eq(line,
		"{\"t\":12.345678,\"kind\":\"socket\",\"actor\":\"server\",\"step\":3,"
		"\"local\":\"[::1]:9001\",\"peer\":\"[::1]:50000\",\"state\":\"TIME_WAIT\","
		"\"recv_q\":0,\"send_q\":0,\"timer\":\"timewait\",\"timer_ms\":59000,\"inode\":99,"
		"\"owner\":{\"actor\":\"client\",\"fd\":4},\"snapshot\":7,\"rows\":2}\n");
}
END_TEST

START_TEST(jsonl_writes_the_documented_text_lines)
{
	struct ss_event ev;
	char line[JSONL_LINE_MAX];
	make_event(&ev, SS_EV_EXPECT);
	jsonl_format(&ev, line, sizeof(line));
	ck_assert_str_eq(line, "{\"t\":12.345678,\"kind\":\"expect\",\"actor\":\"server\","
			       "\"step\":3,\"ok\":true,\"text\":\"server is in LISTEN\"}\n");
	make_event(&ev, SS_EV_NOTE);
	jsonl_format(&ev, line, sizeof(line));
	ck_assert_str_eq(line, "{\"t\":12.345678,\"kind\":\"note\",\"actor\":\"server\","
			       "\"step\":3,\"level\":\"warning\",\"text\":\"no capture:\\u0009EPERM\"}\n");
	make_event(&ev, SS_EV_END);
	jsonl_format(&ev, line, sizeof(line));
	ck_assert_str_eq(line, "{\"t\":12.345678,\"kind\":\"end\",\"actor\":\"server\",\"step\":3}\n");
	make_event(&ev, SS_EV_PACKET);
	jsonl_format(&ev, line, sizeof(line));
	ck_assert_str_eq(line, "{\"t\":12.345678,\"kind\":\"packet\",\"actor\":\"server\",\"step\":3,"
			       "\"src\":\"127.0.0.1:40000\",\"dst\":\"127.0.0.1:9001\",\"flags\":\"S.\","
			       "\"seq\":4294967295,\"ack\":1,\"rel_seq\":0,\"rel_ack\":1,\"len\":0,"
			       "\"win\":65535}\n");
}
END_TEST

START_TEST(jsonl_answer_carries_the_field_and_the_kernels_value)
{
	struct ss_event ev, back;
	char line[JSONL_LINE_MAX], why[128];

	event_init(&ev, SS_EV_ANSWER);
	ev.t = 1.5;
	ev.step = 8;
	snprintf(ev.actor, sizeof ev.actor, "server");
	ev.u.note.index = 0;
	snprintf(ev.u.note.text, sizeof ev.u.note.text, "Not quite.");
	snprintf(ev.u.note.field, sizeof ev.u.note.field, "local.port");
	snprintf(ev.u.note.value, sizeof ev.u.note.value, "9001");
	jsonl_format(&ev, line, sizeof(line));
	ck_assert_str_eq(line, "{\"t\":1.500000,\"kind\":\"answer\",\"actor\":\"server\",\"step\":8,"
			       "\"ok\":false,\"text\":\"Not quite.\",\"field\":\"local.port\","
			       "\"value\":\"9001\"}\n");
	ck_assert_int_eq(jsonl_parse(line, &back, why, sizeof why), 0);
	ck_assert_str_eq(back.u.note.field, "local.port");
	ck_assert_str_eq(back.u.note.value, "9001");
	/* an answer recorded before these fields existed still loads */
	ck_assert_int_eq(jsonl_parse("{\"t\":1,\"kind\":\"answer\",\"actor\":\"server\","
				     "\"step\":8,\"ok\":true,\"text\":\"Right!\"}", &back, why,
				     sizeof why), 0);
	ck_assert_str_eq(back.u.note.value, "");
}
END_TEST

START_TEST(jsonl_begin_and_blocked_have_null_ret_and_errno)
{
	struct ss_event ev;
	char line[JSONL_LINE_MAX];
	make_event(&ev, SS_EV_BLOCKED);
	ev.u.call.err = EAGAIN;
	jsonl_format(&ev, line, sizeof(line));
	ck_assert_ptr_nonnull(strstr(line, "\"kind\":\"blocked\""));
	ck_assert_ptr_nonnull(strstr(line, "\"ret\":null,\"errno\":null,\"error\":null"));
}
END_TEST

START_TEST(jsonl_data_never_carries_control_bytes)
{
	struct ss_event ev;
	char line[JSONL_LINE_MAX];
	make_event(&ev, SS_EV_CALL);
	for (int i = 0; i < SS_PREVIEW_MAX; i++)
		ev.u.call.data[i] = (unsigned char)(i * 4 + 1);
	ev.u.call.data_len = SS_PREVIEW_MAX;
	int n = jsonl_format(&ev, line, sizeof(line));
	ck_assert_int_gt(n, 0);
	for (int i = 0; i < n - 1; i++)
		ck_assert_msg((unsigned char)line[i] >= 0x20 && (unsigned char)line[i] < 0x7f,
			      "byte 0x%02x at %d", (unsigned char)line[i], i);
	struct ss_event back;
	assert_round_trip(&ev, &back);
	ck_assert_int_eq(back.u.call.data_len, SS_PREVIEW_MAX);
	ck_assert_mem_eq(back.u.call.data, ev.u.call.data, SS_PREVIEW_MAX);
}
END_TEST

START_TEST(jsonl_data_defuses_terminal_sequences)
{
	struct ss_event ev, back;
	char line[JSONL_LINE_MAX], err[128];
	make_event(&ev, SS_EV_CALL);
	memcpy(ev.u.call.data, "\x1b]0;pwned\x07", 10);
	ev.u.call.data_len = 10;
	jsonl_format(&ev, line, sizeof(line));
	ck_assert_ptr_nonnull(strstr(line, "\"data\":\"\\\\x1b]0;pwned\\\\x07\""));
	ck_assert_ptr_null(strchr(line, 0x1b));
	ck_assert_int_eq(jsonl_parse(line, &back, err, sizeof(err)), 0);
	ck_assert_mem_eq(back.u.call.data, "\x1b]0;pwned\x07", 10);
}
END_TEST

START_TEST(jsonl_names_unknown_errno_by_number)
{
	struct ss_event ev, back;
	char line[JSONL_LINE_MAX];
	make_event(&ev, SS_EV_CALL);
	ev.u.call.err = 4242;
	jsonl_format(&ev, line, sizeof(line));
	ck_assert_ptr_nonnull(strstr(line, "\"errno\":\"E4242\""));
	assert_round_trip(&ev, &back);
	ck_assert_int_eq(back.u.call.err, 4242);
}
END_TEST

START_TEST(jsonl_writes_unnamed_enum_values_as_numbers)
{
	struct ss_event ev, back;
	char line[JSONL_LINE_MAX];
	make_event(&ev, SS_EV_CALL);
	ev.u.call.state = 42;
	ev.u.call.family = 17; /* AF_PACKET: no name in the format */
	jsonl_format(&ev, line, sizeof(line));
	ck_assert_ptr_nonnull(strstr(line, "\"state\":42"));
	ck_assert_ptr_nonnull(strstr(line, "\"family\":17"));
	assert_round_trip(&ev, &back);
	ck_assert_int_eq(back.u.call.state, 42);
}
END_TEST

START_TEST(jsonl_time_ignores_the_locale)
{
	struct ss_event ev;
	char line[JSONL_LINE_MAX];
	const char *locales[] = { "de_DE.UTF-8", "fr_FR.UTF-8", "C.UTF-8", "" };
	for (size_t i = 0; i < sizeof(locales) / sizeof(locales[0]); i++) {
		if (setlocale(LC_ALL, locales[i]) == NULL)
			continue;
		make_event(&ev, SS_EV_END);
		ev.t = 1712345678.25;
		jsonl_format(&ev, line, sizeof(line));
		ck_assert_ptr_nonnull(strstr(line, "\"t\":1712345678.250000,"));
		ev.t = -0.5;
		jsonl_format(&ev, line, sizeof(line));
		ck_assert_ptr_nonnull(strstr(line, "\"t\":-0.500000,"));
	}
	setlocale(LC_ALL, "C");
}
END_TEST

START_TEST(jsonl_escapes_controls_in_names_and_text)
{
	struct ss_event ev, back;
	char line[JSONL_LINE_MAX];
	make_event(&ev, SS_EV_NOTE);
	snprintf(ev.actor, sizeof(ev.actor), "a\x1b[2J");
	snprintf(ev.u.note.text, sizeof(ev.u.note.text), "bad \xff byte, del \x7f");
	jsonl_format(&ev, line, sizeof(line));
	ck_assert_ptr_nonnull(strstr(line, "\"actor\":\"a\\u001b[2J\""));
	ck_assert_ptr_nonnull(strstr(line, "\"text\":\"bad ? byte, del \\u007f\""));
	assert_round_trip(&ev, &back);
	ck_assert_str_eq(back.actor, "a\x1b[2J");
}
END_TEST

START_TEST(jsonl_accepts_whitespace_unknown_fields_and_any_order)
{
	struct ss_event ev;
	char err[128];
	const char *line =
		"  { \"future\" : {\"a\":[1,2,{\"b\":null}],\"c\":\"x\\\"y\"} ,\r\n"
		"\t\"fd\" : 7 , \"kind\":\"call\", \"extra\": [ ] , \"t\": 1.5e0,"
		"\"ratio\": -0.25E+3, \"flag\": true, \"none\": null,"
		"\"errno\":\"EWOULDBLOCK\", \"call\":\"accept\", \"state\":10 }  \n";
	ck_assert_msg(jsonl_parse(line, &ev, err, sizeof(err)) == 0, "%s", err);
	ck_assert_int_eq(ev.kind, SS_EV_CALL);
	ck_assert_int_eq(ev.u.call.fd, 7);
	ck_assert_int_eq(ev.u.call.err, EAGAIN);
	ck_assert_int_eq(ev.u.call.state, 10);
	ck_assert_str_eq(ev.u.call.name, "accept");
	ck_assert(ev.t == 1.5);
}
END_TEST

START_TEST(jsonl_accepts_null_for_every_field)
{
	struct ss_event ev, init;
	char err[128];
	const char *line =
		"{\"t\":null,\"kind\":\"call\",\"actor\":null,\"step\":null,\"call\":null,"
		"\"sock\":null,\"newsock\":null,\"args\":null,\"fd\":null,\"ret\":null,"
		"\"errno\":null,\"error\":null,\"local\":null,\"peer\":null,\"state\":null,"
		"\"queue\":null,\"backlog\":null,\"bytes\":null,\"unread\":null,\"trunc\":null,"
		"\"data\":null,\"inode\":null,\"family\":null,\"type\":null}";
	ck_assert_msg(jsonl_parse(line, &ev, err, sizeof(err)) == 0, "%s", err);
	event_init(&init, SS_EV_CALL);
	ck_assert_mem_eq(&ev, &init, sizeof(ev));
	ck_assert_int_eq(jsonl_parse("{\"kind\":\"socket\",\"owner\":null,\"timer\":null,"
				     "\"recv_q\":null,\"rows\":null}",
				     &ev, err, sizeof(err)),
			 0);
	ck_assert_int_eq(ev.u.sock.owner_fd, -1);
	ck_assert_int_eq(jsonl_parse("{\"kind\":\"expect\",\"ok\":null,\"text\":null}", &ev, err,
				     sizeof(err)),
			 0);
}
END_TEST

START_TEST(jsonl_decodes_unicode_escapes)
{
	struct ss_event ev;
	char err[128];
	ck_assert_int_eq(jsonl_parse("{\"kind\":\"note\",\"text\":\"caf\\u00e9 \\ud83d\\ude00 \\u2192\"}",
				     &ev, err, sizeof(err)),
			 0);
	ck_assert_str_eq(ev.u.note.text, "caf\xc3\xa9 \xf0\x9f\x98\x80 \xe2\x86\x92");
}
END_TEST

START_TEST(jsonl_cuts_long_strings_at_a_character_boundary)
{
	struct ss_event ev;
	char line[512], err[128];
	/* 7 two-byte characters = 14 bytes, then one more does not fit 15. */
	snprintf(line, sizeof(line), "{\"kind\":\"end\",\"actor\":\"%s\"}",
		 "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9");
	ck_assert_int_eq(jsonl_parse(line, &ev, err, sizeof(err)), 0);
	ck_assert_uint_eq(strlen(ev.actor), 14);
}
END_TEST

START_TEST(jsonl_truncates_long_data_to_the_preview)
{
	struct ss_event ev;
	char line[2048], err[128];
	int n = snprintf(line, sizeof(line), "{\"kind\":\"call\",\"bytes\":300,\"data\":\"");
	for (int i = 0; i < 300; i++)
		n += snprintf(line + n, sizeof(line) - (size_t)n, "\\\\x%02x", i & 0xff);
	snprintf(line + n, sizeof(line) - (size_t)n, "\"}");
	ck_assert_msg(jsonl_parse(line, &ev, err, sizeof(err)) == 0, "%s", err);
	ck_assert_int_eq(ev.u.call.data_len, SS_PREVIEW_MAX);
	for (int i = 0; i < SS_PREVIEW_MAX; i++)
		ck_assert_uint_eq(ev.u.call.data[i], (unsigned)i);
}
END_TEST

START_TEST(jsonl_rejects_truncated_line)
{
	struct ss_event ev;
	char line[JSONL_LINE_MAX], cut[JSONL_LINE_MAX], err[128];
	for (int k = 0; k < SS_EV_KIND_COUNT; k++) {
		make_event(&ev, (enum ss_kind)k);
		int n = jsonl_format(&ev, line, sizeof(line));
		/* Every prefix that loses the closing brace is malformed. */
		for (int len = 0; len < n - 1; len++) {
			memcpy(cut, line, (size_t)len);
			cut[len] = '\0';
			err[0] = '\0';
			ck_assert_msg(jsonl_parse(cut, &ev, err, sizeof(err)) == -1, "accepted: %s", cut);
			ck_assert_msg(err[0] != '\0', "no reason for: %s", cut);
		}
	}
}
END_TEST

START_TEST(jsonl_rejects_malformed_input_with_a_reason)
{
	static const char *bad[] = {
		"",
		"   \n",
		"[]",
		"null",
		"{\"kind\":\"call\"} x",
		"{\"kind\":\"call\",}",
		"{\"kind\":\"call\" \"fd\":1}",
		"{\"kind\":\"call\",\"fd\":01}",
		"{\"kind\":\"call\",\"fd\":1.5}",
		"{\"kind\":\"call\",\"fd\":99999999999}",
		"{\"kind\":\"call\",\"fd\":\"3\"}",
		"{\"kind\":\"call\",\"fd\":-}",
		"{\"kind\":\"call\",\"fd\":+1}",
		"{\"kind\":\"call\",\"inode\":-1}",
		"{\"kind\":\"packet\",\"win\":65536}",
		"{\"kind\":\"packet\",\"seq\":4294967296}",
		"{\"kind\":\"call\",\"state\":\"SYN-SENT\"}",
		"{\"kind\":\"call\",\"errno\":\"ENOPE\"}",
		"{\"kind\":\"call\",\"trunc\":1}",
		"{\"kind\":\"call\",\"bytes\":3,\"data\":\"\\\\q\"}",
		"{\"kind\":\"call\",\"data\":\"\\u001b\"}",
		"{\"kind\":\"call\",\"actor\":\"a\\u0000b\"}",
		"{\"kind\":\"call\",\"actor\":\"\\ud800\"}",
		"{\"kind\":\"call\",\"actor\":\"\\udc00\"}",
		"{\"kind\":\"call\",\"actor\":\"\\x41\"}",
		"{\"kind\":\"call\",\"actor\":\"a\tb\"}",
		"{\"kind\":\"call\",\"actor\":\"\xc0\xaf\"}",
		"{\"kind\":\"call\",\"actor\":\"\xed\xa0\x80\"}",
		"{\"kind\":\"call\",\"actor\":nul}",
		"{\"kind\":\"call\",\"t\":1e400}",
		"{\"kind\":\"call\",\"t\":1.}",
		"{\"kind\":\"call\",\"x\":[1,]}",
		"{\"kind\":\"call\",\"x\":{\"a\"}}",
		"{\"kind\":\"teleport\"}",
		"{\"kind\":3}",
		"{\"fd\":3}",
		"{\"kind\":null}",
		"{\"kind\":\"socket\",\"owner\":\"server\"}",
		"{\"kind\":\"socket\",\"owner\":{\"fd\":\"4\"}}",
		"{\"kind\":\"note\",\"level\":\"fatal\"}",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct ss_event ev;
		char err[128] = "";
		ck_assert_msg(jsonl_parse(bad[i], &ev, err, sizeof(err)) == -1, "accepted: %s", bad[i]);
		ck_assert_msg(err[0] != '\0', "no reason for: %s", bad[i]);
	}
}
END_TEST

START_TEST(jsonl_rejects_deep_nesting_without_recursing)
{
	static char line[200000];
	struct ss_event ev;
	char err[128];
	int n = snprintf(line, sizeof(line), "{\"kind\":\"end\",\"x\":");
	for (int i = 0; i < 90000; i++)
		line[n++] = '[';
	line[n] = '\0';
	ck_assert_int_eq(jsonl_parse(line, &ev, err, sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "nested"));
	/* Moderate nesting is an ordinary unknown field. */
	ck_assert_int_eq(jsonl_parse("{\"kind\":\"end\",\"x\":[[[[{\"y\":[[]]}]]]]}", &ev, err,
				     sizeof(err)),
			 0);
}
END_TEST

START_TEST(jsonl_format_refuses_a_small_buffer)
{
	struct ss_event ev;
	char buf[40];
	make_event(&ev, SS_EV_CALL);
	memset(buf, 'Z', sizeof(buf));
	ck_assert_int_eq(jsonl_format(&ev, buf, sizeof(buf)), -1);
	ck_assert_int_eq(buf[0], '\0');
	ck_assert_int_eq(jsonl_format(&ev, buf, 0), -1);
	ev.kind = SS_EV_KIND_COUNT;
	ck_assert_int_eq(jsonl_format(&ev, buf, sizeof(buf)), -1);
}
END_TEST

START_TEST(jsonl_worst_case_events_fit_line_max)
{
	for (int k = 0; k < SS_EV_KIND_COUNT; k++) {
		struct ss_event ev, back;
		make_event(&ev, (enum ss_kind)k);
		/* Control bytes cost the most: six characters each as \u00XX. */
		memset(ev.actor, 1, sizeof(ev.actor) - 1);
		ev.actor[sizeof(ev.actor) - 1] = '\0';
		ev.t = -999999999999.0;
		ev.step = -2147483647 - 1;
		if (k <= SS_EV_BLOCKED) {
			struct ss_call_event *c = &ev.u.call;
			memset(c->name, 1, sizeof(c->name) - 1);
			memset(c->sock, 1, sizeof(c->sock) - 1);
			memset(c->newsock, 1, sizeof(c->newsock) - 1);
			memset(c->args, 1, sizeof(c->args) - 1);
			memset(c->local, 1, sizeof(c->local) - 1);
			memset(c->peer, 1, sizeof(c->peer) - 1);
			memset(c->data, 0x80, sizeof(c->data));
			c->data_len = SS_PREVIEW_MAX;
			c->ret = -9223372036854775807L - 1;
			c->bytes = c->unread = c->ret;
			c->err = -2147483647 - 1;
			c->state = c->family = c->type = c->err;
			c->inode = (unsigned long)-1;
		} else if (k == SS_EV_SOCKET || k == SS_EV_PACKET) {
			memset(ev.u.sock.local, 1, sizeof(ev.u.sock.local) - 1);
			memset(ev.u.sock.peer, 1, sizeof(ev.u.sock.peer) - 1);
			if (k == SS_EV_SOCKET)
				memset(ev.u.sock.owner, 1, sizeof(ev.u.sock.owner) - 1);
		} else {
			memset(ev.u.note.text, 1, sizeof(ev.u.note.text) - 1);
			memset(ev.u.note.field, 1, sizeof(ev.u.note.field) - 1);
			memset(ev.u.note.value, 1, sizeof(ev.u.note.value) - 1);
		}
		assert_round_trip(&ev, &back);
	}
}
END_TEST

/* Deterministic mutations of valid lines: nothing may crash, and whatever
 * is accepted must be stable through format -> parse -> format. */
START_TEST(jsonl_survives_mutated_lines)
{
	unsigned long rng = 12345;
	static const char alphabet[] = "{}[]\",:\\u0aeE.-+ntrfl\x1b\xc3\xff";
	for (int round = 0; round < 20000; round++) {
		struct ss_event ev, back;
		char line[JSONL_LINE_MAX], err[64];
		make_event(&ev, (enum ss_kind)(round % SS_EV_KIND_COUNT));
		int n = jsonl_format(&ev, line, sizeof(line));
		int edits = 1 + round % 4;
		for (int e = 0; e < edits; e++) {
			rng = rng * 6364136223846793005UL + 1442695040888963407UL;
			int pos = (int)((rng >> 33) % (unsigned long)n);
			int op = (int)((rng >> 20) % 3);
			char c = alphabet[(rng >> 40) % (sizeof(alphabet) - 1)];
			if (op == 0) {
				line[pos] = c;
			} else if (op == 1 && n > 1) {
				memmove(line + pos, line + pos + 1, (size_t)(n - pos));
				n--;
			} else if (n + 1 < (int)sizeof(line)) {
				memmove(line + pos + 1, line + pos, (size_t)(n - pos + 1));
				line[pos] = c;
				n++;
			}
		}
		if (jsonl_parse(line, &ev, err, sizeof(err)) == 0)
			assert_round_trip(&ev, &back);
		else
			ck_assert(err[0] != '\0');
	}
}
END_TEST

START_TEST(jsonl_parse_tolerates_tiny_error_buffers)
{
	struct ss_event ev;
	char err[4];
	ck_assert_int_eq(jsonl_parse("{", &ev, NULL, 0), -1);
	ck_assert_int_eq(jsonl_parse("{", &ev, err, sizeof(err)), -1);
	ck_assert_uint_lt(strlen(err), sizeof(err));
	ck_assert_int_eq(jsonl_parse(NULL, &ev, err, sizeof(err)), -1);
}
END_TEST

Suite *test_suite(void)
{
	Suite *s = suite_create("jsonl");
	TCase *tc = tcase_create("jsonl");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, jsonl_round_trips_every_kind);
	tcase_add_test(tc, jsonl_pid_is_written_only_for_traced_programs);
	tcase_add_test(tc, jsonl_round_trips_unreported_values);
	tcase_add_test(tc, jsonl_call_reads_back_every_field);
	tcase_add_test(tc, jsonl_writes_the_documented_call_line);
	tcase_add_test(tc, jsonl_writes_the_documented_socket_line);
	tcase_add_test(tc, jsonl_writes_the_documented_text_lines);
	tcase_add_test(tc, jsonl_answer_carries_the_field_and_the_kernels_value);
	tcase_add_test(tc, jsonl_begin_and_blocked_have_null_ret_and_errno);
	tcase_add_test(tc, jsonl_data_never_carries_control_bytes);
	tcase_add_test(tc, jsonl_data_defuses_terminal_sequences);
	tcase_add_test(tc, jsonl_names_unknown_errno_by_number);
	tcase_add_test(tc, jsonl_writes_unnamed_enum_values_as_numbers);
	tcase_add_test(tc, jsonl_time_ignores_the_locale);
	tcase_add_test(tc, jsonl_escapes_controls_in_names_and_text);
	tcase_add_test(tc, jsonl_accepts_whitespace_unknown_fields_and_any_order);
	tcase_add_test(tc, jsonl_accepts_null_for_every_field);
	tcase_add_test(tc, jsonl_decodes_unicode_escapes);
	tcase_add_test(tc, jsonl_cuts_long_strings_at_a_character_boundary);
	tcase_add_test(tc, jsonl_truncates_long_data_to_the_preview);
	tcase_add_test(tc, jsonl_rejects_truncated_line);
	tcase_add_test(tc, jsonl_rejects_malformed_input_with_a_reason);
	tcase_add_test(tc, jsonl_rejects_deep_nesting_without_recursing);
	tcase_add_test(tc, jsonl_format_refuses_a_small_buffer);
	tcase_add_test(tc, jsonl_worst_case_events_fit_line_max);
	tcase_add_test(tc, jsonl_survives_mutated_lines);
	tcase_add_test(tc, jsonl_parse_tolerates_tiny_error_buffers);
	suite_add_tcase(s, tc);
	return s;
}
