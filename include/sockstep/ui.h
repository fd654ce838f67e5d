/*
 * ui: the ncurses split-screen teaching view.
 *
 * Draws what the director reports (it registers itself as a sink) and
 * turns keys into director_next / director_restart; it never makes a
 * socket call.  The same code shows a live session and a replay.
 *
 * Three parts (src/ui/): view.c folds events into a model (view.h, no
 * ncurses), draw.c paints one frame from that model and the screen state
 * below, ui.c owns the terminal, the keys and the loop.
 */
#ifndef SOCKSTEP_UI_H
#define SOCKSTEP_UI_H

#include <stddef.h>
#include "sockstep/director.h"
#include "sockstep/view.h"

#define UI_MIN_ROWS 24
#define UI_MIN_COLS 80

struct ui_opts {
	const char *title;   /* lesson or mode title */
	const char *mode;    /* "live", "server", "client", "replay", "lesson" */
	int one_sided;       /* server/client mode: the peer is "remote" */
	int autoplay;        /* start playing instead of paused */
	int lesson_nav;      /* N/P move between lessons */
	int present;         /* start in presenter mode (--present) */
	const char *network; /* "private net", "host net", NULL (replay) */
};

enum ui_result {
	UI_QUIT = 0,
	UI_NEXT_LESSON = 1,
	UI_PREV_LESSON = 2,
	UI_INTERRUPTED = 3, /* SIGINT/SIGTERM/SIGHUP: the caller exits 130 */
	UI_ERROR = -1,
};

/* Run the UI until the user quits.  The terminal is restored on every
 * exit path. */
enum ui_result ui_run(struct director *d, const struct ui_opts *o, char *err,
		      size_t errsz);

/* Restore the terminal if the UI is active (signal and error paths). */
void ui_emergency_restore(void);

/* ---- drawing (draw.c): what a frame needs besides the view model ---- */

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

#endif
