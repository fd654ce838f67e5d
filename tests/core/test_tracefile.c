/* tracefile: the one reader of recorded traces skips blank lines and kinds
 * a later version added (by the parser's code, not its message), and stops
 * at anything else with the file and line. */
#include <check.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sockstep/jsonl.h"
#include "sockstep/tracefile.h"

static int count(void *ctx, const struct ss_event *ev, long lineno, char *err,
		 size_t errsz)
{
	int *n = ctx;
	(*n)++;
	return 0;
}

static FILE *text_file(const char *text)
{
	FILE *f = tmpfile();
	ck_assert_ptr_nonnull(f);
	fputs(text, f);
	rewind(f);
	return f;
}

START_TEST(test_tracefile__an_unknown_kind_is_a_code_and_is_skipped)
{
	struct ss_event ev;
	char why[128];
	int n = 0;
	FILE *f = text_file("{\"kind\":\"note\",\"text\":\"a\"}\n"
			    "\n   \n"
			    "{\"kind\":\"teleport\",\"to\":\"mars\"}\n"
			    "{\"kind\":\"note\",\"text\":\"b\"}\n");

	ck_assert_int_eq(jsonl_parse_status("{\"kind\":\"teleport\"}", &ev, why, sizeof why),
			 JSONL_UNKNOWN_KIND);
	ck_assert_int_eq(jsonl_parse_status("{\"kind\":teleport}", &ev, why, sizeof why),
			 JSONL_BAD);
	ck_assert_int_eq(tracefile_read(f, "t.jsonl", count, &n, why, sizeof why), 0);
	ck_assert_int_eq(n, 2);
	fclose(f);
}
END_TEST

START_TEST(test_tracefile__a_bad_line_stops_with_file_and_line)
{
	char why[256];
	int n = 0;
	FILE *f = text_file("{\"kind\":\"note\"}\n{\"kind\":\"note\",\n");

	ck_assert_int_eq(tracefile_read(f, "t.jsonl", count, &n, why, sizeof why), -1);
	ck_assert_msg(strncmp(why, "t.jsonl:2: ", 11) == 0, "%s", why);
	ck_assert_int_eq(n, 1);
	fclose(f);
}
END_TEST

START_TEST(test_tracefile__load_is_bounded_and_refuses_an_empty_trace)
{
	char path[] = "/tmp/sockstep-tracefile-XXXXXX";
	int fd = mkstemp(path);
	struct ss_event *evs;
	char why[256];
	int n;

	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(tracefile_load(path, 10, &evs, &n, why, sizeof why), -1);
	ck_assert_msg(strstr(why, "no events") != NULL, "%s", why);
	ck_assert_int_gt(write(fd, "{\"kind\":\"note\"}\n{\"kind\":\"note\"}\n{\"kind\":\"step\"}\n", 48), 0);
	ck_assert_int_eq(tracefile_load(path, 2, &evs, &n, why, sizeof why), -1);
	ck_assert_msg(strstr(why, "more than 2 events") != NULL, "%s", why);
	ck_assert_int_eq(tracefile_load(path, 3, &evs, &n, why, sizeof why), 0);
	ck_assert_int_eq(n, 3);
	ck_assert_int_eq(evs[2].kind, SS_EV_STEP);
	free(evs);
	close(fd);
	unlink(path);
}
END_TEST

START_TEST(test_tracefile__an_endless_line_is_refused_after_the_cap)
{
	/* /dev/zero through stdin, a 1 GB line: refused once the cap is
	 * read, never held whole */
	char why[256];
	int n = 0;
	FILE *f = tmpfile();

	ck_assert_ptr_nonnull(f);
	for (int i = 0; i <= TRACEFILE_LINE_MAX / 4096; i++)
		for (int k = 0; k < 4096; k++)
			fputc('x', f);
	fputs("\n{\"kind\":\"note\"}\n", f);
	rewind(f);
	ck_assert_int_eq(tracefile_read(f, "big.jsonl", count, &n, why, sizeof why), -1);
	ck_assert_str_eq(why, "big.jsonl:1: line longer than 1048576 bytes");
	/* the cap and at most one block (64 KiB) read ahead */
	ck_assert_int_le(ftell(f), TRACEFILE_LINE_MAX + 64 * 1024);
	ck_assert_int_eq(n, 0);
	fclose(f);
}
END_TEST

START_TEST(test_tracefile__a_nul_byte_and_a_hostile_name_are_said_printably)
{
	char why[256];
	int n = 0;
	FILE *f = tmpfile();

	fwrite("{\"kind\":\"note\"}\0x\n", 1, 19, f);
	rewind(f);
	ck_assert_int_eq(tracefile_read(f, "t\x1b[2J", count, &n, why, sizeof why), -1);
	ck_assert_str_eq(why, "t\\x1b[2J:1: a NUL byte: not a JSONL trace");
	fclose(f);
}
END_TEST

START_TEST(test_tracefile__a_line_of_exactly_the_cap_is_read)
{
	/* the cap is the line's bytes without its newline */
	char why[256];
	int n = 0;
	FILE *f = tmpfile();
	const char *head = "{\"kind\":\"note\",\"x\":\"";
	long pad = TRACEFILE_LINE_MAX - (long)strlen(head) - 2;

	fputs(head, f);
	for (long i = 0; i < pad; i++)
		fputc('a', f);
	fputs("\"}\n", f);
	rewind(f);
	ck_assert_int_eq(tracefile_read(f, "t.jsonl", count, &n, why, sizeof why), 0);
	ck_assert_int_eq(n, 1);
	fclose(f);
}
END_TEST

static char path[64];

static void write_path(const char *text)
{
	FILE *f;
	int fd;

	snprintf(path, sizeof path, "/tmp/sockstep-tf-XXXXXX");
	fd = mkstemp(path);
	ck_assert_int_ge(fd, 0);
	f = fdopen(fd, "w");
	ck_assert_ptr_nonnull(f);
	fputs(text, f);
	fclose(f);
}

START_TEST(test_tracefile__next_yields_events_one_at_a_time_and_rewinds)
{
	struct ss_event ev;
	char why[256];
	struct tracefile *tf;

	write_path("{\"kind\":\"step\",\"step\":1}\n\n"
		   "{\"kind\":\"some_future_kind\"}\n"
		   "{\"kind\":\"note\",\"text\":\"a\"}"); /* no final newline */
	tf = tracefile_open(path, why, sizeof why);
	ck_assert_ptr_nonnull(tf);
	for (int round = 0; round < 2; round++) {
		ck_assert_int_eq(tracefile_next(tf, &ev, why, sizeof why), 1);
		ck_assert_int_eq(ev.kind, SS_EV_STEP);
		ck_assert_int_eq(tracefile_lineno(tf), 1);
		ck_assert_int_eq(tracefile_next(tf, &ev, why, sizeof why), 1);
		ck_assert_int_eq(ev.kind, SS_EV_NOTE);
		ck_assert_str_eq(ev.u.note.text, "a");
		ck_assert_int_eq(tracefile_lineno(tf), 4);
		ck_assert_int_eq(tracefile_next(tf, &ev, why, sizeof why), 0);
		ck_assert_int_eq(tracefile_next(tf, &ev, why, sizeof why), 0);
		ck_assert_int_eq(tracefile_rewind(tf, why, sizeof why), 0);
	}
	tracefile_close(tf);
	unlink(path);
}
END_TEST

START_TEST(test_tracefile__next_says_a_bad_line_when_it_reaches_it_and_stays_failed)
{
	struct ss_event ev;
	char why[256];
	struct tracefile *tf;

	write_path("{\"kind\":\"note\",\"text\":\"a\"}\n{\"kind\":\n");
	tf = tracefile_open(path, why, sizeof why);
	ck_assert_ptr_nonnull(tf);
	ck_assert_int_eq(tracefile_next(tf, &ev, why, sizeof why), 1);
	ck_assert_int_eq(tracefile_next(tf, &ev, why, sizeof why), -1);
	ck_assert_msg(strncmp(why, "/tmp/sockstep-tf-", 17) == 0 && strstr(why, ":2: "),
		      "%s", why);
	ck_assert_int_eq(tracefile_next(tf, &ev, why, sizeof why), -1);
	tracefile_close(tf);
	unlink(path);
}
END_TEST

START_TEST(test_tracefile__lines_across_block_boundaries_are_whole)
{
	/* 5000 lines of ~60 bytes: many lines straddle the 64 KiB blocks */
	struct ss_event ev;
	char why[256], text[64];
	int n = 0, rc;
	struct tracefile *tf;
	FILE *f = tmpfile();

	ck_assert_ptr_nonnull(f);
	for (int i = 0; i < 5000; i++)
		fprintf(f, "{\"kind\":\"note\",\"text\":\"n%d\"}\n", i);
	rewind(f);
	tf = tracefile_stream(f, "t.jsonl", why, sizeof why);
	ck_assert_ptr_nonnull(tf);
	while ((rc = tracefile_next(tf, &ev, why, sizeof why)) == 1) {
		snprintf(text, sizeof text, "n%d", n++);
		ck_assert_str_eq(ev.u.note.text, text);
	}
	ck_assert_int_eq(rc, 0);
	ck_assert_int_eq(n, 5000);
	tracefile_close(tf);
	fclose(f); /* a stream's file stays the caller's */
}
END_TEST

START_TEST(test_tracefile__open_refuses_what_is_not_a_regular_file)
{
	char why[256];

	ck_assert_ptr_null(tracefile_open("/dev/zero", why, sizeof why));
	ck_assert_msg(strstr(why, "/dev/zero") != NULL, "%s", why);
	ck_assert_ptr_null(tracefile_open("/nonexistent/x.jsonl", why, sizeof why));
	ck_assert_msg(strstr(why, "/nonexistent/x.jsonl") != NULL, "%s", why);
}
END_TEST

Suite *test_suite(void)
{
	Suite *s = suite_create("tracefile");
	TCase *tc = tcase_create("tracefile");

	tcase_add_test(tc, test_tracefile__an_unknown_kind_is_a_code_and_is_skipped);
	tcase_add_test(tc, test_tracefile__a_bad_line_stops_with_file_and_line);
	tcase_add_test(tc, test_tracefile__load_is_bounded_and_refuses_an_empty_trace);
	tcase_add_test(tc, test_tracefile__an_endless_line_is_refused_after_the_cap);
	tcase_add_test(tc, test_tracefile__a_nul_byte_and_a_hostile_name_are_said_printably);
	tcase_add_test(tc, test_tracefile__a_line_of_exactly_the_cap_is_read);
	tcase_add_test(tc, test_tracefile__next_yields_events_one_at_a_time_and_rewinds);
	tcase_add_test(tc, test_tracefile__next_says_a_bad_line_when_it_reaches_it_and_stays_failed);
	tcase_add_test(tc, test_tracefile__lines_across_block_boundaries_are_whole);
	tcase_add_test(tc, test_tracefile__open_refuses_what_is_not_a_regular_file);
	suite_add_tcase(s, tc);
	return s;
}
