/* draw_text: the painters of wrapped text (draw.h): the narration, the
 * question and verdict boxes, the help screen and the too-small message.
 * Lines are broken by textwidth's text_wrap, in display columns: Chinese
 * narration has no spaces and breaks between any two characters. */
#include <stdio.h>
#include <string.h>

#include "sockstep/draw.h"
#include "sockstep/i18n.h"
#include "sockstep/pen.h"
#include "sockstep/textwidth.h"

#define NARR_WRAP 32 /* wrapped lines one entry can take */

/* Who speaks: an actor of the script is named as the script names it;
 * the voices the view gives the kernel and the quiz are translated. */
static const char *narr_voice(const char *actor)
{
	static const char *const voices[] = {N_("kernel"), N_("quiz"), N_("predict"),
					     N_("right"), N_("not quite")};

	for (size_t i = 0; i < sizeof voices / sizeof voices[0]; i++)
		if (strcmp(actor, voices[i]) == 0)
			return _(voices[i]);
	return actor;
}

static int narr_prefix(const struct ui_narr *n, char *out, size_t outsz)
{
	if (n->index > 0)
		return snprintf(out, outsz, _("step %d/%d %s: "), n->index, n->count,
				narr_voice(n->actor));
	return snprintf(out, outsz, _("%s: "), narr_voice(n->actor));
}

/* Wrap one entry (prefix + text) into at most NARR_WRAP line starts. */
static int narr_wrap(const char *text, int width, int starts[], int lens[])
{
	int n = 0, off = 0;

	while (text[off] && n < NARR_WRAP) {
		int len = (int)text_wrap(text + off, width);
		starts[n] = off;
		lens[n++] = len;
		off += len;
		while (text[off] == ' ')
			off++;
	}
	return n;
}

/* One pass, newest entry at the bottom, skipping skip wrapped lines; the
 * rows left empty above (plus lines still to skip) when the history ran
 * out are returned, so the caller can pull a scrolled view back down. */
static int narr_pass(const struct ui_view *v, int skip, int y, int cols,
		     int rows)
{
	unsigned long first = ui_view_first_narr(v);
	int width = cols - 2, row = y + rows - 1;
	int starts[NARR_WRAP], lens[NARR_WRAP];
	char buf[SS_TEXT_MAX + 128];

	for (unsigned long i = v->nnarr; i-- > first && row >= y;) {
		const struct ui_narr *n = ui_view_narr_at(v, i);
		int pl = narr_prefix(n, buf, sizeof buf);
		int nl;
		attr_t a = i == v->nnarr - 1 ? pen_attr(AT_NARR) : pen_attr(AT_DIM);
		if (pl < 0 || (size_t)pl >= sizeof buf)
			pl = 0;
		snprintf(buf + pl, sizeof buf - (size_t)pl, "%s", n->text);
		nl = narr_wrap(buf, width, starts, lens);
		for (int k = nl - 1; k >= 0 && row >= y; k--) {
			char line[SS_TEXT_MAX + 128];
			struct pen p = {row, 1, cols - 1};
			if (skip > 0) {
				skip--;
				continue;
			}
			snprintf(line, sizeof line, "%.*s", lens[k], buf + starts[k]);
			if (k == 0 && pl > 0 && pl <= lens[k]) {
				char pre[128];
				snprintf(pre, sizeof pre, "%.*s", pl, buf);
				pen_text(&p, pre, i == v->nnarr - 1 ? pen_attr(AT_PORT) : pen_attr(AT_DIM));
				pen_text(&p, line + pl, a);
			} else {
				pen_text(&p, line, a);
			}
			row--;
		}
	}
	return row - y + 1 + skip;
}

void draw_narr(const struct ui_view *v, struct ui_screen *s, int y, int cols,
	       int rows)
{
	int unused;

	if (s->narr_off < 0)
		s->narr_off = 0;
	if (v->nnarr == 0) {
		struct pen p = {y, 1, cols};
		pen_text(&p, _("The narration of each step appears here."), pen_attr(AT_DIM));
		return;
	}
	unused = narr_pass(v, s->narr_off, y, cols, rows);
	/* Scrolled past the oldest kept line: hold it at the top. */
	if (s->narr_off > 0 && unused > 0) {
		s->narr_off = s->narr_off > unused ? s->narr_off - unused : 0;
		for (int r = y; r < y + rows; r++) {
			move(r, 0);
			clrtoeol();
		}
		narr_pass(v, s->narr_off, y, cols, rows);
	}
	if (s->narr_off > 0) {
		const char *mark = _(" [scrolled]");
		struct pen p = {y + rows - 1, cols - 1 - text_width(mark), cols};
		pen_text(&p, mark, pen_attr(AT_DIM));
	}
	if (s->focus == UI_FOCUS_NARR) {
		struct pen p = {y, 0, 1};
		pen_text(&p, ">", pen_attr(AT_FOCUS));
	}
}

/* The help screen: the loop's key table, so a key and its help cannot
 * drift apart.  The keys in a column 11 wide (counted in columns: the
 * help may be Chinese), the box as wide as its widest line allows. */
void draw_help(const struct ui_screen *s, int rows, int cols)
{
	const char *title = _("sockstep: every step is a real socket call");
	const char *foot = _("Ports are highlighted; blocked calls wait in the kernel.");
	int n = 0, w = text_width(title) > text_width(foot) ? text_width(title)
							     : text_width(foot);

	for (int i = 0; i < s->nkeys; i++) {
		const struct ui_key_help *kh = &s->keys[i].help;
		int kw;
		if (kh->help == NULL)
			continue;
		kw = text_width(_(kh->keys));
		n++;
		if ((kw > 11 ? kw + 3 : 12) + text_width(_(kh->help)) > w)
			w = (kw > 11 ? kw + 3 : 12) + text_width(_(kh->help));
	}
	w += 4;
	if (w > cols - 2)
		w = cols - 2;
	int h = n + 6, y0 = (rows - h) / 2, x0 = (cols - w) / 2, k = 0;

	for (int i = 0; i < h; i++) {
		struct pen p = {y0 + i, x0, x0 + w};
		pen_fill(&p, pen_attr(AT_BAR));
	}
	struct pen p = {y0 + 1, x0 + 2, x0 + w};
	pen_text(&p, title, pen_attr(AT_BAR) | A_BOLD);
	for (int i = 0; i < s->nkeys; i++) {
		const struct ui_key_help *kh = &s->keys[i].help;
		if (kh->help == NULL)
			continue;
		p = (struct pen){y0 + 3 + k++, x0 + 2, x0 + w};
		pen_text(&p, _(kh->keys), pen_attr(AT_BAR));
		p.x = p.x - (x0 + 2) > 11 ? p.x + 3 : x0 + 2 + 12;
		pen_text(&p, _(kh->help), pen_attr(AT_BAR));
	}
	p = (struct pen){y0 + 4 + k, x0 + 2, x0 + w};
	pen_text(&p, foot, pen_attr(AT_BAR));
}

/* Wrapped to the width: on a 20x5 terminal the whole message still shows
 * (the first line bold), centred on as many rows as it takes. */
void draw_too_small(int rows, int cols)
{
	char msg[256];
	int starts[NARR_WRAP], lens[NARR_WRAP];
	int n, y;

	snprintf(msg, sizeof msg,
		 _("terminal too small (need 80x24); this one is %dx%d: enlarge it, or q quits"),
		 cols, rows);
	n = narr_wrap(msg, cols, starts, lens);
	y = rows > n ? (rows - n) / 2 : 0;
	for (int k = 0; k < n && y + k < rows; k++) {
		char line[256];
		struct pen p = {y + k, 0, cols};
		snprintf(line, sizeof line, "%.*s", lens[k], msg + starts[k]);
		pen_text(&p, line, k == 0 ? A_BOLD : 0);
	}
}

/* A box of text: a title row, the text wrapped into at most maxlines rows
 * and an optional last row.  Returns its height; draws only when draw. */
static int draw_box(int y, int x, int w, const char *title, attr_t ta,
		    const char *text, const char *last, attr_t a, int maxlines,
		    int draw)
{
	int starts[NARR_WRAP], lens[NARR_WRAP];
	int n = text && text[0] ? narr_wrap(text, w - 4, starts, lens) : 0;
	int h;

	if (n > maxlines)
		n = maxlines;
	h = 1 + n + (last && last[0] ? 1 : 0);
	if (!draw)
		return h;
	for (int i = 0; i < h; i++) {
		struct pen p = {y + i, x, x + w};
		pen_fill(&p, a);
	}
	{
		struct pen p = {y, x + 1, x + w - 1};
		pen_text(&p, title, ta | A_BOLD);
	}
	for (int i = 0; i < n; i++) {
		char line[SS_TEXT_MAX];
		struct pen p = {y + 1 + i, x + 2, x + w - 2};
		snprintf(line, sizeof line, "%.*s", lens[i], text + starts[i]);
		pen_text(&p, line, a);
	}
	if (last && last[0]) {
		struct pen p = {y + 1 + n, x + 2, x + w - 2};
		pen_text(&p, last, a | A_BOLD);
	}
	return h;
}

/* The question waiting for the learner's prediction, with the input. */
int draw_question(const struct ui_view *v, const struct ui_screen *s,
			 int y, int cols, int draw)
{
	char title[128], last[UI_INPUT_MAX + 160];

	snprintf(title, sizeof title, _(" Predict, then step: question %d "),
		 v->question_no > 0 ? v->question_no : s->asked + 1);
	snprintf(last, sizeof last, _("your answer: %s_    Enter checks it, Esc skips"),
		 s->input);
	return draw_box(y, 2, cols - 4, title, pen_attr(AT_ASK), v->question[0]
			? v->question : _("What will the next step do?"),
			last, pen_attr(AT_ASK), 4, draw);
}

/* The kernel's verdict on the last prediction, until the next step; the
 * final score once the exchange is done. */
int draw_verdict(const struct ui_view *v, const struct ui_screen *s, int y,
		 int cols, int draw)
{
	char title[160];
	const char *fin = s->done ? v->quiz_final : "";

	if (!v->have_verdict && !fin[0])
		return 0;
	if (!v->have_verdict)
		return draw_box(y, 2, cols - 4, _(" Predict, then step "), pen_attr(AT_ASK),
				fin, NULL, pen_attr(AT_ASK), 1, draw);
	snprintf(title, sizeof title,
		 v->verdict_ok ? _(" RIGHT  score %d of %d ") : _(" NOT QUITE  score %d of %d "),
		 s->right, s->asked);
	return draw_box(y, 2, cols - 4, title,
			v->verdict_ok ? pen_attr(AT_RIGHT) : pen_attr(AT_WRONG), v->verdict,
			fin, v->verdict_ok ? pen_attr(AT_RIGHT) : pen_attr(AT_WRONG), 4, draw);
}
