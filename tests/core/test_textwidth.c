/* textwidth: a Chinese character takes two columns and three bytes; a
 * combining mark none; a broken byte one.  Fitting and wrapping count
 * columns and never cut a character in two. */
#include <check.h>

#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sockstep/textwidth.h"

/* "中文" and the rest in UTF-8, written as bytes so the test does not
 * depend on the compiler's source charset. */
#define ZH "\xe4\xb8\xad"      /* 中 U+4E2D, 2 columns */
#define WEN "\xe6\x96\x87"     /* 文 U+6587 */
#define COMMA "\xef\xbc\x8c"   /* ， U+FF0C, full-width, closing */
#define ACUTE "\xcc\x81"       /* U+0301 combining acute, 0 columns */

/* Every test needs a UTF-8 locale for wcwidth; C.UTF-8 is in glibc
 * itself, so it is always there. */
static void utf8(void)
{
	ck_assert_ptr_nonnull(setlocale(LC_ALL, "C.UTF-8"));
}

START_TEST(test_textwidth__ascii_is_one_column_a_byte)
{
	int cols;

	utf8();
	ck_assert_int_eq(text_width("accept(s) = 6"), 13);
	ck_assert_int_eq(text_char("a", &cols), 1);
	ck_assert_int_eq(cols, 1);
	ck_assert_int_eq(text_width(""), 0);
}
END_TEST

START_TEST(test_textwidth__a_chinese_character_is_two_columns_three_bytes)
{
	int cols;

	utf8();
	ck_assert_int_eq(text_char(ZH, &cols), 3);
	ck_assert_int_eq(cols, 2);
	ck_assert_int_eq(text_width(ZH WEN), 4);
	ck_assert_int_eq(text_width("port " ZH WEN COMMA "9001"), 5 + 4 + 2 + 4);
}
END_TEST

START_TEST(test_textwidth__a_combining_mark_takes_no_column)
{
	int cols;

	utf8();
	ck_assert_int_eq(text_char(ACUTE, &cols), 2);
	ck_assert_int_eq(cols, 0);
	ck_assert_int_eq(text_width("e" ACUTE "t" ACUTE "e"), 3);
}
END_TEST

START_TEST(test_textwidth__an_invalid_byte_is_one_byte_one_column)
{
	int cols;

	utf8();
	ck_assert_int_eq(text_char("\xff" "a", &cols), 1);
	ck_assert_int_eq(cols, 1);
	/* a character cut short by the end of the text */
	ck_assert_int_eq(text_char("\xe4\xb8", &cols), 1);
	ck_assert_int_eq(cols, 1);
	ck_assert_int_eq(text_width("a\xe4\xb8"), 3);
}
END_TEST

START_TEST(test_textwidth__fit_never_splits_a_character)
{
	int used;

	utf8();
	/* 3 columns hold one Chinese character, not one and a half */
	ck_assert_uint_eq(text_fit(ZH WEN, 3, &used), 3);
	ck_assert_int_eq(used, 2);
	ck_assert_uint_eq(text_fit(ZH WEN, 4, &used), 6);
	ck_assert_int_eq(used, 4);
	ck_assert_uint_eq(text_fit(ZH WEN, 1, &used), 0);
	ck_assert_int_eq(used, 0);
	/* a combining mark stays with its letter */
	ck_assert_uint_eq(text_fit("e" ACUTE "x", 1, &used), 3);
	ck_assert_uint_eq(text_fit("abc", 10, NULL), 3);
}
END_TEST

START_TEST(test_textwidth__pad_counts_columns)
{
	char buf[64];
	FILE *f = fmemopen(buf, sizeof buf, "w");

	utf8();
	ck_assert_ptr_nonnull(f);
	text_pad(f, ZH WEN, 6);
	text_pad(f, ZH WEN, 3);
	fputc('|', f);
	fclose(f);
	ck_assert_str_eq(buf, ZH WEN "  " ZH " |");
}
END_TEST

START_TEST(test_textwidth__wrap_breaks_latin_at_spaces)
{
	const char *s = "the server sleeps in the kernel";

	utf8();
	/* "the server " fits 12 columns; "sleeps" would be cut */
	ck_assert_uint_eq(text_wrap(s, 12), 11);
	ck_assert_uint_eq(text_wrap(s, 100), strlen(s));
	/* one word longer than the line: cut, so wrapping progresses */
	ck_assert_uint_eq(text_wrap("127.0.0.1:41234", 6), 6);
	ck_assert_uint_eq(text_wrap("", 6), 0);
}
END_TEST

START_TEST(test_textwidth__wrap_breaks_between_chinese_characters)
{
	/* 监听套接字 (5 characters, 10 columns) in 7 columns: three fit */
	const char *s = "\xe7\x9b\x91\xe5\x90\xac\xe5\xa5\x97\xe6\x8e\xa5\xe5\xad\x97";

	utf8();
	ck_assert_uint_eq(text_wrap(s, 7), 9);
	ck_assert_uint_eq(text_wrap(s, 8), 12);
	/* Chinese, then a Latin word that would not fit: break before it */
	ck_assert_uint_eq(text_wrap(ZH WEN "accept()", 9), 6);
	/* a column too narrow for one wide character still progresses */
	ck_assert_uint_eq(text_wrap(ZH WEN, 1), 3);
}
END_TEST

START_TEST(test_textwidth__wrap_never_starts_a_line_with_closing_punctuation)
{
	/* 中文，文 in 5 columns: the comma may not start the next line, so
	 * 文 goes down with it */
	utf8();
	ck_assert_uint_eq(text_wrap(ZH WEN COMMA WEN, 5), 3);
	ck_assert_uint_eq(text_wrap(ZH WEN COMMA WEN, 6), 9);
}
END_TEST

START_TEST(test_textwidth__wrapped_lines_are_never_wider_than_the_width)
{
	/* a long mixed sentence, every width from 1 to 40: each line fits
	 * (or is one character), and together the lines are the text */
	const char *s = "accept() " ZH WEN ZH WEN COMMA "port 9001 " ZH ZH ZH WEN WEN
			"the client" COMMA ZH " x";

	utf8();
	for (int w = 1; w <= 40; w++) {
		size_t off = 0, total = strlen(s);
		while (off < total) {
			size_t n = text_wrap(s + off, w);
			char line[256];
			int cols;
			ck_assert_uint_gt(n, 0);
			snprintf(line, sizeof line, "%.*s", (int)n, s + off);
			ck_assert(text_width(line) <= w ||
				  (size_t)text_char(line, &cols) == n);
			off += n;
		}
		ck_assert_uint_eq(off, total);
	}
}
END_TEST

Suite *test_suite(void)
{
	Suite *s = suite_create("textwidth");
	TCase *tc = tcase_create("textwidth");

	tcase_add_test(tc, test_textwidth__ascii_is_one_column_a_byte);
	tcase_add_test(tc, test_textwidth__a_chinese_character_is_two_columns_three_bytes);
	tcase_add_test(tc, test_textwidth__a_combining_mark_takes_no_column);
	tcase_add_test(tc, test_textwidth__an_invalid_byte_is_one_byte_one_column);
	tcase_add_test(tc, test_textwidth__fit_never_splits_a_character);
	tcase_add_test(tc, test_textwidth__pad_counts_columns);
	tcase_add_test(tc, test_textwidth__wrap_breaks_latin_at_spaces);
	tcase_add_test(tc, test_textwidth__wrap_breaks_between_chinese_characters);
	tcase_add_test(tc, test_textwidth__wrap_never_starts_a_line_with_closing_punctuation);
	tcase_add_test(tc, test_textwidth__wrapped_lines_are_never_wider_than_the_width);
	suite_add_tcase(s, tc);
	return s;
}
