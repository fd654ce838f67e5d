/* draw: paint one frame from the view model; reads it, never changes it.
 *
 * Every string goes through pen_text(), which stops at the right edge, so
 * no line can be longer than the terminal and nothing wraps into garbage.
 * Each region draws only its visible lines: a frame costs the screen's
 * size, not the session's length. */
#include "sockstep/ui.h"

#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

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

static attr_t attrs[AT_COUNT];
static int use_utf8;

/* Line-drawing and arrows: Unicode in a UTF-8 locale, ASCII otherwise
 * (ncurses' ACS needs the terminal's alternate charset, which tests and
 * some projectors' terminals get wrong). */
static const char *g_vline = "|", *g_hline = "-", *g_right = "->",
		  *g_rhead = ">", *g_lhead = "<", *g_ellipsis = "...",
		  *g_block = "#";

void ui_draw_setup(int color, int utf8)
{
	static const struct {
		short fg, bg;
		attr_t extra, mono;
	} spec[AT_COUNT] = {
		[AT_BAR] = {COLOR_BLACK, COLOR_CYAN, 0, A_REVERSE},
		[AT_HEAD] = {COLOR_WHITE, COLOR_BLUE, A_BOLD, A_REVERSE},
		[AT_FOCUS] = {COLOR_BLACK, COLOR_YELLOW, A_BOLD, A_REVERSE | A_BOLD},
		[AT_PORT] = {COLOR_YELLOW, -1, A_BOLD, A_BOLD | A_UNDERLINE},
		[AT_ERR] = {COLOR_RED, -1, A_BOLD, A_BOLD | A_REVERSE},
		[AT_OK] = {COLOR_GREEN, -1, 0, 0},
		[AT_BLOCK] = {COLOR_MAGENTA, -1, A_BOLD, A_REVERSE},
		[AT_PKT] = {COLOR_CYAN, -1, 0, 0},
		[AT_WARN] = {COLOR_YELLOW, -1, 0, A_BOLD},
		[AT_NARR] = {-1, -1, A_BOLD, A_BOLD},
		[AT_DIM] = {-1, -1, A_DIM, A_DIM},
		[AT_STATE] = {COLOR_GREEN, -1, A_BOLD, 0},
		[AT_SETUP] = {COLOR_CYAN, -1, 0, A_BOLD},
		[AT_DATA] = {COLOR_GREEN, -1, 0, 0},
		[AT_DOWN] = {COLOR_MAGENTA, -1, 0, A_DIM},
		[AT_HL] = {COLOR_BLACK, COLOR_YELLOW, 0, A_REVERSE | A_UNDERLINE},
		[AT_ASK] = {COLOR_WHITE, COLOR_BLUE, 0, A_REVERSE},
		[AT_RIGHT] = {COLOR_BLACK, COLOR_GREEN, 0, A_REVERSE},
		[AT_WRONG] = {COLOR_WHITE, COLOR_RED, 0, A_REVERSE},
		[AT_BIG] = {COLOR_YELLOW, -1, A_BOLD, A_BOLD},
	};

	use_utf8 = utf8;
	if (utf8) {
		g_vline = "\u2502";
		g_hline = "\u2500";
		g_right = "\u2192";
		g_rhead = "\u25b6";
		g_lhead = "\u25c0";
		g_ellipsis = "\u2026";
		g_block = "\u2588";
	} else {
		g_vline = "|";
		g_hline = "-";
		g_right = "->";
		g_rhead = ">";
		g_lhead = "<";
		g_ellipsis = "...";
		g_block = "#";
	}
	for (int i = 0; i < AT_COUNT; i++) {
		attrs[i] = spec[i].mono;
		if (color && i + 1 < COLOR_PAIRS) {
			init_pair((short)(i + 1), spec[i].fg, spec[i].bg);
			attrs[i] = COLOR_PAIR(i + 1) | spec[i].extra;
		}
	}
}

/* ---- text with a right edge --------------------------------------- */

struct pen {
	int y, x, xmax; /* next cell, first cell past the edge */
};

/* Bytes and columns of the character at s (UTF-8 only in a UTF-8 locale;
 * otherwise a multibyte sequence is one '?' column). */
static int char_at(const char *s, int *cols)
{
	const unsigned char *u = (const unsigned char *)s;
	int len = 1;

	if (u[0] >= 0xc0) {
		while (len < 4 && (u[len] & 0xc0) == 0x80)
			len++;
	}
	*cols = 1;
	if (len > 1 && use_utf8) {
		wchar_t wc;
		mbstate_t st;
		memset(&st, 0, sizeof st);
		if (mbrtowc(&wc, s, (size_t)len, &st) == (size_t)len) {
			int w = wcwidth(wc);
			*cols = w < 0 ? 1 : w;
		}
	}
	return len;
}

static void pen_text(struct pen *p, const char *s, attr_t a)
{
	attron(a);
	while (*s && p->x < p->xmax) {
		int cols;
		int len = char_at(s, &cols);
		if (p->x + cols > p->xmax)
			break;
		if (len > 1 && !use_utf8)
			mvaddch(p->y, p->x, '?');
		else
			mvaddnstr(p->y, p->x, s, len);
		p->x += cols;
		s += len;
	}
	attroff(a);
}

static void pen_fill(struct pen *p, attr_t a)
{
	attron(a);
	for (; p->x < p->xmax; p->x++)
		mvaddch(p->y, p->x, ' ');
	attroff(a);
}

/* An address with its port number highlighted: the lesson is in the port. */
static void pen_addr(struct pen *p, const char *addr, attr_t a)
{
	const char *colon = strrchr(addr, ':');
	char host[UI_LINE_ADDR];

	if (colon == NULL || colon[1] == '\0' || addr[0] == '/') {
		pen_text(p, addr, a);
		return;
	}
	snprintf(host, sizeof host, "%.*s", (int)(colon - addr + 1), addr);
	pen_text(p, host, a);
	pen_text(p, colon + 1, attrs[AT_PORT]);
}

static int text_cols(const char *s)
{
	int n = 0, cols;

	while (*s) {
		s += char_at(s, &cols);
		n += cols;
	}
	return n;
}

/* Bytes of s that fit in width columns, broken after a space if one is
 * near; at least one character so wrapping always progresses. */
static int wrap_len(const char *s, int width)
{
	int bytes = 0, col = 0, brk = -1;

	while (s[bytes]) {
		int cols;
		int len = char_at(s + bytes, &cols);
		if (col + cols > width)
			break;
		col += cols;
		bytes += len;
		if (s[bytes - 1] == ' ')
			brk = bytes;
	}
	if (s[bytes] == '\0' || brk <= 0 || brk < bytes / 2)
		return bytes > 0 ? bytes : char_at(s, &col);
	return brk;
}

/* ---- bars ---------------------------------------------------------- */

static const char *play_state(const struct ui_screen *s)
{
	if (s->done)
		return "done";
	if (s->autoplay)
		return "auto";
	return "paused";
}

static void draw_title(const struct ui_screen *s, int cols)
{
	struct pen p = {0, 0, cols};
	char right[200], quiz[32] = "", filt[64] = "";

	/* the running score of predict-then-step, and the active filter */
	if (s->asked > 0 || s->question)
		snprintf(quiz, sizeof quiz, " quiz %d/%d |", s->right, s->asked);
	if (s->filter_desc[0])
		snprintf(filt, sizeof filt, " filter %.40s |", s->filter_desc);
	snprintf(right, sizeof right, " %s%s | %s | step %d of %d |%s%s %g/s ",
		 s->present ? "present " : "", s->mode ? s->mode : "live",
		 play_state(s), s->step, s->nsteps, quiz, filt, s->speed);
	pen_text(&p, " sockstep: ", attrs[AT_BAR] | A_BOLD);
	p.xmax = cols - (int)strlen(right);
	pen_text(&p, s->title && s->title[0] ? s->title : "socket exchange",
		 attrs[AT_BAR] | A_BOLD);
	pen_fill(&p, attrs[AT_BAR]);
	p.xmax = cols;
	p.x = cols - (int)strlen(right);
	if (p.x < 0)
		p.x = 0;
	pen_text(&p, right, attrs[AT_BAR]);
}

static void draw_keys(const struct ui_screen *s, int y, int cols)
{
	static const char *keys[] = {"n next", "a auto", "+- speed", "r restart",
				     "d diagram", "Tab focus", "? help", "q quit"};
	struct pen p = {y, 0, cols};
	char line[256];
	size_t n = 0;

	/* The essential keys always; the extras when the width allows. */
	for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
		n += (size_t)snprintf(line + n, sizeof line - n, " %s ", keys[i]);
	if (s->lesson_nav && n + 13 < (size_t)cols)
		n += (size_t)snprintf(line + n, sizeof line - n, " N/P lesson ");
	/* the newer keys when the width allows */
	{
		static const char *more[] = {"f filter", "/ search", "e export",
					     "p present", "arrows scroll"};
		for (size_t i = 0; i < sizeof more / sizeof more[0]; i++)
			if (n + strlen(more[i]) + 3 < (size_t)cols)
				n += (size_t)snprintf(line + n, sizeof line - n, " %s ",
						      more[i]);
	}
	pen_text(&p, line, attrs[AT_BAR]);
	pen_fill(&p, attrs[AT_BAR]);
}

static void draw_message(const struct ui_view *v, const struct ui_screen *s,
			 int y, int cols)
{
	struct pen p = {y, 1, cols};

	if (s->prompt == UI_PROMPT_FILTER || s->prompt == UI_PROMPT_SEARCH) {
		pen_text(&p, s->prompt == UI_PROMPT_FILTER ? "filter: " : "search: ",
			 A_BOLD);
		pen_text(&p, s->input, 0);
		pen_text(&p, "_", A_BOLD | A_BLINK);
		pen_text(&p, s->prompt == UI_PROMPT_FILTER
			     ? "   Enter applies (empty clears), Esc cancels"
			     : "   Enter searches, Esc cancels",
			 attrs[AT_DIM]);
	} else if (s->flash[0]) {
		pen_text(&p, s->flash, s->flash_error ? attrs[AT_ERR] : attrs[AT_WARN]);
	} else if (v->message[0]) {
		pen_text(&p, v->message_level >= 2 ? "error: "
			     : v->message_level == 1 ? "note: " : "",
			 v->message_level >= 2 ? attrs[AT_ERR] : attrs[AT_WARN]);
		pen_text(&p, v->message, v->message_level >= 2 ? attrs[AT_ERR]
					 : attrs[AT_WARN]);
	} else if (s->done) {
		pen_text(&p, "The exchange is done: r runs it again, q quits.", attrs[AT_DIM]);
	} else if (s->step == 0) {
		pen_text(&p, "Paused before the first call: press n (or Space) for each step, a to play.",
			 attrs[AT_DIM]);
	}
}

/* ---- panes --------------------------------------------------------- */

struct detail {
	int lines; /* 0, 1 (all on one line) or 2 (addresses, then state) */
};

static int detail_lines(const struct ui_line *l, int width)
{
	int addr, st;

	if (l->kind != UI_LINE_CALL || (l->local[0] == '\0' && l->state[0] == '\0'))
		return 0;
	addr = 2 + (int)strlen(l->local) + (l->peer[0] ? 4 + (int)strlen(l->peer) : 0);
	st = (l->state[0] ? 1 + (int)strlen(l->state) : 0) +
	     (l->extra[0] ? 1 + (int)strlen(l->extra) : 0);
	if (l->local[0] == '\0' || st == 0 || addr + st <= width)
		return 1;
	return 2;
}

static void draw_state(struct pen *p, const struct ui_line *l)
{
	if (l->state[0]) {
		pen_text(p, " ", 0);
		pen_text(p, l->state, attrs[AT_STATE]);
	}
	if (l->extra[0]) {
		pen_text(p, " ", 0);
		pen_text(p, l->extra, 0);
	}
}

static void draw_detail(int y, int x, int width, const struct ui_line *l,
			int lines)
{
	struct pen p = {y, x + 2, x + width};

	if (l->local[0]) {
		pen_addr(&p, l->local, 0);
		if (l->peer[0]) {
			pen_text(&p, " ", 0);
			pen_text(&p, g_right, attrs[AT_DIM]);
			pen_text(&p, " ", 0);
			pen_addr(&p, l->peer, 0);
		}
		if (lines == 2) {
			p.y++;
			p.x = x + 1;
		}
	}
	draw_state(&p, l);
}

static attr_t family_attr(const struct ui_line *l)
{
	static const enum ui_attr fam[] = {0, AT_SETUP, AT_DATA, AT_DOWN};
	int f;

	if (l->failed)
		return attrs[AT_ERR];
	f = ui_call_family(l->call);
	return f ? attrs[fam[f]] : 0;
}

static void draw_line(int y, int x, int width, const struct ui_line *l,
		      int numbers, int hl)
{
	struct pen p = {y, x, x + width};
	char num[16];
	attr_t a = hl ? attrs[AT_HL] : family_attr(l);

	if (numbers) {
		snprintf(num, sizeof num, "%3d ", l->step);
		pen_text(&p, l->step > 0 ? num : "    ", attrs[AT_DIM]);
	}
	switch (l->kind) {
	case UI_LINE_BLOCKED:
		pen_text(&p, l->text, A_BOLD);
		pen_text(&p, " ", 0);
		pen_text(&p, "blocked", attrs[AT_BLOCK]);
		pen_text(&p, g_ellipsis, attrs[AT_BLOCK]);
		if (p.x + 16 <= p.xmax)
			pen_text(&p, " (in the kernel)", attrs[AT_DIM]);
		break;
	case UI_LINE_EXPECT:
		pen_text(&p, "  ", 0);
		pen_text(&p, l->text, l->failed ? attrs[AT_ERR] : attrs[AT_OK]);
		break;
	case UI_LINE_PEER:
		pen_text(&p, "peer ", A_BOLD);
		pen_addr(&p, l->local, 0);
		pen_text(&p, " (not traced here)", attrs[AT_DIM]);
		break;
	default:
		pen_text(&p, l->text, a);
		break;
	}
	if (hl)
		pen_text(&p, " <", attrs[AT_HL]);
}

/* Bottom-anchored list: the newest lines (or the scrolled-to ones) at the
 * bottom; the newest calls get their detail lines (addresses, state), older
 * ones fold to one line when space runs out. */
static void draw_pane(const struct ui_ring *r, long anchor, long hl, int y,
		      int x, int width, int rows)
{
	unsigned long first = ui_ring_shown_first(r), last, top;
	int n, extra, numbers = width >= 50;
	int dwidth = width - (numbers ? 3 : 0); /* the detail is indented */
	int d[256];
	unsigned char expand[256];

	if (r->nshown == first || rows <= 0)
		return;
	last = anchor < 0 || (unsigned long)anchor >= r->nshown ? r->nshown - 1
								 : (unsigned long)anchor;
	if (last < first)
		last = first;
	if (rows > 256)
		rows = 256;
	n = (int)(last - first + 1 < (unsigned long)rows ? last - first + 1
							  : (unsigned long)rows);
	extra = rows - n;
	/* The line on the bottom always shows its detail when it has any. */
	{
		int dl = detail_lines(ui_ring_shown_at(r, last), dwidth);
		if (dl > extra && rows > dl) {
			n = rows - dl < n ? rows - dl : n;
			extra = rows - n;
		}
	}
	for (int i = 0; i < n; i++) {
		d[i] = detail_lines(ui_ring_shown_at(r, last - (unsigned long)i), dwidth);
		expand[i] = 0;
	}
	for (int i = 0; i < n; i++) {
		if (d[i] > extra)
			break;
		expand[i] = 1;
		extra -= d[i];
	}
	top = last - (unsigned long)(n - 1);
	for (int i = n - 1; i >= 0; i--) {
		unsigned long j = top + (unsigned long)(n - 1 - i);
		const struct ui_line *l = ui_ring_shown_at(r, j);
		draw_line(y, x, width, l, numbers, hl >= 0 && (unsigned long)hl == j);
		y++;
		if (expand[i] && d[i]) {
			draw_detail(y, x + (numbers ? 3 : 0), width - (numbers ? 3 : 0), l,
				    d[i]);
			y += d[i];
		}
	}
}

static const char *side_name(const struct ui_view *v, enum ui_side side)
{
	if (v->one_sided && side != v->live)
		return "remote peer";
	return side == UI_SERVER ? "server" : "client";
}

static void draw_header(const struct ui_view *v, int y, int x, int width,
			const char *name, enum ui_side side, int focused)
{
	struct pen p = {y, x, x + width};
	attr_t a = focused ? attrs[AT_FOCUS] : attrs[AT_HEAD];

	pen_text(&p, focused ? "> " : "  ", a);
	pen_text(&p, name, a | A_BOLD);
	if ((int)side >= 0 && v->addr[side][0]) {
		pen_text(&p, "  ", a);
		pen_text(&p, v->addr[side], a);
	}
	pen_fill(&p, a);
}

/* ---- sequence diagram ---------------------------------------------- */

static void draw_hline(int y, int x0, int x1, attr_t a)
{
	struct pen p = {y, x0, x1};

	while (p.x < p.xmax)
		pen_text(&p, g_hline, a);
}

static void draw_packet(int y, int xl, int xr, const struct ui_line *l, int hl)
{
	int span = xr - xl - 1; /* cells between the lifelines */
	int lab = text_cols(l->text) + 2;
	int lx;
	attr_t a = attrs[AT_PKT];
	struct pen p = {y, 0, 0};

	if (span < 3)
		return;
	draw_hline(y, xl + 1, xr, a);
	if (l->side == UI_SERVER) {
		p.x = xr - 1;
		p.xmax = xr;
		pen_text(&p, g_rhead, a | A_BOLD);
	} else {
		p.x = xl + 1;
		p.xmax = xl + 2;
		pen_text(&p, g_lhead, a | A_BOLD);
	}
	if (lab > span - 2)
		lab = span - 2;
	lx = xl + 1 + (span - lab) / 2;
	p.x = lx;
	p.xmax = lx + lab;
	pen_text(&p, " ", a);
	pen_text(&p, l->text, hl ? attrs[AT_HL] : a | A_BOLD);
	if (p.x < p.xmax)
		pen_text(&p, " ", a);
}

static void draw_seq(const struct ui_view *v, const struct ui_screen *s,
		     int y, int cols, int rows)
{
	const struct ui_ring *r = &v->pane[UI_PANE_SEQ];
	int cw = cols * 3 / 10, xl = cw, xr = cols - 1 - cw;
	unsigned long first = ui_ring_shown_first(r), last;
	int n, top_y = y;
	struct pen p;

	if (v->packets == 0 && rows > 1) {
		p = (struct pen){y, 1, cols};
		pen_text(&p, s->packets_ok ? "no packets captured yet"
					   : "no packets: capture is not running",
			 attrs[AT_WARN] | A_BOLD);
		if (v->no_packets[0]) {
			pen_text(&p, " - ", attrs[AT_WARN]);
			pen_text(&p, v->no_packets, attrs[AT_WARN]);
		}
		top_y++;
		rows--;
	}
	for (int i = 0; i < rows; i++) {
		p = (struct pen){top_y + i, xl, xl + 1};
		pen_text(&p, g_vline, attrs[AT_DIM]);
		p = (struct pen){top_y + i, xr, xr + 1};
		pen_text(&p, g_vline, attrs[AT_DIM]);
	}
	if (r->nshown == first)
		return;
	last = s->anchor[UI_PANE_SEQ] < 0 ||
			       (unsigned long)s->anchor[UI_PANE_SEQ] >= r->nshown
		       ? r->nshown - 1
		       : (unsigned long)s->anchor[UI_PANE_SEQ];
	if (last < first)
		last = first;
	n = (int)(last - first + 1 < (unsigned long)rows ? last - first + 1
							  : (unsigned long)rows);
	for (int i = 0; i < n; i++) {
		unsigned long j = last - (unsigned long)(n - 1 - i);
		const struct ui_line *l = ui_ring_shown_at(r, j);
		int ly = top_y + i;
		int hl = s->hl_pane == UI_PANE_SEQ && s->hl == (long)j;
		if (l->kind == UI_LINE_PACKET) {
			draw_packet(ly, xl, xr, l, hl);
			continue;
		}
		/* A call sits on its own side, free to run into the middle:
		 * no packet shares its row. */
		{
			int w = text_cols(l->text) + (l->kind == UI_LINE_BLOCKED ? 9 : 0);
			int half = cols / 2 - 1;
			if (w > half)
				w = half;
			if (l->side == UI_SERVER)
				p = (struct pen){ly, 0, half};
			else
				p = (struct pen){ly, cols - w, cols};
			move(ly, p.x);
			for (int k = 0; k < w; k++)
				addch(' ');
			pen_text(&p, l->text, hl ? attrs[AT_HL] : family_attr(l) | A_BOLD);
			if (l->kind == UI_LINE_BLOCKED)
				pen_text(&p, " blocked", attrs[AT_BLOCK]);
		}
	}
}

/* ---- socket table -------------------------------------------------- */

static void draw_table(const struct ui_view *v, struct ui_screen *s, int y,
		       int cols, int rows)
{
	int ow = 14, sw = 12, aw = 17, amax = (cols - 2 - ow - sw - 22) / 2;
	struct pen p = {y, 0, cols};
	char head[160], more[48] = "";
	attr_t a = s->focus == UI_FOCUS_TABLE ? attrs[AT_FOCUS] : attrs[AT_HEAD];
	int vis[UI_VIEW_TABLE], nvis = 0;

	/* the rows the filter lets through */
	for (int i = 0; i < v->ntable; i++)
		if (v->table_shown[i])
			vis[nvis++] = i;

	/* Address columns as wide as the widest address (IPv6 is long). */
	for (int i = 0; i < nvis; i++) {
		int w = (int)strlen(v->table[vis[i]].local) + 2;
		if ((int)strlen(v->table[vis[i]].peer) + 2 > w)
			w = (int)strlen(v->table[vis[i]].peer) + 2;
		if (w > aw)
			aw = w;
	}
	if (aw > amax)
		aw = amax > 17 ? amax : 17;
	if (s->table_top > nvis - (rows - 1))
		s->table_top = nvis - (rows - 1);
	if (s->table_top < 0)
		s->table_top = 0;
	if (nvis > rows - 1)
		snprintf(more, sizeof more, "  rows %d-%d of %d", s->table_top + 1,
			 s->table_top + rows - 1 < nvis ? s->table_top + rows - 1 : nvis,
			 nvis);
	snprintf(head, sizeof head, "%s%-*s%-*s%-*s%-*s%s", s->focus == UI_FOCUS_TABLE ? "> " : "  ",
		 ow - 2, "owner", sw, "state", aw, "local", aw, "peer",
		 "Recv-Q Send-Q");
	pen_text(&p, head, a);
	pen_text(&p, more, a);
	if (p.x + 28 <= cols) {
		p.x = cols - 28;
		pen_text(&p, "kernel socket table (ss) ", a);
	}
	pen_fill(&p, a);

	if (!v->have_table || nvis == 0) {
		p = (struct pen){y + 1, 2, cols};
		pen_text(&p, !v->have_table ? "(no socket yet)"
			     : v->ntable > 0 ? "(every row hidden by the filter)"
					     : "(no TCP socket on these ports)",
			 attrs[AT_DIM]);
		return;
	}
	for (int i = 0; i + 1 < rows && s->table_top + i < nvis; i++) {
		const struct ui_row *r = &v->table[vis[s->table_top + i]];
		char q[64];
		p = (struct pen){y + 1 + i, 2, cols};
		p.xmax = 2 + ow - 1;
		pen_text(&p, r->owner[0] ? r->owner : "(no fd)",
			 r->owner[0] ? A_BOLD : attrs[AT_DIM]);
		p = (struct pen){y + 1 + i, ow, ow + sw - 1};
		pen_text(&p, r->state, attrs[AT_STATE]);
		p = (struct pen){y + 1 + i, ow + sw, ow + sw + aw - 1};
		pen_addr(&p, r->local, 0);
		p = (struct pen){y + 1 + i, ow + sw + aw, ow + sw + 2 * aw - 1};
		pen_addr(&p, r->peer, 0);
		p = (struct pen){y + 1 + i, ow + sw + 2 * aw, cols};
		/* For a listener the kernel reports the accept queue and the
		 * backlog in the Recv-Q/Send-Q fields. */
		if (r->listen)
			snprintf(q, sizeof q, "queue %ld backlog %ld", r->recv_q, r->send_q);
		else
			snprintf(q, sizeof q, "%-6ld %-6ld", r->recv_q, r->send_q);
		pen_text(&p, q, 0);
		if (r->timer_ms >= 0) {
			snprintf(q, sizeof q, r->timer_ms >= 10000 ? " timer %.0fs" : " timer %.1fs",
				 r->timer_ms / 1000.0);
			pen_text(&p, q, attrs[AT_DIM]);
		}
	}
}

/* ---- narration ----------------------------------------------------- */

#define NARR_WRAP 32 /* wrapped lines one entry can take */

static int narr_prefix(const struct ui_narr *n, char *out, size_t outsz)
{
	if (n->index > 0)
		return snprintf(out, outsz, "step %d/%d %s: ", n->index, n->count, n->actor);
	return snprintf(out, outsz, "%s: ", n->actor);
}

/* Wrap one entry (prefix + text) into at most NARR_WRAP line starts. */
static int narr_wrap(const char *text, int width, int starts[], int lens[])
{
	int n = 0, off = 0;

	while (text[off] && n < NARR_WRAP) {
		int len = wrap_len(text + off, width);
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
	char buf[SS_TEXT_MAX + 64];

	for (unsigned long i = v->nnarr; i-- > first && row >= y;) {
		const struct ui_narr *n = ui_view_narr_at(v, i);
		int pl = narr_prefix(n, buf, sizeof buf);
		int nl;
		attr_t a = i == v->nnarr - 1 ? attrs[AT_NARR] : attrs[AT_DIM];
		if (pl < 0 || (size_t)pl >= sizeof buf)
			pl = 0;
		snprintf(buf + pl, sizeof buf - (size_t)pl, "%s", n->text);
		nl = narr_wrap(buf, width, starts, lens);
		for (int k = nl - 1; k >= 0 && row >= y; k--) {
			char line[SS_TEXT_MAX + 64];
			struct pen p = {row, 1, cols - 1};
			if (skip > 0) {
				skip--;
				continue;
			}
			snprintf(line, sizeof line, "%.*s", lens[k], buf + starts[k]);
			if (k == 0 && pl > 0 && pl <= lens[k]) {
				char pre[64];
				snprintf(pre, sizeof pre, "%.*s", pl, buf);
				pen_text(&p, pre, i == v->nnarr - 1 ? attrs[AT_PORT] : attrs[AT_DIM]);
				pen_text(&p, line + pl, a);
			} else {
				pen_text(&p, line, a);
			}
			row--;
		}
	}
	return row - y + 1 + skip;
}

static void draw_narr(const struct ui_view *v, struct ui_screen *s, int y,
		      int cols, int rows)
{
	int unused;

	if (s->narr_off < 0)
		s->narr_off = 0;
	if (v->nnarr == 0) {
		struct pen p = {y, 1, cols};
		pen_text(&p, "The narration of each step appears here.", attrs[AT_DIM]);
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
		struct pen p = {y + rows - 1, cols - 12, cols};
		pen_text(&p, " [scrolled]", attrs[AT_DIM]);
	}
	if (s->focus == UI_FOCUS_NARR) {
		struct pen p = {y, 0, 1};
		pen_text(&p, ">", attrs[AT_FOCUS]);
	}
}

/* ---- help and the whole frame -------------------------------------- */

static void draw_help(const struct ui_screen *s, int rows, int cols)
{
	static const char *lines[] = {
		"sockstep: every step is a real socket call",
		"",
		"n, Space    perform the next step",
		"a           auto-play on/off",
		"+ / -       auto-play faster / slower",
		"r           restart the exchange from scratch",
		"d           sequence diagram (packets) on/off",
		"Tab         focus: server, client, table, narration",
		"Up/Down, PgUp/PgDn, Home/End   scroll the focused area",
		"N / P       next / previous lesson (lessons)",
		"f           filter: actor=client, errno, kind=packet flags=S",
		"/           search; Enter, F3, < older match, > newer",
		"e           export the session: sockstep-PID.svg, .mmd, .html",
		"p           presenter mode (large ports) on/off",
		"questions   type a prediction, Enter checks it, Esc skips",
		"?           this help (any key closes it)",
		"q           quit",
		"",
		"Ports are highlighted; blocked calls wait in the kernel.",
	};
	int n = (int)(sizeof lines / sizeof lines[0]);
	int w = 62 < cols - 2 ? 62 : cols - 2, h = n + 2;
	int y0 = (rows - h) / 2, x0 = (cols - w) / 2;

	(void)s;
	for (int i = 0; i < h; i++) {
		struct pen p = {y0 + i, x0, x0 + w};
		pen_fill(&p, attrs[AT_BAR]);
		if (i > 0 && i <= n) {
			p.x = x0 + 2;
			pen_text(&p, lines[i - 1], attrs[AT_BAR] | (i == 1 ? A_BOLD : 0));
		}
	}
}

static void draw_too_small(int rows, int cols)
{
	char have[64];
	struct pen p = {rows / 2 > 0 ? rows / 2 - 1 : 0, 0, cols};

	pen_text(&p, "terminal too small (need 80x24)", A_BOLD);
	snprintf(have, sizeof have, "this one is %dx%d; enlarge it, or q quits", cols, rows);
	p = (struct pen){p.y + 1 < rows ? p.y + 1 : p.y, 0, cols};
	pen_text(&p, have, 0);
}

/* ---- boxes: the question, the verdict ------------------------------ */

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
static int draw_question(const struct ui_view *v, const struct ui_screen *s,
			 int y, int cols, int draw)
{
	char title[64], last[UI_INPUT_MAX + 96];

	snprintf(title, sizeof title, " Predict, then step: question %d ",
		 v->question_no > 0 ? v->question_no : s->asked + 1);
	snprintf(last, sizeof last, "your answer: %s_    Enter checks it, Esc skips",
		 s->input);
	return draw_box(y, 2, cols - 4, title, attrs[AT_ASK], v->question[0]
			? v->question : "What will the next step do?",
			last, attrs[AT_ASK], 4, draw);
}

/* The kernel's verdict on the last prediction, until the next step; the
 * final score once the exchange is done. */
static int draw_verdict(const struct ui_view *v, const struct ui_screen *s,
			int y, int cols, int draw)
{
	char title[96];
	const char *fin = s->done ? v->quiz_final : "";

	if (!v->have_verdict && !fin[0])
		return 0;
	if (!v->have_verdict)
		return draw_box(y, 2, cols - 4, " Predict, then step ", attrs[AT_ASK],
				fin, NULL, attrs[AT_ASK], 1, draw);
	snprintf(title, sizeof title, " %s  score %d of %d ",
		 v->verdict_ok ? "RIGHT" : "NOT QUITE", s->right, s->asked);
	return draw_box(y, 2, cols - 4, title,
			v->verdict_ok ? attrs[AT_RIGHT] : attrs[AT_WRONG], v->verdict,
			fin, v->verdict_ok ? attrs[AT_RIGHT] : attrs[AT_WRONG], 4, draw);
}

/* ---- presenter mode: few, large elements --------------------------- */

/* 3x5 glyphs: '#' is a block.  Kept this plain so a test can draw the
 * same digits and look for them on the screen. */
static const struct {
	char c;
	const char *rows[5];
} glyphs[] = {
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

static const char *const *glyph(char c)
{
	size_t n = sizeof glyphs / sizeof glyphs[0];

	if (c >= 'a' && c <= 'z')
		c = (char)(c - 'a' + 'A');
	for (size_t i = 0; i < n; i++)
		if (glyphs[i].c == c)
			return glyphs[i].rows;
	return glyphs[n - 1].rows; /* '?' */
}

static int big_width(const char *s)
{
	int n = (int)strlen(s);

	return n > 0 ? 4 * n - 1 : 0;
}

/* Large text: each glyph 3 cells wide with one cell between. */
static void draw_big(int y, int x, int xmax, const char *s, attr_t a)
{
	for (int r = 0; r < BIG_ROWS; r++) {
		int col = x;
		for (const char *c = s; *c && col + 3 <= xmax; c++, col += 4) {
			const char *g = glyph(*c)[r];
			for (int k = 0; k < 3; k++) {
				struct pen p = {y + r, col + k, col + k + 1};
				if (g[k] == '#')
					pen_text(&p, g_block, a);
			}
		}
	}
}

static int returns_fd(const struct ui_line *l)
{
	return l->kind == UI_LINE_CALL && l->ret >= 0 &&
	       (strcmp(l->call, "accept") == 0 || strcmp(l->call, "accept4") == 0 ||
		strcmp(l->call, "socket") == 0);
}

static int find_row(const struct ui_view *v, const char *actor, int fd,
		    struct ui_row *out)
{
	for (int i = 0; i < v->ntable; i++)
		if (fd >= 0 && v->table[i].fd == fd && strcmp(v->table[i].actor, actor) == 0) {
			*out = v->table[i];
			return 1;
		}
	return 0;
}

/* The row whose local address is local (and whose peer is peer, if any
 * row has it: the listener and the accepted socket share the local). */
static int find_end(const struct ui_view *v, const char *local, const char *peer,
		    struct ui_row *out)
{
	int found = 0;

	for (int i = 0; i < v->ntable; i++) {
		if (strcmp(v->table[i].local, local) != 0)
			continue;
		if (strcmp(v->table[i].peer, peer) == 0) {
			*out = v->table[i];
			return 1;
		}
		if (!found)
			*out = v->table[i];
		found = 1;
	}
	return found;
}

static void row_from_line(const struct ui_line *l, int fd, struct ui_row *r)
{
	memset(r, 0, sizeof *r);
	snprintf(r->actor, sizeof r->actor, "%s", l->actor);
	r->fd = fd;
	if (fd >= 0)
		snprintf(r->owner, sizeof r->owner, "%.9s fd %d", l->actor, fd);
	snprintf(r->local, sizeof r->local, "%s", l->local);
	snprintf(r->peer, sizeof r->peer, "%s", l->peer);
	snprintf(r->state, sizeof r->state, "%s", l->state);
	r->listen = strcmp(l->state, "LISTEN") == 0;
}

/* The two sockets of the current step: the one the call made or used,
 * and its counterpart (accept: the listener; a connected socket: the
 * other end), as the kernel's table reports them. */
static int present_sockets(const struct ui_view *v, const struct ui_line *l,
			   struct ui_row *a, struct ui_row *b)
{
	int fd = returns_fd(l) ? (int)l->ret : l->fd;
	int n = 1;

	if (!find_row(v, l->actor, fd, a))
		row_from_line(l, fd, a);
	if (strncmp(l->call, "accept", 6) == 0 && find_row(v, l->actor, l->fd, b))
		return 2;
	if (event_addr_port(a->peer) > 0 && find_end(v, a->peer, a->local, b))
		return 2;
	for (int i = 0; i < v->ntable; i++)
		if (v->table[i].listen &&
		    (v->table[i].fd != a->fd || strcmp(v->table[i].actor, a->actor))) {
			*b = v->table[i];
			n = 2;
			break;
		}
	return n;
}

static const char *row_role(const struct ui_row *r)
{
	if (r->listen)
		return "listening socket";
	if (r->actor[0] == '\0')
		return "socket (no fd yet)";
	if (strncmp(r->actor, "server", 6) == 0)
		return event_addr_port(r->peer) > 0 ? "accepted socket" : "server socket";
	if (strncmp(r->actor, "client", 6) == 0)
		return "client socket";
	return "socket";
}

/* A port in big digits with a small tag before it. */
static void draw_big_port(int y, int x, int xmax, const char *tag,
			  const char *addr, const char *none)
{
	struct pen p = {y, x, x + 6};
	int port = event_addr_port(addr);
	char num[16];

	pen_text(&p, tag, attrs[AT_DIM]);
	if (port <= 0) {
		p = (struct pen){y + 2, x + 7, xmax};
		pen_text(&p, none, attrs[AT_DIM]);
		return;
	}
	snprintf(num, sizeof num, "%d", port);
	draw_big(y, x + 7, xmax, num, attrs[AT_PORT]);
}

#define PANEL_ROWS (2 + 2 * BIG_ROWS)

static void draw_panel(int y, int x, int w, const struct ui_row *r)
{
	struct pen p = {y, x, x + w - 1};
	char head[96];

	if (r == NULL)
		return;
	snprintf(head, sizeof head, " %s  %s ", row_role(r), r->owner);
	pen_text(&p, head, attrs[AT_HEAD] | A_BOLD);
	/* the state beside the big local port: 7 + 19 cells, then 12 free */
	p = (struct pen){y + 2, x + 28, x + w - 1};
	pen_text(&p, r->state, attrs[AT_STATE]);
	p = (struct pen){y + 1, x + 1, x + w - 1};
	pen_addr(&p, r->local[0] ? r->local : "(no address)", A_BOLD);
	if (r->peer[0]) {
		pen_text(&p, " ", 0);
		pen_text(&p, g_right, attrs[AT_DIM]);
		pen_text(&p, " ", 0);
		pen_addr(&p, r->peer, A_BOLD);
	}
	draw_big_port(y + 2, x + 1, x + w - 1, "local", r->local, "(no port yet)");
	draw_big_port(y + 2 + BIG_ROWS, x + 1, x + w - 1, "peer", r->peer,
		      r->listen ? "(none: it waits for clients)" : "(not connected)");
}

static void draw_present(const struct ui_view *v, struct ui_screen *s, int rows,
			 int cols)
{
	const struct ui_line *l = v->have_last_call ? &v->last_call : NULL;
	struct pen p = {1, 1, cols - 1};
	struct ui_row a, b;
	int y = 1, n, narr;

	if (l == NULL) {
		pen_text(&p, "Paused before the first call: n (or Space) performs each step.",
			 attrs[AT_NARR]);
	} else {
		char head[64], big[64];
		const char *res = strstr(l->text, " = ");
		snprintf(head, sizeof head, "step %d  %s: ", l->step, l->actor);
		pen_text(&p, head, attrs[AT_DIM]);
		pen_text(&p, l->text, family_attr(l) | A_BOLD);
		if (l->kind == UI_LINE_BLOCKED)
			pen_text(&p, " blocked in the kernel", attrs[AT_BLOCK]);
		/* the call and its result, as large as the width allows */
		if (l->kind == UI_LINE_BLOCKED)
			snprintf(big, sizeof big, "%s ...", l->call);
		else
			snprintf(big, sizeof big, "%s = %ld", l->call, l->ret);
		if (big_width(big) > cols - 2)
			snprintf(big, sizeof big, "%s", l->call);
		/* a question or a verdict takes the large text's place */
		if (s->prompt != UI_PROMPT_ANSWER && draw_verdict(v, s, 0, cols, 0) == 0)
			draw_big(y + 1, (cols - big_width(big)) / 2, cols, big,
			 l->failed ? attrs[AT_ERR] : family_attr(l) | A_BOLD);
		p = (struct pen){y + 1 + BIG_ROWS, 2, cols - 1};
		if (l->failed && res)
			pen_text(&p, res + 3, attrs[AT_ERR]);
		else if (l->state[0]) {
			pen_text(&p, "state after the call: ", attrs[AT_DIM]);
			pen_text(&p, l->state, attrs[AT_STATE]);
		}
	}
	y += 2 + BIG_ROWS;
	if (l) {
		n = present_sockets(v, l, &a, &b);
		draw_panel(y, 0, cols / 2, &a);
		for (int i = 0; i < PANEL_ROWS; i++) {
			p = (struct pen){y + i, cols / 2 - 1, cols / 2};
			pen_text(&p, g_vline, attrs[AT_DIM]);
		}
		draw_panel(y, cols / 2, cols - cols / 2, n > 1 ? &b : NULL);
	}
	y += PANEL_ROWS;
	narr = rows - 2 - y;
	if (narr > 0)
		draw_narr(v, s, y, cols, narr);
}

void ui_screen_init(struct ui_screen *s, const struct ui_opts *o)
{
	memset(s, 0, sizeof *s);
	s->title = o->title;
	s->mode = o->mode;
	s->one_sided = o->one_sided;
	s->lesson_nav = o->lesson_nav;
	s->autoplay = o->autoplay;
	s->speed = 1;
	/* one-sided: the focus starts on the side that runs here */
	if (o->one_sided && o->mode && strcmp(o->mode, "client") == 0)
		s->focus = UI_FOCUS_CLIENT;
	for (int p = 0; p < UI_PANES; p++)
		s->anchor[p] = -1;
	s->hl_pane = -1;
	s->hl = -1;
	s->present = o->present;
}

/* What is drawn over either layout: the question or the verdict (over the
 * oldest pane lines or the large text, so the newest stay in view and the
 * step stays named above), the message line, the keys, the help. */
static void draw_overlays(const struct ui_view *v, struct ui_screen *s,
			  int rows, int cols)
{
	if (s->prompt == UI_PROMPT_ANSWER)
		draw_question(v, s, 2, cols, 1);
	else
		draw_verdict(v, s, 2, cols, 1);
	draw_message(v, s, rows - 2, cols);
	draw_keys(s, rows - 1, cols);
	if (s->help)
		draw_help(s, rows, cols);
}

void ui_draw_frame(const struct ui_view *v, struct ui_screen *s, int rows,
		   int cols)
{
	int table, narr, panes, y, left;

	erase();
	if (rows < UI_MIN_ROWS || cols < UI_MIN_COLS) {
		draw_too_small(rows, cols);
		return;
	}
	table = rows / 6 < 4 ? 4 : rows / 6 > 10 ? 10 : rows / 6;
	narr = rows >= 32 ? 4 : 3;
	panes = rows - 4 - table - narr;
	s->rows_pane = panes;
	s->rows_table = table;
	s->rows_narr = narr;

	draw_title(s, cols);
	if (s->present) {
		draw_present(v, s, rows, cols);
		draw_overlays(v, s, rows, cols);
		return;
	}
	y = 1;
	if (s->show_seq) {
		int cw = cols * 3 / 10;
		struct pen p = {y, 0, cols};
		attr_t a = s->focus == UI_FOCUS_SEQ ? attrs[AT_FOCUS] : attrs[AT_HEAD];
		pen_fill(&p, a);
		draw_header(v, y, 0, cw + 1 < cols / 2 ? cols / 2 : cw + 1,
			    side_name(v, UI_SERVER), UI_SERVER, s->focus == UI_FOCUS_SEQ);
		p = (struct pen){y, cols / 2 - 10, cols / 2 + 10};
		pen_text(&p, " sequence diagram ", a);
		draw_header(v, y, cols / 2 + 10, cols - cols / 2 - 10,
			    side_name(v, UI_CLIENT), UI_CLIENT, 0);
		draw_seq(v, s, y + 1, cols, panes);
	} else {
		left = (cols - 1) / 2;
		draw_header(v, y, 0, left, side_name(v, UI_SERVER), UI_SERVER,
			    s->focus == UI_FOCUS_SERVER);
		draw_header(v, y, left + 1, cols - left - 1, side_name(v, UI_CLIENT),
			    UI_CLIENT, s->focus == UI_FOCUS_CLIENT);
		for (int i = 0; i <= panes; i++) {
			struct pen p = {y + i, left, left + 1};
			pen_text(&p, g_vline, i == 0 ? attrs[AT_HEAD] : attrs[AT_DIM]);
		}
		draw_pane(&v->pane[UI_PANE_SERVER], s->anchor[UI_PANE_SERVER],
			  s->hl_pane == UI_PANE_SERVER ? s->hl : -1, y + 1,
			  1, left - 1, panes);
		draw_pane(&v->pane[UI_PANE_CLIENT], s->anchor[UI_PANE_CLIENT],
			  s->hl_pane == UI_PANE_CLIENT ? s->hl : -1, y + 1,
			  left + 2, cols - left - 2, panes);
	}
	y += 1 + panes;
	draw_table(v, s, y, cols, table);
	y += table;
	draw_narr(v, s, y, cols, narr);
	draw_overlays(v, s, rows, cols);
}
