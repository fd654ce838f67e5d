/* pen: text with a right edge, colours and line-drawing characters
 * (see pen.h). */
#include "sockstep/pen.h"

#include <stdio.h>
#include <string.h>

#include "sockstep/addr.h"
#include "sockstep/draw.h"
#include "sockstep/textwidth.h"

static attr_t attrs[AT_COUNT];

/* Line-drawing and arrows: Unicode in a UTF-8 locale, ASCII otherwise
 * (ncurses' ACS needs the terminal's alternate charset, which tests and
 * some projectors' terminals get wrong). */
static const struct pen_glyphs ascii = {"|", "-", "->", ">", "<", "...", "#"};
static const struct pen_glyphs unicode = {"\u2502", "\u2500", "\u2192", "\u25b6",
					  "\u25c0", "\u2026", "\u2588"};
static const struct pen_glyphs *glyphs = &ascii;

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

	glyphs = utf8 ? &unicode : &ascii;
	for (int i = 0; i < AT_COUNT; i++) {
		attrs[i] = spec[i].mono;
		if (color && i + 1 < COLOR_PAIRS) {
			init_pair((short)(i + 1), spec[i].fg, spec[i].bg);
			attrs[i] = COLOR_PAIR(i + 1) | spec[i].extra;
		}
	}
}

attr_t pen_attr(enum ui_attr role)
{
	return attrs[role];
}

const struct pen_glyphs *pen_glyphs(void)
{
	return glyphs;
}


void pen_text(struct pen *p, const char *s, attr_t a)
{
	attron(a);
	while (*s && p->x < p->xmax) {
		int cols;
		int len = text_char(s, &cols);
		if (p->x + cols > p->xmax) {
			/* half a wide character cannot be drawn: a blank */
			mvaddch(p->y, p->x++, ' ');
			break;
		}
		/* a byte that is no character of the locale (any byte >= 0x80
		 * in the C locale, a broken sequence): ncurses would show it
		 * as "M-x" or "~@", wider than the one column counted */
		if ((unsigned char)*s >= 0x80 && len == 1)
			mvaddch(p->y, p->x, '?');
		else
			mvaddnstr(p->y, p->x, s, len);
		p->x += cols;
		s += len;
	}
	attroff(a);
}

void pen_text_if_room(struct pen *p, const char *s, attr_t a)
{
	if (p->x + text_width(s) <= p->xmax)
		pen_text(p, s, a);
}

void pen_fill(struct pen *p, attr_t a)
{
	attron(a);
	for (; p->x < p->xmax; p->x++)
		mvaddch(p->y, p->x, ' ');
	attroff(a);
}

void pen_addr(struct pen *p, const char *addr, attr_t a)
{
	int at = addr_port_offset(addr);
	char host[UI_LINE_ADDR];

	if (at < 0) {
		pen_text(p, addr, a);
		return;
	}
	snprintf(host, sizeof host, "%.*s", at, addr);
	pen_text(p, host, a);
	pen_text(p, addr + at, pen_attr(AT_PORT));
}

attr_t pen_call_attr(const struct ui_line *l)
{
	static const enum ui_attr fam[] = {0, AT_SETUP, AT_DATA, AT_DOWN};
	int f;

	if (l->failed)
		return pen_attr(AT_ERR);
	f = ui_call_family(l->call);
	return f ? pen_attr(fam[f]) : 0;
}
