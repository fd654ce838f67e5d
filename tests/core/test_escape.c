/* escape: peer bytes never reach a terminal as control sequences, and the
 * escaped text decodes back to exactly the bytes that were sent. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sockstep/escape.h"

static int all_printable(const char *s)
{
	for (; *s != '\0'; s++)
		if ((unsigned char)*s < 0x20 || (unsigned char)*s >= 0x7f)
			return 0;
	return 1;
}

START_TEST(escape_never_emits_control_bytes)
{
	unsigned char in[256];
	char out[4 * 256 + 1];
	for (int i = 0; i < 256; i++)
		in[i] = (unsigned char)i;
	size_t used = escape_bytes(out, sizeof(out), in, sizeof(in));
	ck_assert_uint_eq(used, 256);
	ck_assert(all_printable(out));
	ck_assert_ptr_null(strstr(out, "..."));
}
END_TEST

START_TEST(escape_never_emits_control_bytes_for_any_single_byte)
{
	for (int i = 0; i < 256; i++) {
		unsigned char b = (unsigned char)i;
		char out[8];
		ck_assert_uint_eq(escape_bytes(out, sizeof(out), &b, 1), 1);
		ck_assert_msg(all_printable(out), "byte 0x%02x escaped unsafely", i);
		unsigned char back[4];
		ck_assert_int_eq(unescape_bytes(back, sizeof(back), out), 1);
		ck_assert_uint_eq(back[0], b);
	}
}
END_TEST

START_TEST(escape_round_trips_all_256_byte_values)
{
	unsigned char in[512];
	char out[4 * 512 + 1];
	unsigned char back[512];
	for (int i = 0; i < 512; i++)
		in[i] = (unsigned char)(i * 37 + 11);
	escape_bytes(out, sizeof(out), in, sizeof(in));
	ck_assert_int_eq(unescape_bytes(back, sizeof(back), out), 512);
	ck_assert_mem_eq(back, in, sizeof(in));
}
END_TEST

START_TEST(escape_defuses_clear_screen_sequence)
{
	const char *evil = "\x1b[2Jhello";
	char out[64];
	escape_bytes(out, sizeof(out), evil, strlen(evil));
	ck_assert_str_eq(out, "\\x1b[2Jhello");
	ck_assert_ptr_null(strchr(out, 0x1b));
}
END_TEST

START_TEST(escape_defuses_osc_title_change)
{
	const char *evil = "\x1b]0;pwned\x07";
	char out[64];
	escape_bytes(out, sizeof(out), evil, strlen(evil));
	ck_assert_str_eq(out, "\\x1b]0;pwned\\x07");
	ck_assert(all_printable(out));
}
END_TEST

START_TEST(escape_defuses_8bit_csi)
{
	const unsigned char evil[] = { 0x9b, '2', 'J' };
	char out[32];
	escape_bytes(out, sizeof(out), evil, sizeof(evil));
	ck_assert_str_eq(out, "\\x9b2J");
}
END_TEST

START_TEST(escape_writes_common_controls_as_two_characters)
{
	const char in[] = "a\nb\rc\td\\e";
	char out[64];
	escape_bytes(out, sizeof(out), in, sizeof(in)); /* includes the NUL */
	ck_assert_str_eq(out, "a\\nb\\rc\\td\\\\e\\0");
}
END_TEST

START_TEST(escape_ends_with_dots_when_output_is_too_small)
{
	const char in[] = "hello world";
	char out[8];
	size_t used = escape_bytes(out, sizeof(out), in, strlen(in));
	ck_assert_str_eq(out, "hell...");
	ck_assert_uint_eq(used, 4);
}
END_TEST

START_TEST(escape_never_splits_an_escape)
{
	const unsigned char in[] = { 'a', 'b', 0x01, 0x02 };
	char out[9]; /* 5 characters before "...": "ab" fits, "\x01" would not */
	size_t used = escape_bytes(out, sizeof(out), in, sizeof(in));
	ck_assert_str_eq(out, "ab...");
	ck_assert_uint_eq(used, 2);
}
END_TEST

START_TEST(escape_fills_exactly_when_everything_fits)
{
	char out[6];
	ck_assert_uint_eq(escape_bytes(out, sizeof(out), "hello", 5), 5);
	ck_assert_str_eq(out, "hello");
}
END_TEST

START_TEST(escape_survives_tiny_buffers)
{
	char out[4];
	for (size_t sz = 0; sz <= sizeof(out); sz++) {
		memset(out, 'Z', sizeof(out));
		escape_bytes(out, sz, "\x1b\x1b\x1b", 3);
		if (sz > 0) {
			ck_assert_uint_lt(strlen(out), sz);
			ck_assert(all_printable(out));
		} else {
			ck_assert_int_eq(out[0], 'Z');
		}
	}
}
END_TEST

START_TEST(unescape_rejects_malformed_escapes)
{
	unsigned char out[16];
	ck_assert_int_eq(unescape_bytes(out, sizeof(out), "abc\\"), -1);
	ck_assert_int_eq(unescape_bytes(out, sizeof(out), "\\q"), -1);
	ck_assert_int_eq(unescape_bytes(out, sizeof(out), "\\x4"), -1);
	ck_assert_int_eq(unescape_bytes(out, sizeof(out), "\\xg0"), -1);
	ck_assert_int_eq(unescape_bytes(out, sizeof(out), "raw\x1b"), -1);
	ck_assert_int_eq(unescape_bytes(out, sizeof(out), "hi\xc3\xa9"), -1);
}
END_TEST

START_TEST(unescape_stops_at_the_output_size)
{
	unsigned char out[3];
	ck_assert_int_eq(unescape_bytes(out, sizeof(out), "abcdef"), 3);
	ck_assert_mem_eq(out, "abc", 3);
}
END_TEST

START_TEST(escape_string_applies_the_same_rules)
{
	char out[32];
	escape_string(out, sizeof(out), "name\x1b[31m");
	ck_assert_str_eq(out, "name\\x1b[31m");
	escape_string(out, sizeof(out), NULL);
	ck_assert_str_eq(out, "");
}
END_TEST

/* event_escape keeps a field escape_text would not change: Chinese and
 * printable ASCII; anything escape_text would escape makes it unclean. */
START_TEST(escape_text_clean_is_what_escape_text_keeps)
{
	ck_assert(escape_text_clean("\xe5\x86\x85\xe6\xa0\xb8 ok"));
	ck_assert(escape_text_clean(""));
	ck_assert(!escape_text_clean("\xe5\x86"));		/* broken */
	ck_assert(!escape_text_clean("a\x1b[2J"));		/* ESC */
	ck_assert(!escape_text_clean("\xc2\x9b"));		/* C1 CSI */
	ck_assert(!escape_text_clean("\xe2\x80\xae"));	/* RTL override */
}
END_TEST

/* What a writer puts in a FILE, as a string (caller frees). */
static char *written(void (*fn)(FILE *, const char *), const char *in)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	ck_assert_ptr_nonnull(f);
	fn(f, in);
	fclose(f);
	return buf;
}

START_TEST(escape_html_turns_markup_into_text)
{
	char *s = written(escape_html, "<script>alert('x')</script> \"q\" & <!--");
	ck_assert_str_eq(s, "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &quot;q&quot; &amp; &lt;!--");
	free(s);
}
END_TEST

START_TEST(escape_html_never_emits_a_control_or_markup_byte)
{
	char in[256], *s;
	for (int i = 1; i < 256; i++)
		in[i - 1] = (char)i;
	in[255] = '\0';
	s = written(escape_html, in);
	ck_assert(all_printable(s));
	ck_assert_ptr_null(strpbrk(s, "<>\"'"));
	ck_assert_ptr_nonnull(strstr(s, "\\x1b\\x1c"));
	ck_assert_ptr_nonnull(strstr(s, "\\x7f\\x80"));
	free(s);
	s = written(escape_html, NULL);
	ck_assert_str_eq(s, "");
	free(s);
}
END_TEST

/* A Chinese narration in an exported page reads as Chinese; what could
 * reorder or hide text (U+202E), a C1 control (U+009B, CSI) and U+FFFF
 * (which XML refuses) stay visible escapes, as escape_text writes them. */
START_TEST(escape_html_keeps_chinese_and_escapes_the_rest_as_escape_text)
{
	const char *in = "\xe4\xb8\x89\xe6\xac\xa1<\xe2\x80\xae>\xc2\x9b\xef\xbf\xbf\x1b&";
	char *s = written(escape_html, in);
	char text[128];

	ck_assert_str_eq(s, "\xe4\xb8\x89\xe6\xac\xa1&lt;\\xe2\\x80\\xae&gt;\\xc2\\x9b\\xef\\xbf\\xbf\\x1b&amp;");
	escape_text(text, sizeof text, in);
	ck_assert_str_eq(text, "\xe4\xb8\x89\xe6\xac\xa1<\\xe2\\x80\\xae>\\xc2\\x9b\\xef\\xbf\\xbf\\x1b&");
	ck_assert_uint_eq(escape_text_char("\xe4\xb8\x89"), 3);
	ck_assert_uint_eq(escape_text_char("a"), 0);
	ck_assert_uint_eq(escape_text_char("\xef\xbf\xbf"), 0);
	free(s);
}
END_TEST

START_TEST(escape_script_json_cannot_close_the_script_block)
{
	char *s = written(escape_script_json, "{\"a\":\"</script><!--&x\"}");
	ck_assert_str_eq(s, "{\"a\":\"\\u003c/script\\u003e\\u003c!--\\u0026x\"}");
	ck_assert_ptr_null(strpbrk(s, "<>&"));
	free(s);
}
END_TEST

START_TEST(escape_script_json_escapes_the_javascript_line_breaks)
{
	/* U+2028, U+2029, and a neighbour (U+2027) that stays as is */
	char *s = written(escape_script_json, "\"\xe2\x80\xa8|\xe2\x80\xa9|\xe2\x80\xa7|\xe2\x80\"");
	ck_assert_str_eq(s, "\"\\u2028|\\u2029|\xe2\x80\xa7|\xe2\x80\"");
	free(s);
}
END_TEST

START_TEST(escape_text_keeps_chinese_and_escapes_what_is_not_safe)
{
	char out[64];

	escape_text(out, sizeof out, "三次握手 SYN");
	ck_assert_str_eq(out, "三次握手 SYN");
	/* ESC, a C1 control (U+009B CSI), a right-to-left override, a
	 * broken sequence: all escaped, never passed through. */
	escape_text(out, sizeof out, "a\x1b[2Jb\xc2\x9b" "c\xe2\x80\xae" "d\xe4\xb8" "e");
	ck_assert_str_eq(out, "a\\x1b[2Jb\\xc2\\x9bc\\xe2\\x80\\xaed\\xe4\\xb8e");
	/* Cut between characters: 7 bytes of room hold two Chinese ones. */
	escape_text(out, 8, "三次握手");
	ck_assert_str_eq(out, "三次");
	for (size_t i = 0; out[i]; i++)
		ck_assert((unsigned char)out[i] >= 0x20 && out[i] != 0x7f);
}
END_TEST

Suite *test_suite(void)
{
	Suite *s = suite_create("escape");
	TCase *tc = tcase_create("escape");
	tcase_add_test(tc, escape_never_emits_control_bytes);
	tcase_add_test(tc, escape_text_keeps_chinese_and_escapes_what_is_not_safe);
	tcase_add_test(tc, escape_never_emits_control_bytes_for_any_single_byte);
	tcase_add_test(tc, escape_round_trips_all_256_byte_values);
	tcase_add_test(tc, escape_defuses_clear_screen_sequence);
	tcase_add_test(tc, escape_defuses_osc_title_change);
	tcase_add_test(tc, escape_defuses_8bit_csi);
	tcase_add_test(tc, escape_writes_common_controls_as_two_characters);
	tcase_add_test(tc, escape_ends_with_dots_when_output_is_too_small);
	tcase_add_test(tc, escape_never_splits_an_escape);
	tcase_add_test(tc, escape_fills_exactly_when_everything_fits);
	tcase_add_test(tc, escape_survives_tiny_buffers);
	tcase_add_test(tc, unescape_rejects_malformed_escapes);
	tcase_add_test(tc, unescape_stops_at_the_output_size);
	tcase_add_test(tc, escape_string_applies_the_same_rules);
	tcase_add_test(tc, escape_text_clean_is_what_escape_text_keeps);
	tcase_add_test(tc, escape_html_turns_markup_into_text);
	tcase_add_test(tc, escape_html_never_emits_a_control_or_markup_byte);
	tcase_add_test(tc, escape_html_keeps_chinese_and_escapes_the_rest_as_escape_text);
	tcase_add_test(tc, escape_script_json_cannot_close_the_script_block);
	tcase_add_test(tc, escape_script_json_escapes_the_javascript_line_breaks);
	suite_add_tcase(s, tc);
	return s;
}
