/* output: the headless text lines up in display columns, never bytes.
 * A Chinese character takes two columns and three bytes: an actor named
 * in Chinese, or a translated word, must not shift the columns after it;
 * a narration keeps its characters and loses its control bytes. */
#include <check.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sockstep/output.h"
#include "sockstep/textwidth.h"

static struct ss_event call(const char *actor, enum ss_kind kind)
{
	struct ss_event ev;

	event_init(&ev, kind);
	snprintf(ev.actor, sizeof ev.actor, "%s", actor);
	snprintf(ev.u.call.name, sizeof ev.u.call.name, "accept");
	snprintf(ev.u.call.sock, sizeof ev.u.call.sock, "s");
	snprintf(ev.u.call.newsock, sizeof ev.u.call.newsock, "c");
	snprintf(ev.u.call.local, sizeof ev.u.call.local, "127.0.0.1:9001");
	ev.u.call.ret = 4;
	return ev;
}

/* The text sink's output for these events (caller frees). */
static char *printed(const struct ss_event *evs, int n)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	struct output_text o;

	ck_assert_ptr_nonnull(f);
	output_text_init(&o, f);
	for (int i = 0; i < n; i++)
		output_text_sink(&o, &evs[i]);
	output_text_flush(&o);
	fclose(f);
	return buf;
}

/* The display column where needle starts on the line that holds it. */
static int column_of(const char *text, const char *line_has, const char *needle)
{
	const char *line = strstr(text, line_has);
	char head[512];

	ck_assert_ptr_nonnull(line);
	while (line > text && line[-1] != '\n')
		line--;
	const char *at = strstr(line, needle);
	ck_assert_ptr_nonnull(at);
	ck_assert_uint_lt((size_t)(at - line), sizeof head);
	memcpy(head, line, (size_t)(at - line));
	head[at - line] = '\0';
	return text_width(head);
}

START_TEST(test_output__a_chinese_actor_does_not_shift_the_result_column)
{
	struct ss_event evs[3];
	char *out;

	ck_assert_ptr_nonnull(setlocale(LC_CTYPE, "C.UTF-8"));
	evs[0] = call("server", SS_EV_CALL);
	evs[1] = call("\xe6\x9c\x8d\xe5\x8a\xa1\xe5\x99\xa8", SS_EV_CALL); /* 服务器 */
	evs[2] = call("\xe5\xae\xa2\xe6\x88\xb7", SS_EV_BLOCKED);          /* 客户 */
	out = printed(evs, 3);
	/* the result after the call's 40 columns, the address after 64 */
	ck_assert_int_eq(column_of(out, "server", "= 4"), 61);
	ck_assert_int_eq(column_of(out, "\xe6\x9c\x8d", "= 4"), 61);
	ck_assert_int_eq(column_of(out, "\xe5\xae\xa2", "... "), 61);
	ck_assert_int_eq(column_of(out, "server", "127.0.0.1:9001"), 85);
	ck_assert_int_eq(column_of(out, "\xe6\x9c\x8d", "127.0.0.1:9001"), 85);
	free(out);
	setlocale(LC_CTYPE, "C");
}
END_TEST

START_TEST(test_output__a_narration_keeps_its_characters_not_its_controls)
{
	struct ss_event ev;
	char *out;

	event_init(&ev, SS_EV_STEP);
	snprintf(ev.actor, sizeof ev.actor, "server");
	ev.u.note.index = 1;
	ev.u.note.count = 2;
	/* 三次握手, then a clear-screen a lesson file could hold */
	snprintf(ev.u.note.text, sizeof ev.u.note.text,
		 "\xe4\xb8\x89\xe6\xac\xa1\xe6\x8f\xa1\xe6\x89\x8b \x1b[2J");
	out = printed(&ev, 1);
	ck_assert_ptr_nonnull(strstr(out, "\xe4\xb8\x89\xe6\xac\xa1\xe6\x8f\xa1\xe6\x89\x8b \\x1b[2J"));
	ck_assert_ptr_null(strchr(out, 0x1b));
	free(out);
}
END_TEST

Suite *test_suite(void)
{
	Suite *s = suite_create("output");
	TCase *tc = tcase_create("output");

	tcase_add_test(tc, test_output__a_chinese_actor_does_not_shift_the_result_column);
	tcase_add_test(tc, test_output__a_narration_keeps_its_characters_not_its_controls);
	suite_add_tcase(s, tc);
	return s;
}
