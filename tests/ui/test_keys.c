/* keys: one table gives the loop its actions and the help screen and
 * key bar their text, so a key cannot act without being listed or be
 * listed without acting. */
#include <check.h>
#include <curses.h>
#include <stdio.h>
#include <string.h>

#include "sockstep/ui.h"

START_TEST(test_keys__no_key_has_two_actions)
{
	int n;
	const struct ui_key *k = ui_key_table(&n);

	ck_assert_int_gt(n, 10);
	for (int i = 0; i < n; i++)
		for (int a = 0; a < UI_KEY_CODES && k[i].ch[a]; a++)
			for (int j = i + 1; j < n; j++)
				for (int b = 0; b < UI_KEY_CODES && k[j].ch[b]; b++)
					ck_assert_msg(!(k[i].act && k[j].act &&
							k[i].ch[a] == k[j].ch[b]),
						      "key %d bound in rows %d and %d",
						      k[i].ch[a], i, j);
}
END_TEST

/* A help line without an action names keys other rows act on. */
START_TEST(test_keys__every_help_line_has_a_key_that_acts)
{
	int n;
	const struct ui_key *k = ui_key_table(&n);

	for (int i = 0; i < n; i++) {
		if (k[i].help.help == NULL || k[i].act != NULL || k[i].ch[0] == 0)
			continue;
		int found = 0;
		for (int j = 0; j < n && !found; j++)
			if (k[j].act && k[j].ch[0] == k[i].ch[0])
				found = 1;
		ck_assert_msg(found, "'%s' is listed but no row acts on it", k[i].help.keys);
	}
}
END_TEST

static int screen_has(int rows, int cols, const char *text)
{
	char line[512];

	for (int y = 0; y < rows; y++) {
		mvinnstr(y, 0, line, cols < (int)sizeof line ? cols : (int)sizeof line - 1);
		if (strstr(line, text))
			return 1;
	}
	return 0;
}

/* Drawn on a vt100 with no output: the help screen lists every row with
 * help text, the key bar the essential keys at 80 columns and the extras
 * when wider. */
START_TEST(test_keys__help_screen_and_bar_come_from_the_table)
{
	FILE *null = fopen("/dev/null", "r+");
	SCREEN *scr = null ? newterm("vt100", null, null) : NULL;
	struct ui_view *v = ui_view_new(0, "live");
	struct ui_opts o = {.title = "keys", .mode = "live"};
	struct ui_screen s;
	int n;
	const struct ui_key *k = ui_key_table(&n);

	if (scr == NULL) {
		fprintf(stderr, "no vt100 terminfo: key drawing test not run\n");
		if (null)
			fclose(null);
		ui_view_free(v);
		return;
	}
	resizeterm(40, 200);
	ui_draw_setup(0, 0);
	ui_screen_init(&s, &o);
	s.keys = k;
	s.nkeys = n;
	ui_draw_frame(v, &s, 24, 80);
	ck_assert(screen_has(24, 80, " q quit "));
	ck_assert(screen_has(24, 80, " ? help "));
	ck_assert(!screen_has(24, 80, "f filter"));
	ui_draw_frame(v, &s, 40, 200);
	ck_assert(screen_has(40, 200, "f filter"));
	ck_assert(!screen_has(40, 200, "N/P lesson"));
	s.help = 1;
	ui_draw_frame(v, &s, 40, 200);
	for (int i = 0; i < n; i++)
		if (k[i].help.help)
			ck_assert_msg(screen_has(40, 200, k[i].help.help), "help lacks '%s'",
				      k[i].help.help);
	endwin();
	delscreen(scr);
	fclose(null);
	ui_view_free(v);
}
END_TEST

Suite *test_suite(void)
{
	Suite *s = suite_create("keys");
	TCase *tc = tcase_create("keys");
	tcase_add_test(tc, test_keys__no_key_has_two_actions);
	tcase_add_test(tc, test_keys__every_help_line_has_a_key_that_acts);
	tcase_add_test(tc, test_keys__help_screen_and_bar_come_from_the_table);
	suite_add_tcase(s, tc);
	return s;
}
