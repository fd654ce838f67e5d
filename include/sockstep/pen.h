/*
 * pen: text with a right edge, and the look every drawing file shares.
 *
 * Every string the UI paints goes through pen_text(), which stops at the
 * pen's right edge, so no line can be longer than the terminal and nothing
 * wraps into garbage.  The colours (one attribute per role) and the
 * line-drawing characters (Unicode in a UTF-8 locale, ASCII otherwise) are
 * chosen once by ui_draw_setup (draw.h) and read here by draw.c and
 * present.c.  Only the drawing files include this header (it needs curses).
 */
#ifndef SOCKSTEP_PEN_H
#define SOCKSTEP_PEN_H

#include <curses.h>

#include "sockstep/view.h"

enum ui_attr {
	AT_BAR,     /* title and key bars */
	AT_HEAD,    /* pane headers */
	AT_FOCUS,   /* the focused pane's header */
	AT_PORT,    /* port numbers: the thing to look at */
	AT_ERR,     /* a call failed, an expectation did not hold */
	AT_OK,      /* expectation held */
	AT_BLOCK,   /* an actor sleeping in the kernel */
	AT_PKT,     /* packets and arrows */
	AT_WARN,    /* a warning note */
	AT_NARR,    /* the current narration */
	AT_DIM,     /* older narration, step numbers */
	AT_STATE,   /* TCP state names */
	AT_SETUP,   /* call families: socket bind listen accept connect ... */
	AT_DATA,    /* send recv ... */
	AT_DOWN,    /* shutdown close */
	AT_HL,      /* the search match */
	AT_ASK,     /* the question box */
	AT_RIGHT,   /* a prediction the kernel agreed with */
	AT_WRONG,   /* one it did not */
	AT_BIG,     /* presenter mode's large text */
	AT_COUNT
};

/* The next cell to write and the first cell past the edge. */
struct pen {
	int y, x, xmax;
};

struct pen_glyphs {
	const char *vline, *hline, *right, *rhead, *lhead, *ellipsis, *block;
};

/* The attribute of a role (colour pair or, without colour, a mono one). */
attr_t pen_attr(enum ui_attr role);
/* The line-drawing characters for this terminal. */
const struct pen_glyphs *pen_glyphs(void);

/* Write s from the pen on, stopping at its edge (counted in columns by
 * textwidth.h; a wide character that does not fit leaves a blank, never
 * half a glyph); the pen advances. */
void pen_text(struct pen *p, const char *s, attr_t a);
/* Fill the rest of the pen's line with blanks in a. */
void pen_fill(struct pen *p, attr_t a);
/* Write s only if all of it fits before the edge (an aside such as
 * " (in the kernel)" is shown whole or not at all). */
void pen_text_if_room(struct pen *p, const char *s, attr_t a);
/* An address with its port number highlighted: the lesson is in the port. */
void pen_addr(struct pen *p, const char *addr, attr_t a);
/* The attribute of a call line: its family's colour, red if it failed. */
attr_t pen_call_attr(const struct ui_line *l);

#endif
