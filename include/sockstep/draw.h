/*
 * draw: the drawing contract between the loop (ui.c) and the painters
 * (draw.c, draw_text.c, present.c).
 *
 * A frame is painted from two things only: the view model (view.h: what
 * the kernel reported) and the screen state below (what the person chose:
 * focus, scrolling, the prompt, the layout).  Drawing reads the view and
 * never changes it; of the screen it writes only the rows_* heights of the
 * last layout, which the loop needs to scroll by a page.  The help screen
 * lists the loop's key table (keys), so a key and its help cannot drift.
 */
#ifndef SOCKSTEP_DRAW_H
#define SOCKSTEP_DRAW_H

#include "sockstep/view.h"

struct ui_opts;
struct ui_loop; /* ui.c's loop: the keys' actions work on it */

#define UI_MIN_ROWS 24
#define UI_MIN_COLS 80

/* How a key is named on the help screen and the key bar.  The texts are
 * gettext message ids (marked N_), translated where they are drawn; key
 * names stay as they are on the keyboard. */
struct ui_key_help {
	const char *keys; /* "n, Space" as the help screen shows it */
	const char *help; /* "perform the next step" */
	const char *bar;  /* "n next" on the key bar, NULL if not there */
	int bar_extra;    /* on the bar only when the width allows */
	int lesson_nav;   /* on the bar only when lessons can be navigated */
};

#define UI_KEY_CODES 6

/* One row of ui.c's key table: the codes (0-terminated), the action (NULL:
 * a help line only) and its names.  The help screen lists the rows with
 * help text, in order; the key bar those with a bar label. */
struct ui_key {
	int ch[UI_KEY_CODES];
	void (*act)(struct ui_loop *L, int ch);
	struct ui_key_help help;
};

/* What the input line is for. */
enum ui_prompt { UI_PROMPT_NONE, UI_PROMPT_ANSWER, UI_PROMPT_FILTER,
		 UI_PROMPT_SEARCH };

#define UI_INPUT_MAX 64

enum ui_focus { UI_FOCUS_SERVER, UI_FOCUS_CLIENT, UI_FOCUS_SEQ, UI_FOCUS_TABLE,
		UI_FOCUS_NARR, UI_FOCUS_COUNT };

struct ui_screen {
	const char *title;
	const char *mode;
	const char *network; /* which network the session uses, or NULL */
	int one_sided, lesson_nav;
	/* from director_status, copied by the loop */
	int step, nsteps, done, busy, blocked, packets_ok;
	int autoplay;
	double speed; /* auto-play steps per second */
	int show_seq; /* the sequence diagram replaces the two panes */
	int help;
	enum ui_focus focus;
	/* scrolling: a pane's bottom line (shown position: what the filter
	 * lets through, see view.h), -1 = follow */
	long anchor[UI_PANES];
	int table_top; /* first table row shown */
	int narr_off;  /* narration: wrapped lines up from the newest */
	char flash[256]; /* a message of the UI itself ("speed 2/s") */
	int flash_error; /* the flash reports a mistake (a bad filter) */
	int present;     /* presenter layout: few, large elements */
	/* predict, then step, from director_status */
	int question, asked, right;
	/* the input line: a prediction, a filter or a search */
	enum ui_prompt prompt;
	char input[UI_INPUT_MAX];
	char filter_desc[96]; /* the active filter (filter_describe), "" */
	char search[UI_INPUT_MAX]; /* the last search */
	int hl_pane;          /* pane holding the highlighted match, -1 */
	long hl;              /* its shown position */
	/* the loop's key table, for the help screen and the key bar */
	const struct ui_key *keys;
	int nkeys;
	/* written by ui_draw_frame: the heights of the last layout */
	int rows_pane, rows_table, rows_narr;
};

/* Defaults for a screen showing opts (paused, speed 1/s, following). */
void ui_screen_init(struct ui_screen *s, const struct ui_opts *o);
/* After initscr/newterm: choose colours (has_colors() and NO_COLOR unset)
 * and box/arrow characters (UTF-8 locale or ASCII). */
void ui_draw_setup(int color, int utf8);
/* Paint one frame on stdscr (erase, draw, no refresh).  Costs what is
 * visible, never what is in history, so it can be benchmarked on any
 * number of events. */
void ui_draw_frame(const struct ui_view *v, struct ui_screen *s, int rows,
		   int cols);

/* The layouts' shared regions of wrapped text (draw_text.c), for draw.c
 * and present.c.  Widths are display columns (textwidth.h). */
void draw_narr(const struct ui_view *v, struct ui_screen *s, int y, int cols,
	       int rows);
/* The verdict box over a layout; returns its height, paints only if draw. */
int draw_verdict(const struct ui_view *v, const struct ui_screen *s, int y,
		 int cols, int draw);
/* The question waiting for the learner's prediction, with the input line;
 * returns its height, paints only if draw. */
int draw_question(const struct ui_view *v, const struct ui_screen *s, int y,
		  int cols, int draw);
/* The help screen over the frame: the loop's key table (s->keys). */
void draw_help(const struct ui_screen *s, int rows, int cols);
/* The frame of a terminal smaller than UI_MIN_COLS x UI_MIN_ROWS. */
void draw_too_small(int rows, int cols);
/* Presenter mode (present.c): few, large elements, for a projector. */
void present_draw(const struct ui_view *v, struct ui_screen *s, int rows,
		  int cols);

#endif
