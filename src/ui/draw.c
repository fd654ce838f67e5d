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
	AT_COUNT
};

static attr_t attrs[AT_COUNT];
static int use_utf8;

/* Line-drawing and arrows: Unicode in a UTF-8 locale, ASCII otherwise
 * (ncurses' ACS needs the terminal's alternate charset, which tests and
 * some projectors' terminals get wrong). */
static const char *g_vline = "|", *g_hline = "-", *g_right = "->",
		  *g_rhead = ">", *g_lhead = "<", *g_ellipsis = "...";

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
		[AT_ERR] = {COLOR_RED, -1, A_BOLD, A_BOLD},
		[AT_OK] = {COLOR_GREEN, -1, 0, 0},
		[AT_BLOCK] = {COLOR_MAGENTA, -1, A_BOLD, A_REVERSE},
		[AT_PKT] = {COLOR_CYAN, -1, 0, 0},
		[AT_WARN] = {COLOR_YELLOW, -1, 0, A_BOLD},
		[AT_NARR] = {-1, -1, A_BOLD, A_BOLD},
		[AT_DIM] = {-1, -1, A_DIM, A_DIM},
		[AT_STATE] = {COLOR_GREEN, -1, A_BOLD, 0},
	};

	use_utf8 = utf8;
	if (utf8) {
		g_vline = "\u2502";
		g_hline = "\u2500";
		g_right = "\u2192";
		g_rhead = "\u25b6";
		g_lhead = "\u25c0";
		g_ellipsis = "\u2026";
	} else {
		g_vline = "|";
		g_hline = "-";
		g_right = "->";
		g_rhead = ">";
		g_lhead = "<";
		g_ellipsis = "...";
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
	char right[128];

	snprintf(right, sizeof right, " %s | %s | step %d of %d | %g/s ",
		 s->mode ? s->mode : "live", play_state(s), s->step, s->nsteps,
		 s->speed);
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
	char line[160];
	size_t n = 0;

	/* The essential keys always; the extras when the width allows. */
	for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
		n += (size_t)snprintf(line + n, sizeof line - n, " %s ", keys[i]);
	if (s->lesson_nav && n + 13 < (size_t)cols)
		n += (size_t)snprintf(line + n, sizeof line - n, " N/P lesson ");
	if (n + 16 < (size_t)cols)
		snprintf(line + n, sizeof line - n, " arrows scroll ");
	pen_text(&p, line, attrs[AT_BAR]);
	pen_fill(&p, attrs[AT_BAR]);
}

static void draw_message(const struct ui_view *v, const struct ui_screen *s,
			 int y, int cols)
{
	struct pen p = {y, 1, cols};

	if (s->flash[0]) {
		pen_text(&p, s->flash, attrs[AT_WARN]);
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

static void draw_line(int y, int x, int width, const struct ui_line *l,
		      int numbers)
{
	struct pen p = {y, x, x + width};
	char num[16];
	attr_t a = l->failed ? attrs[AT_ERR] : 0;

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
}

/* Bottom-anchored list: the newest lines (or the scrolled-to ones) at the
 * bottom; the newest calls get their detail lines (addresses, state), older
 * ones fold to one line when space runs out. */
static void draw_pane(const struct ui_ring *r, long anchor, int y, int x,
		      int width, int rows)
{
	unsigned long first = ui_ring_first(r), last, top;
	int n, extra, numbers = width >= 50;
	int dwidth = width - (numbers ? 3 : 0); /* the detail is indented */
	int d[256];
	unsigned char expand[256];

	if (r->count == 0 || rows <= 0)
		return;
	last = anchor < 0 || (unsigned long)anchor >= r->count ? r->count - 1
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
		int dl = detail_lines(ui_ring_at(r, last), dwidth);
		if (dl > extra && rows > dl) {
			n = rows - dl < n ? rows - dl : n;
			extra = rows - n;
		}
	}
	for (int i = 0; i < n; i++) {
		d[i] = detail_lines(ui_ring_at(r, last - (unsigned long)i), dwidth);
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
		const struct ui_line *l = ui_ring_at(r, top + (unsigned long)(n - 1 - i));
		draw_line(y, x, width, l, numbers);
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

static void draw_packet(int y, int xl, int xr, const struct ui_line *l)
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
	pen_text(&p, l->text, a | A_BOLD);
	if (p.x < p.xmax)
		pen_text(&p, " ", a);
}

static void draw_seq(const struct ui_view *v, const struct ui_screen *s,
		     int y, int cols, int rows)
{
	const struct ui_ring *r = &v->pane[UI_PANE_SEQ];
	int cw = cols * 3 / 10, xl = cw, xr = cols - 1 - cw;
	unsigned long first = ui_ring_first(r), last;
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
	if (r->count == 0)
		return;
	last = s->anchor[UI_PANE_SEQ] < 0 ||
			       (unsigned long)s->anchor[UI_PANE_SEQ] >= r->count
		       ? r->count - 1
		       : (unsigned long)s->anchor[UI_PANE_SEQ];
	if (last < first)
		last = first;
	n = (int)(last - first + 1 < (unsigned long)rows ? last - first + 1
							  : (unsigned long)rows);
	for (int i = 0; i < n; i++) {
		const struct ui_line *l = ui_ring_at(r, last - (unsigned long)(n - 1 - i));
		int ly = top_y + i;
		if (l->kind == UI_LINE_PACKET) {
			draw_packet(ly, xl, xr, l);
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
			pen_text(&p, l->text, l->failed ? attrs[AT_ERR] : A_BOLD);
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

	/* Address columns as wide as the widest address (IPv6 is long). */
	for (int i = 0; i < v->ntable; i++) {
		int w = (int)strlen(v->table[i].local) + 2;
		if ((int)strlen(v->table[i].peer) + 2 > w)
			w = (int)strlen(v->table[i].peer) + 2;
		if (w > aw)
			aw = w;
	}
	if (aw > amax)
		aw = amax > 17 ? amax : 17;
	if (s->table_top > v->ntable - (rows - 1))
		s->table_top = v->ntable - (rows - 1);
	if (s->table_top < 0)
		s->table_top = 0;
	if (v->ntable > rows - 1)
		snprintf(more, sizeof more, "  rows %d-%d of %d", s->table_top + 1,
			 s->table_top + rows - 1 < v->ntable ? s->table_top + rows - 1
							     : v->ntable,
			 v->ntable);
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

	if (!v->have_table || v->ntable == 0) {
		p = (struct pen){y + 1, 2, cols};
		pen_text(&p, v->have_table ? "(no TCP socket on these ports)"
					   : "(no socket yet)",
			 attrs[AT_DIM]);
		return;
	}
	for (int i = 0; i + 1 < rows && s->table_top + i < v->ntable; i++) {
		const struct ui_row *r = &v->table[s->table_top + i];
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
		draw_pane(&v->pane[UI_PANE_SERVER], s->anchor[UI_PANE_SERVER], y + 1,
			  1, left - 1, panes);
		draw_pane(&v->pane[UI_PANE_CLIENT], s->anchor[UI_PANE_CLIENT], y + 1,
			  left + 2, cols - left - 2, panes);
	}
	y += 1 + panes;
	draw_table(v, s, y, cols, table);
	y += table;
	draw_narr(v, s, y, cols, narr);
	draw_message(v, s, rows - 2, cols);
	draw_keys(s, rows - 1, cols);
	if (s->help)
		draw_help(s, rows, cols);
}
