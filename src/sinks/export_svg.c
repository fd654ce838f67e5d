/* export_svg: the items of an export as a standalone SVG sequence
 * diagram, drawn by sockstep itself (no browser or tool needed). */
#include "sockstep/export_model.h"

#include <stdlib.h>
#include <string.h>

#include "sockstep/textwidth.h"

/* Monospace text: width per character in tenths of a pixel at 12px
 * (DejaVu Sans Mono is 7.2), line height and padding in pixels.  All
 * coordinates are integers, so no locale can put a comma in them. */
#define SVG_CW10 73
#define SVG_LH 15
#define SVG_PAD 6
#define SVG_LEFT 76 /* time column */
#define SVG_HEAD_H 30
#define SVG_GAP_MIN 170

static const char *const pc_color[PC_COUNT] = {
	[PC_SYN] = "#0969da", [PC_FIN] = "#8250df", [PC_RST] = "#cf222e",
	[PC_DATA] = "#1a7f37", [PC_ACK] = "#57606a",
};
static const char *const pc_name[PC_COUNT] = {
	[PC_SYN] = "syn", [PC_FIN] = "fin", [PC_RST] = "rst", [PC_DATA] = "data", [PC_ACK] = "ack",
};

/* The width of n columns (a Chinese character takes two, as on a
 * terminal: a little wider than the 12px a CJK font draws it in). */
static int len_w(size_t n)
{
	return ((int)n * SVG_CW10 + 9) / 10;
}

static int text_w(const char *s)
{
	return len_w((size_t)text_width(s));
}

static void xml_text(FILE *out, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '&': fputs("&amp;", out); break;
		case '<': fputs("&lt;", out); break;
		case '>': fputs("&gt;", out); break;
		case '"': fputs("&quot;", out); break;
		case '\'': fputs("&apos;", out); break;
		default: fputc(*s, out); break;
		}
	}
}

static int note_w(const struct item *it)
{
	int w = text_w(it->line1);
	int w2 = text_w(it->line2);

	return (w > w2 ? w : w2) + 2 * SVG_PAD;
}

static int note_h(const struct item *it)
{
	return (it->line2[0] ? 2 : 1) * SVG_LH + 2 * SVG_PAD;
}

static int svg_item_h(const struct item *it)
{
	if (it->kind != IT_PACKET)
		return note_h(it) + 8;
	return it->from == it->to ? SVG_LH + 28 : SVG_LH + 18;
}

/* ---- the plan: what the head needs of all the items -------------------- */

void export_svg_plan_note(struct svg_plan *p, const struct item *it)
{
	int need = note_w(it) / 2 + 8;

	if (need > p->need[it->from])
		p->need[it->from] = need;
	p->body += svg_item_h(it);
}

void export_svg_plan_packets(struct svg_plan *p, int from, int to, long count,
			     size_t longest)
{
	/* an arrow to its own lifeline is drawn beside it, like a note */
	int need = len_w(longest) + 50;

	if (from == to && need > p->need[from])
		p->need[from] = need;
	p->body += count * (from == to ? SVG_LH + 28 : SVG_LH + 18);
}

int export_svg_plan_span(struct svg_plan *p, int from, int to, size_t len)
{
	if (len <= p->longest[from][to])
		return 0; /* the gaps fit a longer label already: they only grow */
	p->longest[from][to] = len;
	if (p->nspans == p->cap) {
		size_t cap = p->cap ? p->cap * 2 : 64;
		struct svg_span *s = realloc(p->spans, cap * sizeof *s);
		if (s == NULL)
			return -1;
		p->spans = s;
		p->cap = cap;
	}
	p->spans[p->nspans++] = (struct svg_span){from, to, len};
	return 0;
}

/* Lifeline x positions: wide enough apart for the notes centred on them
 * and for the labels of the arrows between them.  The width. */
static int svg_columns(const struct exporter *x, int *xs)
{
	const struct svg_plan *plan = &x->svg;
	int half[EXPORT_ACTORS_MAX] = {0}, gap[EXPORT_ACTORS_MAX] = {0};
	int width;

	for (int p = 0; p < x->nlines; p++) {
		int hw = text_w(x->actors[x->order[p]].name) + 24;
		half[p] = (hw < 90 ? 90 : hw) / 2;
		if (plan->need[x->order[p]] > half[p])
			half[p] = plan->need[x->order[p]];
	}
	for (int p = 0; p + 1 < x->nlines; p++) {
		gap[p] = half[p] + half[p + 1] + 24;
		if (gap[p] < SVG_GAP_MIN)
			gap[p] = SVG_GAP_MIN;
	}
	/* Gaps only grow, so one pass settles every arrow's span. */
	for (size_t i = 0; i < plan->nspans; i++) {
		int a = x->pos[plan->spans[i].from], b = x->pos[plan->spans[i].to], span = 0;
		int w = len_w(plan->spans[i].len);
		if (a > b) {
			int t = a;
			a = b;
			b = t;
		}
		for (int p = a; p < b; p++)
			span += gap[p];
		if (span < w + 40)
			gap[b - 1] += w + 40 - span;
	}
	xs[0] = SVG_LEFT + 16 + (x->nlines ? half[0] : 0);
	for (int p = 1; p < x->nlines; p++)
		xs[p] = xs[p - 1] + gap[p - 1];
	width = x->nlines ? xs[x->nlines - 1] + half[x->nlines - 1] + 16 : SVG_LEFT + 300;
	return width;
}

/* ---- writing ------------------------------------------------------------ */

/* y is a long: a recording of millions of items is millions of pixels
 * high (a viewer may not draw it all, but the file is well formed). */
static void svg_heads(const struct exporter *x, FILE *out, const int *xs, long y)
{
	for (int p = 0; p < x->nlines; p++) {
		const char *name = x->actors[x->order[p]].name;
		int w = text_w(name) + 24;
		if (w < 90)
			w = 90;
		fprintf(out, "<rect class=\"head\" x=\"%d\" y=\"%ld\" width=\"%d\" height=\"%d\" rx=\"4\"/>\n",
			xs[p] - w / 2, y, w, SVG_HEAD_H);
		fprintf(out, "<text class=\"headt\" x=\"%d\" y=\"%ld\" text-anchor=\"middle\">", xs[p],
			y + 20);
		xml_text(out, name);
		fputs("</text>\n", out);
	}
}

static void svg_note(FILE *out, const struct item *it, int cx, long y)
{
	int w = note_w(it), h = note_h(it);
	const char *cls = it->error ? "note err" : it->kind == IT_BLOCKED ? "note blk" : "note";

	fprintf(out, "<rect class=\"%s\" x=\"%d\" y=\"%ld\" width=\"%d\" height=\"%d\"/>\n", cls,
		cx - w / 2, y, w, h);
	fprintf(out, "<text class=\"%s\" x=\"%d\" y=\"%ld\">", it->error ? "t terr" : "t",
		cx - w / 2 + SVG_PAD, y + SVG_PAD + SVG_LH - 3);
	xml_text(out, it->line1);
	fputs("</text>\n", out);
	if (it->line2[0]) {
		fprintf(out, "<text class=\"t dim\" x=\"%d\" y=\"%ld\">", cx - w / 2 + SVG_PAD,
			y + SVG_PAD + 2 * SVG_LH - 3);
		xml_text(out, it->line2);
		fputs("</text>\n", out);
	}
}

static void svg_arrow(FILE *out, const struct item *it, int x1, int x2, long y)
{
	const char *name = pc_name[it->pc];
	long ly = y + SVG_LH + 6;

	if (x1 == x2) {
		fprintf(out, "<path class=\"a %s\" d=\"M%d %ld h40 v16 h-38\" marker-end=\"url(#h-%s)\"/>\n",
			name, x1, ly, name);
		fprintf(out, "<text class=\"t %s\" x=\"%d\" y=\"%ld\">", name, x1 + 6, y + SVG_LH - 3);
	} else {
		/* Stop short of the lifeline by the arrowhead's length. */
		fprintf(out, "<line class=\"a %s\" x1=\"%d\" y1=\"%ld\" x2=\"%d\" y2=\"%ld\" marker-end=\"url(#h-%s)\"/>\n",
			name, x1, ly, x2 > x1 ? x2 - 2 : x2 + 2, ly, name);
		fprintf(out, "<text class=\"t %s\" x=\"%d\" y=\"%ld\" text-anchor=\"middle\">", name,
			(x1 + x2) / 2, y + SVG_LH - 3);
	}
	xml_text(out, it->line1);
	fputs("</text>\n", out);
}

void export_svg_style(FILE *out)
{
	fputs("\n"
	      "text { font-family: 'DejaVu Sans Mono', Menlo, Consolas, monospace; font-size: 12px; white-space: pre; fill: #1f2328; }\n"
	      ".title { font-size: 14px; font-weight: bold; }\n"
	      ".headt { font-size: 13px; font-weight: bold; }\n"
	      ".head { fill: #ddf4ff; stroke: #0969da; stroke-width: 1.5; }\n"
	      ".life { stroke: #8c959f; stroke-width: 1; stroke-dasharray: 6 4; }\n"
	      ".note { fill: #fff8c5; stroke: #d4a72c; stroke-width: 1; }\n"
	      ".note.err { fill: #ffebe9; stroke: #cf222e; }\n"
	      ".note.blk { fill: #f6f8fa; stroke: #8c959f; stroke-dasharray: 4 3; }\n"
	      ".dim { fill: #57606a; }\n"
	      ".terr { fill: #a40e26; }\n"
	      ".time { font-size: 10px; fill: #8c959f; }\n"
	      ".a { fill: none; stroke-width: 1.5; }\n"
	      ".a.ack { stroke-dasharray: 5 3; }\n",
	      out);
	for (int c = 0; c < PC_COUNT; c++)
		fprintf(out, ".a.%s { stroke: %s; } text.%s { fill: %s; }\n", pc_name[c],
			pc_color[c], pc_name[c], pc_color[c]);
}

static void svg_head(struct exporter *x, FILE *out)
{
	struct svg_plan *plan = &x->svg;
	int width = svg_columns(x, plan->xs);
	int top = 36;

	plan->y = top + SVG_HEAD_H + 16;
	plan->height = plan->y + plan->body + 8 + SVG_HEAD_H + 12;
	if (!x->inline_svg) /* HTML has no XML declaration */
		fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n", out);
	fprintf(out, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%ld\" viewBox=\"0 0 %d %ld\">\n",
		width, plan->height, width, plan->height);
	fputs("<title>sockstep: ", out);
	xml_text(out, x->name);
	fputs("</title>\n<style>", out);
	export_svg_style(out);
	fputs("</style>\n<defs>\n", out);
	for (int c = 0; c < PC_COUNT; c++)
		fprintf(out, "<marker id=\"h-%s\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"8\" markerHeight=\"8\" orient=\"auto\"><path d=\"M0 0 L10 5 L0 10 z\" fill=\"%s\"/></marker>\n",
			pc_name[c], pc_color[c]);
	fputs("</defs>\n<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>\n", out);
	fputs("<text class=\"title\" x=\"12\" y=\"22\">sockstep: ", out);
	xml_text(out, x->name);
	fputs("</text>\n", out);

	for (int p = 0; p < x->nlines; p++)
		fprintf(out, "<line class=\"life\" x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%ld\"/>\n",
			plan->xs[p], top + SVG_HEAD_H, plan->xs[p], plan->height - 12 - SVG_HEAD_H);
	svg_heads(x, out, plan->xs, top);
}

static void svg_item(struct exporter *x, const struct item *it, FILE *out)
{
	struct svg_plan *plan = &x->svg;
	char t[32];

	snprintf(t, sizeof t, "%.4f", it->t);
	for (char *p = t; *p; p++)
		if (*p == ',') /* a locale's decimal comma */
			*p = '.';
	fprintf(out, "<text class=\"time\" x=\"8\" y=\"%ld\">%s</text>\n", plan->y + SVG_LH, t);
	if (it->kind == IT_PACKET)
		svg_arrow(out, it, plan->xs[x->pos[it->from]], plan->xs[x->pos[it->to]], plan->y);
	else
		svg_note(out, it, plan->xs[x->pos[it->from]], plan->y);
	plan->y += svg_item_h(it);
}

static void svg_tail(struct exporter *x, FILE *out)
{
	svg_heads(x, out, x->svg.xs, x->svg.height - 12 - SVG_HEAD_H);
	fputs("</svg>\n", out);
}

const struct export_writer *export_svg_writer(void)
{
	static const struct export_writer w = {svg_head, svg_item, svg_tail};

	return &w;
}
