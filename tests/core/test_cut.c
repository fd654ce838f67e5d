/* cut: bounded copies end the string and cut what does not fit; and the
 * one rule for "this call returned a new fd". */
#include <check.h>

#include <stdio.h>
#include <string.h>

#include "sockstep/cut.h"
#include "sockstep/event.h"

START_TEST(test_cut__a_copy_is_cut_and_ended)
{
	char out[6];

	cut_copy(out, sizeof out, "abcdefgh");
	ck_assert_str_eq(out, "abcde");
	cut_copy(out, sizeof out, "ab");
	cut_append(out, sizeof out, "cdefgh");
	ck_assert_str_eq(out, "abcde");
	cut_append(out, sizeof out, "x");
	ck_assert_str_eq(out, "abcde");
}
END_TEST

/* 内核 is six bytes: cut in the second character, the copy keeps the
 * first whole and never half of the second. */
START_TEST(test_cut__never_splits_a_character)
{
	char out[6];

	cut_copy(out, sizeof out, "\xe5\x86\x85\xe6\xa0\xb8");
	ck_assert_str_eq(out, "\xe5\x86\x85");
	cut_copy(out, sizeof out, "ab");
	cut_append(out, sizeof out, "\xe5\x86\x85\xe6\xa0\xb8");
	ck_assert_str_eq(out, "ab\xe5\x86\x85");
	cut_copy(out, sizeof out, "abcd\xe5\x86\x85");
	ck_assert_str_eq(out, "abcd");
	/* what snprintf leaves: "ab" and two bytes of a three-byte character */
	snprintf(out, sizeof out, "ab\xe5\x86\x85\xe6");
	cut_end(out);
	ck_assert_str_eq(out, "ab\xe5\x86\x85");
	snprintf(out, sizeof out, "abc\xe5\x86\x85");
	cut_end(out);
	ck_assert_str_eq(out, "abc");
}
END_TEST

START_TEST(test_cut__a_cut_never_splits_a_chinese_character)
{
	char out[8];

	/* 三次握手: 3 bytes each; 7 bytes of room hold two characters, not
	 * two and a third of one. */
	cut_copy(out, sizeof out, "三次握手");
	ck_assert_str_eq(out, "三次");
	cut_copy(out, sizeof out, "ab三次");
	ck_assert_str_eq(out, "ab三");
	cut_copy(out, sizeof out, "abcd三");
	ck_assert_str_eq(out, "abcd三");
}
END_TEST

START_TEST(test_cut__only_a_successful_socket_or_accept_returns_an_fd)
{
	ck_assert(event_call_returns_fd("accept", 4));
	ck_assert(event_call_returns_fd("accept4", 5));
	ck_assert(event_call_returns_fd("socket", 3));
	ck_assert(!event_call_returns_fd("socket", -1));
	ck_assert(!event_call_returns_fd("recv", 5)); /* bytes, not an fd */
}
END_TEST

Suite *test_suite(void)
{
	Suite *s = suite_create("cut");
	TCase *tc = tcase_create("cut");

	tcase_add_test(tc, test_cut__a_copy_is_cut_and_ended);
	tcase_add_test(tc, test_cut__never_splits_a_character);
	tcase_add_test(tc, test_cut__a_cut_never_splits_a_chinese_character);
	tcase_add_test(tc, test_cut__only_a_successful_socket_or_accept_returns_an_fd);
	suite_add_tcase(s, tc);
	return s;
}
