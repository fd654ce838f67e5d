/* draw: paint one frame from the view model; reads it, never changes it.
 *
 * Every string goes through pen_text() (pen.h), which stops at the right
 * edge.  Each region draws only its visible lines: a frame costs the
 * screen's size, not the session's length.  Presenter mode is present.c;
 * the wrapped text (narration, question, help) draw_text.c. */
#include "sockstep/draw.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sockstep/i18n.h"
#include "sockstep/pen.h"
#include "sockstep/textwidth.h"
#include "sockstep/ui.h"

/* The names the caller gives the UI (ui_opts' mode and network, pane
 * roles), translated where they are shown; any other name (a lesson's
 * actor) is shown as it is. */
static const char *shown_name(const char *name)
{
	static const char *const names[] = {
		N_("live"),   N_("server"), N_("client"),      N_("replay"),
		N_("lesson"), N_("trace"),  N_("private net"), N_("host net"),
		N_("remote peer"),
	};

	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if (strcmp(name, names[i]) == 0)
			return _(names[i]);
	return name;
}

static const char *play_state(const struct ui_screen *s)
{
	if (s->done)
		return _("done");
	if (s->autoplay)
		return _("auto");
	return _("paused");
}

static void draw_title(const struct ui_screen *s, int cols)
{
	struct pen p = {0, 0, cols};
	char right[320], quiz[64] = "", filt[96] = "", net[64] = "", count[64],
		speed[32];

	/* the running score of predict-then-step, and the active filter */
	if (s->asked > 0 || s->question)
		snprintf(quiz, sizeof quiz, _(" quiz %d/%d |"), s->right, s->asked);
	if (s->filter_desc[0])
		snprintf(filt, sizeof filt, _(" filter %.40s |"), s->filter_desc);
	/* which network: a teacher must know whether `ss` can see it */
	if (s->network)
		snprintf(net, sizeof net, " %.40s |", shown_name(s->network));
	/* a source that takes its own steps (traced programs) has no count */
	if (s->nsteps > 0)
		snprintf(count, sizeof count, _("step %d of %d"), s->step, s->nsteps);
	else
		snprintf(count, sizeof count, _("call %d"), s->step);
	snprintf(speed, sizeof speed, _("%g/s"), s->speed);
	snprintf(right, sizeof right, " %s%s |%s %s | %s |%s%s %s ",
		 s->present ? _("present ") : "", shown_name(s->mode ? s->mode : "live"),
		 net, play_state(s), count, quiz, filt, speed);
	pen_text(&p, " sockstep: ", pen_attr(AT_BAR) | A_BOLD);
	p.xmax = cols - text_width(right);
	pen_text(&p, s->title && s->title[0] ? s->title : _("socket exchange"),
		 pen_attr(AT_BAR) | A_BOLD);
	pen_fill(&p, pen_attr(AT_BAR));
	p.xmax = cols;
	p.x = cols - text_width(right);
	if (p.x < 0)
		p.x = 0;
	pen_text(&p, right, pen_attr(AT_BAR));
}

/* The key bar, from the loop's key table: the essential keys always,
 * N/P in lessons, the extras when the width allows. */
static void draw_keys(const struct ui_screen *s, int y, int cols)
{
	struct pen p = {y, 0, cols};
	char line[768] = ""; /* a screen with no keys draws an empty bar */
	size_t n = 0;
	int w = 0; /* columns, not bytes: a Chinese character takes two */

	for (int pass = 0; pass < 3; pass++)
		for (int i = 0; i < s->nkeys; i++) {
			const struct ui_key_help *h = &s->keys[i].help;
			int kind = h->lesson_nav ? 1 : h->bar_extra ? 2 : 0;
			const char *bar = h->bar ? _(h->bar) : NULL;
			if (bar == NULL || kind != pass || (kind == 1 && !s->lesson_nav))
				continue;
			if (kind > 0 && w + text_width(bar) + 3 >= cols)
				continue;
			n += (size_t)snprintf(line + n, sizeof line - n, " %s ", bar);
			w += text_width(bar) + 2;
			if (n >= sizeof line)
				n = sizeof line - 1;
		}
	pen_text(&p, line, pen_attr(AT_BAR));
	pen_fill(&p, pen_attr(AT_BAR));
}

static void draw_message(const struct ui_view *v, const struct ui_screen *s,
			 int y, int cols)
{
	struct pen p = {y, 1, cols};

	if (s->prompt == UI_PROMPT_FILTER || s->prompt == UI_PROMPT_SEARCH) {
		pen_text(&p, s->prompt == UI_PROMPT_FILTER ? _("filter: ") : _("search: "),
			 A_BOLD);
		pen_text(&p, s->input, 0);
		pen_text(&p, "_", A_BOLD | A_BLINK);
		pen_text(&p, s->prompt == UI_PROMPT_FILTER
			     ? _("   Enter applies (empty clears), Esc cancels")
			     : _("   Enter searches, Esc cancels"),
			 pen_attr(AT_DIM));
	} else if (s->flash[0]) {
		pen_text(&p, s->flash, s->flash_error ? pen_attr(AT_ERR) : pen_attr(AT_WARN));
	} else if (v->message[0]) {
		pen_text(&p, v->message_level >= 2 ? _("error: ")
			     : v->message_level == 1 ? _("note: ") : "",
			 v->message_level >= 2 ? pen_attr(AT_ERR) : pen_attr(AT_WARN));
		pen_text(&p, v->message, v->message_level >= 2 ? pen_attr(AT_ERR)
					 : pen_attr(AT_WARN));
	} else if (s->done) {
		pen_text(&p, _("The exchange is done: r runs it again, q quits."),
			 pen_attr(AT_DIM));
	} else if (s->step == 0) {
		pen_text(&p, _("Paused before the first call: press n (or Space) for each step, a to play."),
			 pen_attr(AT_DIM));
	}
}

struct detail {
	int lines; /* 0, 1 (all on one line) or 2 (addresses, then state) */
};

static int detail_lines(const struct ui_line *l, int width)
{
	int addr, st;

	if (l->kind != UI_LINE_CALL || (l->local[0] == '\0' && l->state[0] == '\0'))
		return 0;
	addr = 2 + text_width(l->local) + (l->peer[0] ? 4 + text_width(l->peer) : 0);
	st = (l->state[0] ? 1 + text_width(l->state) : 0) +
	     (l->extra[0] ? 1 + text_width(l->extra) : 0);
	if (l->local[0] == '\0' || st == 0 || addr + st <= width)
		return 1;
	return 2;
}

static void draw_state(struct pen *p, const struct ui_line *l)
{
	if (l->state[0]) {
		pen_text(p, " ", 0);
		pen_text(p, l->state, pen_attr(AT_STATE));
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
			pen_text(&p, pen_glyphs()->right, pen_attr(AT_DIM));
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
		      int numbers, int hl)
{
	struct pen p = {y, x, x + width};
	char num[16];
	attr_t a = hl ? pen_attr(AT_HL) : pen_call_attr(l);

	if (numbers) {
		snprintf(num, sizeof num, "%3d ", l->step);
		pen_text(&p, l->step > 0 ? num : "    ", pen_attr(AT_DIM));
	}
	switch (l->kind) {
	case UI_LINE_BLOCKED:
		pen_text(&p, l->text, A_BOLD);
		pen_text(&p, " ", 0);
		pen_text(&p, _("blocked"), pen_attr(AT_BLOCK));
		pen_text(&p, pen_glyphs()->ellipsis, pen_attr(AT_BLOCK));
		pen_text_if_room(&p, _(" (in the kernel)"), pen_attr(AT_DIM));
		break;
	case UI_LINE_EXPECT:
		pen_text(&p, "  ", 0);
		pen_text(&p, l->text, l->failed ? pen_attr(AT_ERR) : pen_attr(AT_OK));
		break;
	case UI_LINE_WAITING:
		pen_text(&p, l->text, A_BOLD);
		pen_text_if_room(&p, _("  waits for Space"), pen_attr(AT_DIM));
		break;
	case UI_LINE_OUTPUT:
		pen_text(&p, "| ", pen_attr(AT_DIM));
		pen_text(&p, l->text, l->failed ? pen_attr(AT_ERR) : 0);
		break;
	case UI_LINE_PROCESS:
		pen_text(&p, l->text, l->failed ? pen_attr(AT_ERR) : pen_attr(AT_DIM));
		break;
	case UI_LINE_PEER:
		pen_text(&p, _("peer "), A_BOLD);
		pen_addr(&p, l->local, 0);
		pen_text(&p, _(" (not traced here)"), pen_attr(AT_DIM));
		break;
	default:
		pen_text(&p, l->text, a);
		break;
	}
	if (hl)
		pen_text(&p, " <", pen_attr(AT_HL));
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
		return shown_name("remote peer");
	return shown_name(side == UI_SERVER ? "server" : "client");
}

static void draw_header(const struct ui_view *v, int y, int x, int width,
			const char *name, enum ui_side side, int focused)
{
	struct pen p = {y, x, x + width};
	attr_t a = focused ? pen_attr(AT_FOCUS) : pen_attr(AT_HEAD);

	pen_text(&p, focused ? "> " : "  ", a);
	pen_text(&p, name, a | A_BOLD);
	if ((int)side >= 0 && v->addr[side][0]) {
		pen_text(&p, "  ", a);
		pen_text(&p, v->addr[side], a);
	}
	pen_fill(&p, a);
}

static void draw_hline(int y, int x0, int x1, attr_t a)
{
	struct pen p = {y, x0, x1};

	while (p.x < p.xmax)
		pen_text(&p, pen_glyphs()->hline, a);
}

static void draw_packet(int y, int xl, int xr, const struct ui_line *l, int hl)
{
	int span = xr - xl - 1; /* cells between the lifelines */
	int lab = text_width(l->text) + 2;
	int lx;
	attr_t a = pen_attr(AT_PKT);
	struct pen p = {y, 0, 0};

	if (span < 3)
		return;
	draw_hline(y, xl + 1, xr, a);
	if (l->side == UI_SERVER) {
		p.x = xr - 1;
		p.xmax = xr;
		pen_text(&p, pen_glyphs()->rhead, a | A_BOLD);
	} else {
		p.x = xl + 1;
		p.xmax = xl + 2;
		pen_text(&p, pen_glyphs()->lhead, a | A_BOLD);
	}
	if (lab > span - 2)
		lab = span - 2;
	lx = xl + 1 + (span - lab) / 2;
	p.x = lx;
	p.xmax = lx + lab;
	pen_text(&p, " ", a);
	pen_text(&p, l->text, hl ? pen_attr(AT_HL) : a | A_BOLD);
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
		pen_text(&p, s->packets_ok ? _("no packets captured yet")
					   : _("no packets: capture is not running"),
			 pen_attr(AT_WARN) | A_BOLD);
		if (v->no_packets[0]) {
			pen_text(&p, " - ", pen_attr(AT_WARN));
			pen_text(&p, v->no_packets, pen_attr(AT_WARN));
		}
		top_y++;
		rows--;
	}
	for (int i = 0; i < rows; i++) {
		p = (struct pen){top_y + i, xl, xl + 1};
		pen_text(&p, pen_glyphs()->vline, pen_attr(AT_DIM));
		p = (struct pen){top_y + i, xr, xr + 1};
		pen_text(&p, pen_glyphs()->vline, pen_attr(AT_DIM));
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
			const char *blocked = _(" blocked");
			int w = text_width(l->text) +
				(l->kind == UI_LINE_BLOCKED ? text_width(blocked) : 0);
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
			pen_text(&p, l->text, hl ? pen_attr(AT_HL) : pen_call_attr(l) | A_BOLD);
			if (l->kind == UI_LINE_BLOCKED)
				pen_text(&p, blocked, pen_attr(AT_BLOCK));
		}
	}
}

/* The table's header row: each title at its column's start (padded by
 * columns, not bytes: the titles may be Chinese), the kernel's own
 * Recv-Q/Send-Q names, the scroll position, and the table's name on the
 * right when it fits. */
static void table_head(const struct ui_screen *s, int y, int cols, int ow,
		       int sw, int aw, const char *more)
{
	attr_t a = s->focus == UI_FOCUS_TABLE ? pen_attr(AT_FOCUS) : pen_attr(AT_HEAD);
	const char *name = _("kernel socket table (ss) ");
	const struct {
		int x, w;
		const char *title;
	} col[] = {{2, ow - 2, _("owner")},
		   {ow, sw, _("state")},
		   {ow + sw, aw, _("local")},
		   {ow + sw + aw, aw, _("peer")}};
	struct pen p = {y, 0, cols};

	pen_fill(&p, a);
	p = (struct pen){y, 0, cols};
	pen_text(&p, s->focus == UI_FOCUS_TABLE ? "> " : "  ", a);
	for (size_t i = 0; i < sizeof col / sizeof col[0]; i++) {
		p = (struct pen){y, col[i].x, col[i].x + col[i].w - 1};
		pen_text(&p, col[i].title, a);
	}
	p = (struct pen){y, ow + sw + 2 * aw, cols};
	pen_text(&p, "Recv-Q Send-Q", a);
	pen_text(&p, more, a);
	if (p.x + text_width(name) + 3 <= cols) {
		p.x = cols - text_width(name) - 3;
		pen_text(&p, name, a);
	}
}

static void draw_table(const struct ui_view *v, struct ui_screen *s, int y,
		       int cols, int rows)
{
	int ow = 14, sw = 12, aw = 17, amax;
	struct pen p;
	char more[96] = "";
	int vis[UI_VIEW_TABLE], nvis = 0;

	/* the rows the filter lets through */
	for (int i = 0; i < v->ntable; i++)
		if (v->table_shown[i])
			vis[nvis++] = i;

	/* The owner column as wide as the longest owner ("client2 fd 3"),
	 * with a blank before the state; the address columns as wide as the
	 * widest address (IPv6 is long), in what is left. */
	for (int i = 0; i < nvis; i++)
		if (text_width(v->table[vis[i]].owner) + 3 > ow)
			ow = text_width(v->table[vis[i]].owner) + 3;
	if (ow > 24)
		ow = 24;
	amax = (cols - 2 - ow - sw - 22) / 2;
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
		snprintf(more, sizeof more, _("  rows %d-%d of %d"), s->table_top + 1,
			 s->table_top + rows - 1 < nvis ? s->table_top + rows - 1 : nvis,
			 nvis);
	table_head(s, y, cols, ow, sw, aw, more);

	if (!v->have_table || nvis == 0) {
		p = (struct pen){y + 1, 2, cols};
		pen_text(&p, !v->have_table ? _("(no socket yet)")
			     : v->ntable > 0 ? _("(every row hidden by the filter)")
					     : _("(no TCP socket on these ports)"),
			 pen_attr(AT_DIM));
		return;
	}
	for (int i = 0; i + 1 < rows && s->table_top + i < nvis; i++) {
		const struct ui_row *r = &v->table[vis[s->table_top + i]];
		char q[64];
		p = (struct pen){y + 1 + i, 2, cols};
		p.xmax = ow - 1; /* a blank before the state */
		pen_text(&p, r->owner[0] ? r->owner : _("(no fd)"),
			 r->owner[0] ? A_BOLD : pen_attr(AT_DIM));
		p = (struct pen){y + 1 + i, ow, ow + sw - 1};
		pen_text(&p, r->state, pen_attr(AT_STATE));
		p = (struct pen){y + 1 + i, ow + sw, ow + sw + aw - 1};
		pen_addr(&p, r->local, 0);
		p = (struct pen){y + 1 + i, ow + sw + aw, ow + sw + 2 * aw - 1};
		pen_addr(&p, r->peer, 0);
		p = (struct pen){y + 1 + i, ow + sw + 2 * aw, cols};
		/* For a listener the kernel reports the accept queue and the
		 * backlog in the Recv-Q/Send-Q fields. */
		if (r->listen)
			snprintf(q, sizeof q, _("queue %ld backlog %ld"), r->recv_q, r->send_q);
		else if (r->timer_ms >= 0 && cols - p.x < 13 + 11)
			/* 80 columns: the countdown matters more than alignment */
			snprintf(q, sizeof q, "%ld %ld", r->recv_q, r->send_q);
		else
			snprintf(q, sizeof q, "%-6ld %-6ld", r->recv_q, r->send_q);
		pen_text(&p, q, 0);
		if (r->timer_ms >= 0) {
			snprintf(q, sizeof q, r->timer_ms >= 10000 ? _(" timer %.0fs") : _(" timer %.1fs"),
				 r->timer_ms / 1000.0);
			pen_text(&p, q, pen_attr(AT_DIM));
		}
	}
}

void ui_screen_init(struct ui_screen *s, const struct ui_opts *o)
{
	memset(s, 0, sizeof *s);
	s->title = o->title;
	s->mode = o->mode;
	s->network = o->network;
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
		present_draw(v, s, rows, cols);
		draw_overlays(v, s, rows, cols);
		return;
	}
	y = 1;
	if (s->show_seq) {
		int cw = cols * 3 / 10;
		struct pen p = {y, 0, cols};
		attr_t a = s->focus == UI_FOCUS_SEQ ? pen_attr(AT_FOCUS) : pen_attr(AT_HEAD);
		pen_fill(&p, a);
		draw_header(v, y, 0, cw + 1 < cols / 2 ? cols / 2 : cw + 1,
			    side_name(v, UI_SERVER), UI_SERVER, s->focus == UI_FOCUS_SEQ);
		const char *name = _(" sequence diagram ");
		p = (struct pen){y, cols / 2 - text_width(name) / 2, cols / 2 + 10};
		pen_text(&p, name, a);
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
			pen_text(&p, pen_glyphs()->vline, i == 0 ? pen_attr(AT_HEAD) : pen_attr(AT_DIM));
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
