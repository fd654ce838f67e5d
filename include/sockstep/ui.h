/*
 * ui: the ncurses split-screen teaching view.
 *
 * Draws what the director reports (it registers itself as a sink) and
 * turns keys into director_next / director_restart; it never makes a
 * socket call.  The same code shows a live session and a replay.
 *
 * The parts (src/ui/): view.c folds events into a model (view.h, no
 * ncurses); draw.c paints one frame from that model and the screen state
 * (draw.h), draw_text.c its wrapped text (narration, question, help),
 * present.c the presenter layout, pen.c the text primitives
 * (pen.h); ui.c owns the terminal, the key table and the loop.
 */
#ifndef SOCKSTEP_UI_H
#define SOCKSTEP_UI_H

#include <stddef.h>
#include "sockstep/director.h"
#include "sockstep/draw.h"
#include "sockstep/view.h"

struct ui_opts {
	const char *title;   /* lesson or mode title */
	const char *mode;    /* "live", "server", "client", "replay", "lesson" */
	int one_sided;       /* server/client mode: the peer is "remote" */
	int autoplay;        /* start playing instead of paused */
	int lesson_nav;      /* N/P move between lessons */
	int present;         /* start in presenter mode (--present) */
	const char *network; /* "private net", "host net", NULL (replay) */
	/* traced programs: `c` lets every call run free (NULL: no such key),
	 * and Tab on a side's pane makes Space step that side's calls */
	void (*run_free)(void *ctx);
	void *run_free_ctx;
	int pick_side;
	/* an errno a sink sets when it cannot write (--record on a full
	 * disk): non-zero ends the UI at once with UI_ERROR and an empty
	 * message (the owner of the file says what failed); NULL: none */
	const int *write_error;
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

/* The key table the loop dispatches on and the help screen lists (static,
 * never freed); *n gets its length. */
const struct ui_key *ui_key_table(int *n);

/* Restore the terminal if the UI is active (signal and error paths). */
void ui_emergency_restore(void);

#endif
