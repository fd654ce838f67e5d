/* present: presenter mode, few and large elements for a projector: the
 * call of the current step in big letters, the two sockets it concerns
 * with their ports in big digits, the narration below.  Which two sockets
 * those are is the view model's answer (ui_view_present_sockets); this
 * file only paints them, and owns its big-glyph table as tmux's
 * window-clock.c owns its digits. */
#include <stdio.h>
#include <string.h>

#include "sockstep/draw.h"
#include "sockstep/event.h"
#include "sockstep/i18n.h"
#include "sockstep/pen.h"

/* 3x5 glyphs: '#' is a block.  Kept this plain so a test can draw the
 * same digits and look for them on the screen. */
static const struct {
	char c;
	const char *rows[5];
} big_glyphs[] = {
	{'0', {"###", "# #", "# #", "# #", "###"}},
	{'1', {" # ", "## ", " # ", " # ", "###"}},
	{'2', {"###", "  #", "###", "#  ", "###"}},
	{'3', {"###", "  #", "###", "  #", "###"}},
	{'4', {"# #", "# #", "###", "  #", "  #"}},
	{'5', {"###", "#  ", "###", "  #", "###"}},
	{'6', {"###", "#  ", "###", "# #", "###"}},
	{'7', {"###", "  #", "  #", "  #", "  #"}},
	{'8', {"###", "# #", "###", "# #", "###"}},
	{'9', {"###", "# #", "###", "  #", "###"}},
	{'A', {" # ", "# #", "###", "# #", "# #"}},
	{'B', {"## ", "# #", "## ", "# #", "## "}},
	{'C', {" ##", "#  ", "#  ", "#  ", " ##"}},
	{'D', {"## ", "# #", "# #", "# #", "## "}},
	{'E', {"###", "#  ", "## ", "#  ", "###"}},
	{'F', {"###", "#  ", "## ", "#  ", "#  "}},
	{'G', {" ##", "#  ", "# #", "# #", " ##"}},
	{'H', {"# #", "# #", "###", "# #", "# #"}},
	{'I', {"###", " # ", " # ", " # ", "###"}},
	{'J', {"  #", "  #", "  #", "# #", " # "}},
	{'K', {"# #", "# #", "## ", "# #", "# #"}},
	{'L', {"#  ", "#  ", "#  ", "#  ", "###"}},
	{'M', {"# #", "###", "###", "# #", "# #"}},
	{'N', {"## ", "# #", "# #", "# #", "# #"}},
	{'O', {" # ", "# #", "# #", "# #", " # "}},
	{'P', {"## ", "# #", "## ", "#  ", "#  "}},
	{'Q', {" # ", "# #", "# #", "###", " ##"}},
	{'R', {"## ", "# #", "## ", "# #", "# #"}},
	{'S', {" ##", "#  ", " # ", "  #", "## "}},
	{'T', {"###", " # ", " # ", " # ", " # "}},
	{'U', {"# #", "# #", "# #", "# #", "###"}},
	{'V', {"# #", "# #", "# #", "# #", " # "}},
	{'W', {"# #", "# #", "###", "###", "# #"}},
	{'X', {"# #", "# #", " # ", "# #", "# #"}},
	{'Y', {"# #", "# #", " # ", " # ", " # "}},
	{'Z', {"###", "  #", " # ", "#  ", "###"}},
	{'=', {"   ", "###", "   ", "###", "   "}},
	{'-', {"   ", "   ", "###", "   ", "   "}},
	{'.', {"   ", "   ", "   ", "   ", " # "}},
	{'(', {" # ", "#  ", "#  ", "#  ", " # "}},
	{')', {" # ", "  #", "  #", "  #", " # "}},
	{' ', {"   ", "   ", "   ", "   ", "   "}},
	{'?', {"###", "  #", " # ", "   ", " # "}},
};

#define BIG_ROWS 5

static const char *const *present_glyph(char c)
{
	size_t n = sizeof big_glyphs / sizeof big_glyphs[0];

	if (c >= 'a' && c <= 'z')
		c = (char)(c - 'a' + 'A');
	for (size_t i = 0; i < n; i++)
		if (big_glyphs[i].c == c)
			return big_glyphs[i].rows;
	return big_glyphs[n - 1].rows; /* '?' */
}

static int present_big_width(const char *s)
{
	int n = (int)strlen(s);

	return n > 0 ? 4 * n - 1 : 0;
}

/* Large text: each glyph 3 cells wide with one cell between. */
static void present_big(int y, int x, int xmax, const char *s, attr_t a)
{
	for (int r = 0; r < BIG_ROWS; r++) {
		int col = x;
		for (const char *c = s; *c && col + 3 <= xmax; c++, col += 4) {
			const char *g = present_glyph(*c)[r];
			for (int k = 0; k < 3; k++) {
				struct pen p = {y + r, col + k, col + k + 1};
				if (g[k] == '#')
					pen_text(&p, pen_glyphs()->block, a);
			}
		}
	}
}

static const char *present_role(const struct ui_row *r)
{
	if (r->listen)
		return _("listening socket");
	if (r->actor[0] == '\0')
		return _("socket (no fd yet)");
	if (strncmp(r->actor, "server", 6) == 0)
		return event_addr_port(r->peer) > 0 ? _("accepted socket") : _("server socket");
	if (strncmp(r->actor, "client", 6) == 0)
		return _("client socket");
	return _("socket");
}

/* A port in big digits with a small tag before it. */
static void present_big_port(int y, int x, int xmax, const char *tag,
			  const char *addr, const char *none)
{
	struct pen p = {y, x, x + 6};
	int port = event_addr_port(addr);
	char num[16];

	pen_text(&p, tag, pen_attr(AT_DIM));
	if (port <= 0) {
		p = (struct pen){y + 2, x + 7, xmax};
		pen_text(&p, none, pen_attr(AT_DIM));
		return;
	}
	snprintf(num, sizeof num, "%d", port);
	present_big(y, x + 7, xmax, num, pen_attr(AT_PORT));
}

#define PANEL_ROWS (2 + 2 * BIG_ROWS)

static void present_panel(int y, int x, int w, const struct ui_row *r)
{
	struct pen p = {y, x, x + w - 1};
	char head[160];

	if (r == NULL)
		return;
	snprintf(head, sizeof head, " %s  %s ", present_role(r), r->owner);
	pen_text(&p, head, pen_attr(AT_HEAD) | A_BOLD);
	/* the state beside the big local port: 7 + 19 cells, then 12 free */
	p = (struct pen){y + 2, x + 28, x + w - 1};
	pen_text(&p, r->state, pen_attr(AT_STATE));
	p = (struct pen){y + 1, x + 1, x + w - 1};
	if (r->local[0])
		pen_addr(&p, r->local, A_BOLD);
	else
		pen_text(&p, _("(no address)"), A_BOLD);
	if (r->peer[0]) {
		pen_text(&p, " ", 0);
		pen_text(&p, pen_glyphs()->right, pen_attr(AT_DIM));
		pen_text(&p, " ", 0);
		pen_addr(&p, r->peer, A_BOLD);
	}
	present_big_port(y + 2, x + 1, x + w - 1, _("local"), r->local, _("(no port yet)"));
	present_big_port(y + 2 + BIG_ROWS, x + 1, x + w - 1, _("peer"), r->peer,
			 r->listen ? _("(none: it waits for clients)") : _("(not connected)"));
}

void present_draw(const struct ui_view *v, struct ui_screen *s, int rows,
		  int cols)
{
	const struct ui_line *l = v->have_last_call ? &v->last_call : NULL;
	struct pen p = {1, 1, cols - 1};
	struct ui_row a, b;
	int y = 1, n, narr;

	if (l == NULL) {
		pen_text(&p, _("Paused before the first call: n (or Space) performs each step."),
			 pen_attr(AT_NARR));
	} else {
		char head[128], big[64];
		const char *res = strstr(l->text, " = ");
		snprintf(head, sizeof head, _("step %d  %s: "), l->step, l->actor);
		pen_text(&p, head, pen_attr(AT_DIM));
		pen_text(&p, l->text, pen_call_attr(l) | A_BOLD);
		if (l->kind == UI_LINE_BLOCKED)
			pen_text(&p, _(" blocked in the kernel"), pen_attr(AT_BLOCK));
		/* the call and its result, as large as the width allows */
		if (l->kind == UI_LINE_BLOCKED)
			snprintf(big, sizeof big, "%s ...", l->call);
		else
			snprintf(big, sizeof big, "%s = %ld", l->call, l->ret);
		if (present_big_width(big) > cols - 2)
			snprintf(big, sizeof big, "%s", l->call);
		/* a question or a verdict takes the large text's place */
		if (s->prompt != UI_PROMPT_ANSWER && draw_verdict(v, s, 0, cols, 0) == 0)
			present_big(y + 1, (cols - present_big_width(big)) / 2, cols, big,
			 l->failed ? pen_attr(AT_ERR) : pen_call_attr(l) | A_BOLD);
		p = (struct pen){y + 1 + BIG_ROWS, 2, cols - 1};
		if (l->failed && res)
			pen_text(&p, res + 3, pen_attr(AT_ERR));
		else if (l->state[0]) {
			pen_text(&p, _("state after the call: "), pen_attr(AT_DIM));
			pen_text(&p, l->state, pen_attr(AT_STATE));
		}
	}
	y += 2 + BIG_ROWS;
	if (l) {
		n = ui_view_present_sockets(v, l, &a, &b);
		present_panel(y, 0, cols / 2, &a);
		for (int i = 0; i < PANEL_ROWS; i++) {
			p = (struct pen){y + i, cols / 2 - 1, cols / 2};
			pen_text(&p, pen_glyphs()->vline, pen_attr(AT_DIM));
		}
		present_panel(y, cols / 2, cols - cols / 2, n > 1 ? &b : NULL);
	}
	y += PANEL_ROWS;
	narr = rows - 2 - y;
	if (narr > 0)
		draw_narr(v, s, y, cols, narr);
}
