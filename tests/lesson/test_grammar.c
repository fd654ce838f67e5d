/* grammar: each keyword's handler, fed one line at a time as the lesson
 * file would (no Markdown, no variables). */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "sockstep/grammar.h"

static struct ss_script sc;
static struct grammar g;
static char err[256];

static void setup(void)
{
	memset(&sc, 0, sizeof sc);
	memset(&g, 0, sizeof g);
	sc.steps = calloc(SCRIPT_MAX_STEPS, sizeof *sc.steps);
	ck_assert_ptr_nonnull(sc.steps);
	g.sc = &sc;
	g.name = "g.md";
	g.err = err;
	g.errsz = sizeof err;
	err[0] = '\0';
}

static void teardown(void)
{
	script_free(&sc);
}

/* Feed a line as the lesson file does: a copy, indented if it starts
 * with a blank. */
static int line(const char *text)
{
	char buf[SS_TEXT_MAX + 64];

	snprintf(buf, sizeof buf, "%s", text);
	g.line++;
	return grammar_line(&g, buf, buf[0] == ' ');
}

static void ok(const char *text)
{
	ck_assert_msg(line(text) == 0, "'%s': %s", text, err);
}

static void bad(const char *text, const char *word)
{
	ck_assert_int_eq(line(text), -1);
	ck_assert_msg(strstr(err, word) != NULL, "'%s' -> '%s', wanted '%s'", text, err, word);
	ck_assert_msg(strncmp(err, "g.md:", 5) == 0, "%s", err);
}

START_TEST(test_grammar__say_lines_join_into_one_narration)
{
	ok("server: s = socket(AF_INET, SOCK_STREAM)");
	ok("  say: The server asks");
	ok("  say: for a socket.");
	ck_assert_str_eq(sc.steps[0].say, "The server asks for a socket.");
}
END_TEST

START_TEST(test_grammar__prose_too_long_is_refused_not_cut)
{
	char text[SS_TEXT_MAX + 32];

	ok("server: s = socket(AF_INET, SOCK_STREAM)");
	memset(text, 'a', sizeof text);
	memcpy(text, "  say: ", 7);
	text[sizeof text - 1] = '\0';
	bad(text, "'say:' text is too long");
	memcpy(text, "  ask: ", 7);
	bad(text, "'ask:' text is too long");
	/* Two say lines that fit alone but not together. */
	text[SS_TEXT_MAX / 2 + 7] = '\0';
	memcpy(text, "  say: ", 7);
	ok(text);
	bad(text, "too long");
}
END_TEST

START_TEST(test_grammar__expect_keeps_its_line_and_checks_references)
{
	ok("server: s = socket(AF_INET, SOCK_STREAM)");
	ok("  expect: ok");
	ck_assert_int_eq(sc.steps[0].nexpect, 1);
	ck_assert_int_eq(sc.steps[0].expect[0].line, 2);
	ck_assert_str_eq(sc.steps[0].expect[0].text, "ok");
	bad("  expect: local.port == server.t.local.port", "no socket 't'");
	for (int i = 1; i < SCRIPT_MAX_EXPECT; i++)
		ok("  expect: ok");
	bad("  expect: ok", "too many expectations");
}
END_TEST

START_TEST(test_grammar__ask_answer_explain_make_a_question)
{
	ok("client: k = socket(AF_INET, SOCK_STREAM)");
	ok("  ask: Which port? [auto | 9001]");
	ok("  answer: local.port");
	ok("  explain: The kernel picks one.");
	ck_assert_str_eq(sc.steps[0].ask, "Which port? [auto | 9001]");
	ck_assert_int_eq(sc.steps[0].ask_line, 2);
	ck_assert_str_eq(sc.steps[0].answer, "local.port");
	ck_assert_str_eq(sc.steps[0].explain, "The kernel picks one.");
	ck_assert_int_eq(grammar_finish(&g), 0);
	bad("  answer: colour", "not a field");
	bad("  ask:", "needs text");
}
END_TEST

START_TEST(test_grammar__a_question_without_answer_names_its_line)
{
	ok("client: k = socket(AF_INET, SOCK_STREAM)");
	ok("  ask: Will it work?");
	ck_assert_int_eq(grammar_finish(&g), -1);
	ck_assert_ptr_nonnull(strstr(err, "g.md:2: a question needs"));
}
END_TEST

START_TEST(test_grammar__on_error_skips_1_to_16)
{
	ok("server: s = socket(AF_INET, SOCK_STREAM)");
	ok("  on-error: skip 16");
	ck_assert_int_eq(sc.steps[0].skip_on_error, 16);
	bad("  on-error: skip 17", "skip N");
	bad("  on-error: retry", "skip N");
}
END_TEST

START_TEST(test_grammar__keywords_belong_under_a_step)
{
	bad("  say: nothing yet", "belongs under a step");
	ok("server: s = socket(AF_INET, SOCK_STREAM)");
	bad("say: not indented", "belongs under a step");
	bad("expect: ok", "belongs under a step");
	ok("summary: one line about the lesson");
	ck_assert_str_eq(sc.summary, "one line about the lesson");
}
END_TEST

START_TEST(test_grammar__each_call_parses_its_own_arguments)
{
	ok("server: s = socket(AF_INET6, SOCK_DGRAM)");
	ck_assert_int_eq(sc.steps[0].family, AF_INET6);
	ck_assert_int_eq(sc.steps[0].type, SOCK_DGRAM);
	ok("server: bind(s, [::1]:auto)");
	ck_assert_int_eq(sc.steps[1].target.kind, SS_ADDR_INET6);
	ck_assert(sc.steps[1].target.port_auto);
	ok("server: sendto(s, \"hi\", /tmp/x.sock, MSG_DONTWAIT)");
	ck_assert_int_eq(sc.steps[2].target.kind, SS_ADDR_UNIX);
	ck_assert_int_eq(sc.steps[2].flags, MSG_DONTWAIT);
	ck_assert_uint_eq(sc.steps[2].data_len, 2);
	ok("server: shutdown(s, SHUT_WR)");
	ck_assert_int_eq(sc.steps[3].num, SHUT_WR);
	ok("client: k = socket(AF_LOCAL, SOCK_STREAM)");
	ck_assert_int_eq(sc.steps[4].family, AF_UNIX);
	ok("client: connect(k, server.s)");
	ck_assert_int_eq(sc.steps[5].target.kind, SS_ADDR_NONE);
	ck_assert_str_eq(sc.steps[5].addr, "server.s");
	bad("server: t = socket(AF_INET, SOCK_SEQPACKET)", "unknown type");
	bad("server: bind(s, ::1:80)", "brackets");
	bad("server: bind(s, 127.0.0.1:65536)", "65535");
	bad("server: sleep(1, 2)", "takes 1 argument");
}
END_TEST

Suite *test_suite(void)
{
	Suite *s = suite_create("grammar");
	TCase *tc = tcase_create("grammar");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_grammar__say_lines_join_into_one_narration);
	tcase_add_test(tc, test_grammar__prose_too_long_is_refused_not_cut);
	tcase_add_test(tc, test_grammar__expect_keeps_its_line_and_checks_references);
	tcase_add_test(tc, test_grammar__ask_answer_explain_make_a_question);
	tcase_add_test(tc, test_grammar__a_question_without_answer_names_its_line);
	tcase_add_test(tc, test_grammar__on_error_skips_1_to_16);
	tcase_add_test(tc, test_grammar__keywords_belong_under_a_step);
	tcase_add_test(tc, test_grammar__each_call_parses_its_own_arguments);
	suite_add_tcase(s, tc);
	return s;
}
