/*
 * export: a JSONL trace as a Mermaid, PlantUML or SVG sequence diagram.
 *
 * Two passes over the events kept in memory: first every call tells us
 * which actor owns which address (a packet only carries addresses), then
 * each kept event becomes an item (a note on one lifeline or an arrow
 * between two) with its label, and the items are written in time order by
 * one of three small writers.  Labels are built as plain ASCII text once;
 * each writer escapes that text for its own syntax.
 */
#include "sockstep/export.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sockstep/addr.h"
#include "sockstep/jsonl.h"
#include "sockstep/tracefile.h"
#include "sockstep/output.h"

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

#define LABEL_MAX 240
#define MAP_MAX 512
/* An address nobody in the trace owns (a peer sockstep did not run, such
 * as nc talking to `sockstep server`) gets this lifeline. */
#define REMOTE_NAME "remote"

enum item_kind { IT_CALL, IT_BLOCKED, IT_PACKET };

/* Packet arrows are coloured by what the segment does. */
enum pkt_class { PC_SYN, PC_FIN, PC_RST, PC_DATA, PC_ACK, PC_COUNT };

struct item {
	enum item_kind kind;
	double t;
	size_t seq; /* position in the trace: keeps the sort stable */
	int from, to; /* actor indexes; equal for notes */
	int error;    /* a failed call */
	enum pkt_class pc;
	char line1[LABEL_MAX];
	char line2[LABEL_MAX]; /* "" for one-line labels */
};

struct actor {
	char name[SS_NAME_MAX];
	int used; /* has an item: gets a lifeline */
};

struct owner {
	char local[SS_ADDR_MAX];
	char peer[SS_ADDR_MAX];
	int actor;
};

struct exporter {
	const char *name;
	struct actor actors[EXPORT_ACTORS_MAX];
	int nactors;
	struct owner map[MAP_MAX];
	int nmap;
	struct ss_event *evs; /* kept events, in trace order */
	size_t nevs, cap;
	struct item *items;
	size_t nitems;
	int order[EXPORT_ACTORS_MAX]; /* lifeline position -> actor */
	int pos[EXPORT_ACTORS_MAX];   /* actor -> lifeline position */
	int nlines;
};

static int fail(char *err, size_t errsz, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static int fail(char *err, size_t errsz, const char *fmt, ...)
{
	va_list ap;

	if (err && errsz) {
		va_start(ap, fmt);
		vsnprintf(err, errsz, fmt, ap);
		va_end(ap);
	}
	return -1;
}

static const char *const format_names[] = {
	[EXPORT_MERMAID] = "mermaid",
	[EXPORT_PLANTUML] = "plantuml",
	[EXPORT_SVG] = "svg",
	[EXPORT_HTML] = "html",
};

int export_format_from_name(const char *name)
{
	for (size_t i = 0; name && i < ARRAY_LEN(format_names); i++)
		if (strcmp(format_names[i], name) == 0)
			return (int)i;
	return -1;
}

/* ---- actors and who owns an address ---------------------------------- */

static void ascii_clean(char *s, size_t size);

static int actor_index(struct exporter *x, const char *raw)
{
	char name[LABEL_MAX];

	/* A name is trace text like any label: no control byte may reach a
	 * diagram (XML 1.0 forbids most of them outright). */
	snprintf(name, sizeof name, "%s", raw[0] ? raw : REMOTE_NAME);
	ascii_clean(name, SS_NAME_MAX);
	for (int i = 0; i < x->nactors; i++)
		if (strcmp(x->actors[i].name, name) == 0)
			return i;
	if (x->nactors == EXPORT_ACTORS_MAX)
		return -1;
	memcpy(x->actors[x->nactors].name, name, SS_NAME_MAX); /* cleaned to fit */
	return x->nactors++;
}

static void map_add(struct exporter *x, const char *local, const char *peer, int actor)
{
	for (int i = 0; i < x->nmap; i++)
		if (strcmp(x->map[i].local, local) == 0 && strcmp(x->map[i].peer, peer) == 0)
			return;
	if (x->nmap == MAP_MAX)
		return;
	snprintf(x->map[x->nmap].local, SS_ADDR_MAX, "%s", local);
	snprintf(x->map[x->nmap].peer, SS_ADDR_MAX, "%s", peer);
	x->map[x->nmap++].actor = actor;
}

static int is_wildcard(const char *addr)
{
	struct ss_addr a;

	return addr_parse(&a, addr, ADDR_NAMES, NULL, 0) == 0 && addr_is_any(&a);
}

/* The actor whose socket has local address addr talking to other: the
 * exact 4-tuple first (two actors may share a port with SO_REUSEPORT),
 * then any socket bound to addr, then a listener bound to 0.0.0.0:port. */
static int map_owner(const struct exporter *x, const char *addr, const char *other)
{
	int port = event_addr_port(addr);

	for (int i = 0; i < x->nmap; i++)
		if (strcmp(x->map[i].local, addr) == 0 && strcmp(x->map[i].peer, other) == 0)
			return x->map[i].actor;
	for (int i = 0; i < x->nmap; i++)
		if (strcmp(x->map[i].local, addr) == 0)
			return x->map[i].actor;
	for (int i = 0; port >= 0 && i < x->nmap; i++)
		if (is_wildcard(x->map[i].local) && event_addr_port(x->map[i].local) == port)
			return x->map[i].actor;
	return -1;
}

/* Servers on the left, clients on the right, as the UI draws them.  The
 * unknown remote peer is the other side of whoever is traced: a client
 * beside a server (nc talking to `sockstep server`), else a server. */
static int actor_rank(const struct exporter *x, const char *name)
{
	if (strcmp(name, REMOTE_NAME) == 0) {
		for (int i = 0; i < x->nactors; i++)
			if (x->actors[i].used && strncmp(x->actors[i].name, "server", 6) == 0)
				return 2;
		return 0;
	}
	if (strncmp(name, "server", 6) == 0)
		return 0;
	if (strncmp(name, "client", 6) == 0)
		return 2;
	return 1;
}

static void order_lifelines(struct exporter *x)
{
	x->nlines = 0;
	for (int rank = 0; rank <= 2; rank++)
		for (int i = 0; i < x->nactors; i++)
			if (x->actors[i].used && actor_rank(x, x->actors[i].name) == rank) {
				x->pos[i] = x->nlines;
				x->order[x->nlines++] = i;
			}
}

/* ---- labels ------------------------------------------------------------ */

/* Trace strings may hold any byte after JSON decoding: keep printable
 * ASCII, write the rest as \xNN so every writer sees plain ASCII. */
static void ascii_clean(char *s, size_t size)
{
	char tmp[LABEL_MAX];
	size_t n = 0;

	for (const unsigned char *p = (const unsigned char *)s; *p && n + 5 < sizeof tmp; p++) {
		if (*p >= 0x20 && *p < 0x7f)
			tmp[n++] = (char)*p;
		else
			n += (size_t)snprintf(tmp + n, sizeof tmp - n, "\\x%02x", *p);
	}
	tmp[n] = '\0';
	snprintf(s, size, "%s", tmp);
}


static void append(char *out, size_t outsz, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void append(char *out, size_t outsz, const char *fmt, ...)
{
	size_t used = strlen(out);
	va_list ap;

	if (used + 1 >= outsz)
		return;
	va_start(ap, fmt);
	vsnprintf(out + used, outsz - used, fmt, ap);
	va_end(ap);
}

static void call_item(const struct ss_event *ev, struct item *it)
{
	const struct ss_call_event *c = &ev->u.call;

	if (ev->kind == SS_EV_BLOCKED) {
		char call[160];
		output_call_text(ev, call, sizeof call);
		snprintf(it->line1, LABEL_MAX, "%s ... blocked in the kernel", call);
	} else {
		output_call_line(ev, it->line1, LABEL_MAX);
		it->error = c->ret < 0;
	}
	/* What the kernel said about the socket: fd, 4-tuple, state, queue.
	 * accept() acts on the listener but returns a new socket, and the
	 * 4-tuple is the new one's: it goes beside the new fd. */
	it->line2[0] = '\0';
	if (strcmp(c->name, "accept") == 0 && c->fd >= 0 && c->ret >= 0 &&
	    ev->kind == SS_EV_CALL)
		append(it->line2, LABEL_MAX, "listener fd %d  new fd %ld", c->fd, c->ret);
	else if (c->fd >= 0)
		append(it->line2, LABEL_MAX, "fd %d", c->fd);
	if (c->local[0])
		append(it->line2, LABEL_MAX, "%slocal %s", it->line2[0] ? "  " : "", c->local);
	if (c->peer[0])
		append(it->line2, LABEL_MAX, "%speer %s", it->line2[0] ? "  " : "", c->peer);
	if (c->state >= 0)
		append(it->line2, LABEL_MAX, "%s%s", it->line2[0] ? "  " : "",
		       event_tcp_state_name(c->state));
	if (c->queue >= 0)
		append(it->line2, LABEL_MAX, "%s%squeue %d/%d", it->line2[0] ? "  " : "",
		       strcmp(c->name, "accept") == 0 ? "listener " : "", c->queue,
		       c->backlog);
	ascii_clean(it->line1, LABEL_MAX);
	ascii_clean(it->line2, LABEL_MAX);
}

/* tcpdump's way: "S seq 0", "S. seq 0 ack 1", "P. 1:2 ack 1 len 1",
 * ". ack 1", "F. seq 19 ack 2"; then the ports, to tell connections apart. */
static void packet_item(const struct ss_event *ev, struct item *it)
{
	const struct ss_packet_event *p = &ev->u.pkt;
	int sport = event_addr_port(p->src), dport = event_addr_port(p->dst);
	int syn_fin_rst = strpbrk(p->flags, "SFR") != NULL;

	snprintf(it->line1, LABEL_MAX, "%s", p->flags[0] ? p->flags : "?");
	if (p->len > 0)
		append(it->line1, LABEL_MAX, " %u:%u", p->rel_seq, p->rel_seq + (uint32_t)p->len);
	else if (syn_fin_rst)
		append(it->line1, LABEL_MAX, " seq %u", p->rel_seq);
	if (strchr(p->flags, '.'))
		append(it->line1, LABEL_MAX, " ack %u", p->rel_ack);
	if (p->len > 0)
		append(it->line1, LABEL_MAX, " len %d", p->len);
	if (sport >= 0 && dport >= 0)
		append(it->line1, LABEL_MAX, "  (%d to %d)", sport, dport);
	ascii_clean(it->line1, LABEL_MAX);
	it->line2[0] = '\0';
	it->pc = strchr(p->flags, 'R') ? PC_RST
		 : strchr(p->flags, 'S') ? PC_SYN
		 : strchr(p->flags, 'F') ? PC_FIN
		 : p->len > 0		 ? PC_DATA
					 : PC_ACK;
}

/* ---- reading ------------------------------------------------------------ */

static int keep_event(struct exporter *x, const struct ss_event *ev, char *err, size_t errsz)
{
	if (x->nevs == x->cap) {
		size_t cap = x->cap ? x->cap * 2 : 256;
		struct ss_event *p;
		if (x->nevs == EXPORT_ITEMS_MAX)
			return fail(err, errsz, "%s: more than %d events to draw; narrow it with --filter",
				    x->name, EXPORT_ITEMS_MAX);
		if (cap > EXPORT_ITEMS_MAX)
			cap = EXPORT_ITEMS_MAX;
		p = realloc(x->evs, cap * sizeof *p);
		if (p == NULL)
			return fail(err, errsz, "%s: out of memory", x->name);
		x->evs = p;
		x->cap = cap;
	}
	x->evs[x->nevs++] = *ev;
	return 0;
}

struct reading {
	struct exporter *x;
	const struct filter *f;
};

/* Learn an event's actor and 4-tuple.  0, or -1 with err. */
static int learn(struct exporter *x, const struct ss_event *ev, long lineno, char *err,
		 size_t errsz)
{
	if (ev->kind == SS_EV_CALL || ev->kind == SS_EV_BLOCKED) {
		int a = actor_index(x, ev->actor);
		if (a < 0)
			return fail(err, errsz, "%s:%ld: more than %d actors", x->name,
				    lineno, EXPORT_ACTORS_MAX);
		if (ev->kind == SS_EV_CALL && ev->u.call.local[0])
			map_add(x, ev->u.call.local, ev->u.call.peer, a);
	}
	return 0;
}

/* 1 if the event becomes an item of the diagram. */
static int drawn(const struct filter *f, const struct ss_event *ev)
{
	return (ev->kind == SS_EV_CALL || ev->kind == SS_EV_BLOCKED ||
		ev->kind == SS_EV_PACKET) && filter_match(f, ev);
}

/* One event of the trace: learn its actor and 4-tuple, keep it if shown. */
static int take_event(void *ctx, const struct ss_event *ev, long lineno,
		      char *err, size_t errsz)
{
	struct reading *r = ctx;

	if (learn(r->x, ev, lineno, err, errsz) < 0)
		return -1;
	if (drawn(r->f, ev) && keep_event(r->x, ev, err, errsz) < 0)
		return -1;
	return 0;
}

static int read_trace(struct exporter *x, FILE *in, const struct filter *f, char *err,
		      size_t errsz)
{
	struct reading r = {x, f};

	return tracefile_read(in, x->name, take_event, &r, err, errsz);
}

static int item_cmp(const void *a, const void *b)
{
	const struct item *x = a, *y = b;

	if (x->t != y->t)
		return x->t < y->t ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* The item of one kept event: 1, 0 for traffic between strangers
 * (nowhere to draw it), or -1 with err. */
static int make_item(struct exporter *x, const struct ss_event *ev, size_t seq,
		     struct item *it, char *err, size_t errsz)
{
	it->t = ev->t;
	it->seq = seq;
	if (ev->kind == SS_EV_PACKET) {
		it->kind = IT_PACKET;
		it->from = map_owner(x, ev->u.pkt.src, ev->u.pkt.dst);
		it->to = map_owner(x, ev->u.pkt.dst, ev->u.pkt.src);
		if (it->from < 0 && it->to < 0)
			return 0;
		if (it->from < 0)
			it->from = actor_index(x, REMOTE_NAME);
		if (it->to < 0)
			it->to = actor_index(x, REMOTE_NAME);
		if (it->from < 0 || it->to < 0)
			return fail(err, errsz, "%s: more than %d actors", x->name,
				    EXPORT_ACTORS_MAX);
		packet_item(ev, it);
	} else {
		it->kind = ev->kind == SS_EV_BLOCKED ? IT_BLOCKED : IT_CALL;
		it->from = it->to = actor_index(x, ev->actor);
		call_item(ev, it);
	}
	x->actors[it->from].used = x->actors[it->to].used = 1;
	return 1;
}

static int build_items(struct exporter *x, char *err, size_t errsz)
{
	x->items = calloc(x->nevs ? x->nevs : 1, sizeof *x->items);
	if (x->items == NULL)
		return fail(err, errsz, "%s: out of memory", x->name);
	for (size_t i = 0; i < x->nevs; i++) {
		int rc = make_item(x, &x->evs[i], i, &x->items[x->nitems], err, errsz);
		if (rc < 0)
			return -1;
		x->nitems += (size_t)rc;
	}
	/* Packets are stamped by libpcap and calls by the actors: one clock,
	 * but two sources, so put them in time order here. */
	qsort(x->items, x->nitems, sizeof *x->items, item_cmp);
	order_lifelines(x);
	return 0;
}

/* ---- Mermaid ------------------------------------------------------------ */

/* Mermaid reads ; and # as syntax, <...> as HTML, and a few more in
 * places; its entity codes (#59;) are decoded only when drawing, so every
 * character that is not plainly text is written as one. */
static void mermaid_text(FILE *out, const char *s)
{
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		    strchr(" .,:()/_=+?!@$", c) != NULL)
			fputc(c, out);
		else
			fprintf(out, "#%d;", c);
	}
}

static void mermaid_label(FILE *out, const struct item *it)
{
	mermaid_text(out, it->line1);
	if (it->line2[0]) {
		fputs("<br/>", out);
		mermaid_text(out, it->line2);
	}
}

static void mermaid_head(const struct exporter *x, FILE *out)
{
	fputs("sequenceDiagram\n    title sockstep: ", out);
	mermaid_text(out, x->name);
	fputc('\n', out);
	for (int p = 0; p < x->nlines; p++) {
		fprintf(out, "    participant A%d as ", x->order[p]);
		mermaid_text(out, x->actors[x->order[p]].name);
		fputc('\n', out);
	}
}

static void mermaid_item(FILE *out, const struct item *it)
{
	if (it->kind == IT_PACKET) {
		fprintf(out, "    A%d%s>>A%d: ", it->from, it->pc == PC_ACK ? "--" : "-", it->to);
	} else {
		if (it->error)
			fputs("    rect rgb(255, 221, 221)\n    ", out);
		fprintf(out, "    Note over A%d: ", it->from);
	}
	mermaid_label(out, it);
	fputc('\n', out);
	if (it->kind != IT_PACKET && it->error)
		fputs("    end\n", out);
}

static void write_mermaid(const struct exporter *x, FILE *out)
{
	mermaid_head(x, out);
	for (size_t i = 0; i < x->nitems; i++)
		mermaid_item(out, &x->items[i]);
}

/* ---- PlantUML ----------------------------------------------------------- */

/* PlantUML reads creole markup (**, //, --, __, ""), <tags>, [[links]],
 * and \n in labels.  Numeric entities (&#42;) are decoded after markup
 * but backslash cannot be one (PlantUML 1.2020 throws on &#92;), so a
 * backslash is doubled instead. */
static void plantuml_text(FILE *out, const char *s)
{
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		    strchr(" .,:()?+$", c) != NULL)
			fputc(c, out);
		else if (c == '\\')
			fputs("\\\\", out);
		else
			fprintf(out, "&#%d;", c);
	}
}

static void plantuml_label(FILE *out, const struct item *it)
{
	plantuml_text(out, it->line1);
	if (it->line2[0]) {
		fputs("\\n", out);
		plantuml_text(out, it->line2);
	}
}

static void plantuml_head(const struct exporter *x, FILE *out)
{
	fputs("@startuml\ntitle sockstep: ", out);
	plantuml_text(out, x->name);
	fputs("\nskinparam defaultFontName monospace\n", out);
	for (int p = 0; p < x->nlines; p++) {
		fputs("participant \"", out);
		plantuml_text(out, x->actors[x->order[p]].name);
		fprintf(out, "\" as A%d\n", x->order[p]);
	}
}

static void plantuml_item(FILE *out, const struct item *it)
{
	if (it->kind == IT_PACKET)
		fprintf(out, "A%d %s> A%d : ", it->from, it->pc == PC_ACK ? "--" : "-", it->to);
	else
		fprintf(out, "note over A%d%s : ", it->from,
			it->error ? " #FFDDDD" : it->kind == IT_BLOCKED ? " #EEEEEE" : "");
	plantuml_label(out, it);
	fputc('\n', out);
}

static void write_plantuml(const struct exporter *x, FILE *out)
{
	plantuml_head(x, out);
	for (size_t i = 0; i < x->nitems; i++)
		plantuml_item(out, &x->items[i]);
	fputs("@enduml\n", out);
}

/* ---- SVG ------------------------------------------------------------------ */

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

static int text_w(const char *s)
{
	return ((int)strlen(s) * SVG_CW10 + 9) / 10;
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

/* Lifeline x positions: wide enough apart for the notes centred on them
 * and for the labels of the arrows between them. */
static int svg_columns(const struct exporter *x, int *xs)
{
	int half[EXPORT_ACTORS_MAX] = {0}, gap[EXPORT_ACTORS_MAX] = {0};
	int width;

	for (int p = 0; p < x->nlines; p++) {
		int hw = text_w(x->actors[x->order[p]].name) + 24;
		half[p] = (hw < 90 ? 90 : hw) / 2;
	}
	for (size_t i = 0; i < x->nitems; i++) {
		const struct item *it = &x->items[i];
		int p = x->pos[it->from];
		int need = it->kind == IT_PACKET ? text_w(it->line1) + 50 : note_w(it) / 2 + 8;
		if ((it->kind != IT_PACKET || it->from == it->to) && need > half[p])
			half[p] = need;
	}
	for (int p = 0; p + 1 < x->nlines; p++) {
		gap[p] = half[p] + half[p + 1] + 24;
		if (gap[p] < SVG_GAP_MIN)
			gap[p] = SVG_GAP_MIN;
	}
	/* Gaps only grow, so one pass settles every arrow's span. */
	for (size_t i = 0; i < x->nitems; i++) {
		const struct item *it = &x->items[i];
		int a = x->pos[it->from], b = x->pos[it->to], span = 0;
		if (it->kind != IT_PACKET || a == b)
			continue;
		if (a > b) {
			int t = a;
			a = b;
			b = t;
		}
		for (int p = a; p < b; p++)
			span += gap[p];
		if (span < text_w(it->line1) + 40)
			gap[b - 1] += text_w(it->line1) + 40 - span;
	}
	xs[0] = SVG_LEFT + 16 + (x->nlines ? half[0] : 0);
	for (int p = 1; p < x->nlines; p++)
		xs[p] = xs[p - 1] + gap[p - 1];
	width = x->nlines ? xs[x->nlines - 1] + half[x->nlines - 1] + 16 : SVG_LEFT + 300;
	return width;
}

static int svg_item_h(const struct item *it)
{
	if (it->kind != IT_PACKET)
		return note_h(it) + 8;
	return it->from == it->to ? SVG_LH + 28 : SVG_LH + 18;
}

static void svg_heads(const struct exporter *x, FILE *out, const int *xs, int y)
{
	for (int p = 0; p < x->nlines; p++) {
		const char *name = x->actors[x->order[p]].name;
		int w = text_w(name) + 24;
		if (w < 90)
			w = 90;
		fprintf(out, "<rect class=\"head\" x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" rx=\"4\"/>\n",
			xs[p] - w / 2, y, w, SVG_HEAD_H);
		fprintf(out, "<text class=\"headt\" x=\"%d\" y=\"%d\" text-anchor=\"middle\">", xs[p],
			y + 20);
		xml_text(out, name);
		fputs("</text>\n", out);
	}
}

static void svg_note(FILE *out, const struct item *it, int cx, int y)
{
	int w = note_w(it), h = note_h(it);
	const char *cls = it->error ? "note err" : it->kind == IT_BLOCKED ? "note blk" : "note";

	fprintf(out, "<rect class=\"%s\" x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\"/>\n", cls,
		cx - w / 2, y, w, h);
	fprintf(out, "<text class=\"%s\" x=\"%d\" y=\"%d\">", it->error ? "t terr" : "t",
		cx - w / 2 + SVG_PAD, y + SVG_PAD + SVG_LH - 3);
	xml_text(out, it->line1);
	fputs("</text>\n", out);
	if (it->line2[0]) {
		fprintf(out, "<text class=\"t dim\" x=\"%d\" y=\"%d\">", cx - w / 2 + SVG_PAD,
			y + SVG_PAD + 2 * SVG_LH - 3);
		xml_text(out, it->line2);
		fputs("</text>\n", out);
	}
}

static void svg_arrow(FILE *out, const struct item *it, int x1, int x2, int y)
{
	const char *name = pc_name[it->pc];
	int ly = y + SVG_LH + 6;

	if (x1 == x2) {
		fprintf(out, "<path class=\"a %s\" d=\"M%d %d h40 v16 h-38\" marker-end=\"url(#h-%s)\"/>\n",
			name, x1, ly, name);
		fprintf(out, "<text class=\"t %s\" x=\"%d\" y=\"%d\">", name, x1 + 6, y + SVG_LH - 3);
	} else {
		/* Stop short of the lifeline by the arrowhead's length. */
		fprintf(out, "<line class=\"a %s\" x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" marker-end=\"url(#h-%s)\"/>\n",
			name, x1, ly, x2 > x1 ? x2 - 2 : x2 + 2, ly, name);
		fprintf(out, "<text class=\"t %s\" x=\"%d\" y=\"%d\" text-anchor=\"middle\">", name,
			(x1 + x2) / 2, y + SVG_LH - 3);
	}
	xml_text(out, it->line1);
	fputs("</text>\n", out);
}

static void write_svg(const struct exporter *x, FILE *out)
{
	int xs[EXPORT_ACTORS_MAX];
	int width = svg_columns(x, xs);
	int top = 36, y, height;

	y = top + SVG_HEAD_H + 16;
	for (size_t i = 0; i < x->nitems; i++)
		y += svg_item_h(&x->items[i]);
	height = y + 8 + SVG_HEAD_H + 12;

	fprintf(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		     "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\">\n",
		width, height, width, height);
	fputs("<title>sockstep: ", out);
	xml_text(out, x->name);
	fputs("</title>\n<style>\n"
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
	fputs("</style>\n<defs>\n", out);
	for (int c = 0; c < PC_COUNT; c++)
		fprintf(out, "<marker id=\"h-%s\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"8\" markerHeight=\"8\" orient=\"auto\"><path d=\"M0 0 L10 5 L0 10 z\" fill=\"%s\"/></marker>\n",
			pc_name[c], pc_color[c]);
	fputs("</defs>\n<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>\n", out);
	fputs("<text class=\"title\" x=\"12\" y=\"22\">sockstep: ", out);
	xml_text(out, x->name);
	fputs("</text>\n", out);

	for (int p = 0; p < x->nlines; p++)
		fprintf(out, "<line class=\"life\" x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\"/>\n", xs[p],
			top + SVG_HEAD_H, xs[p], height - 12 - SVG_HEAD_H);
	svg_heads(x, out, xs, top);

	y = top + SVG_HEAD_H + 16;
	for (size_t i = 0; i < x->nitems; i++) {
		const struct item *it = &x->items[i];
		char t[32];

		snprintf(t, sizeof t, "%.4f", it->t);
		for (char *p = t; *p; p++)
			if (*p == ',') /* a locale's decimal comma */
				*p = '.';
		fprintf(out, "<text class=\"time\" x=\"8\" y=\"%d\">%s</text>\n", y + SVG_LH, t);
		if (it->kind == IT_PACKET)
			svg_arrow(out, it, xs[x->pos[it->from]], xs[x->pos[it->to]], y);
		else
			svg_note(out, it, xs[x->pos[it->from]], y);
		y += svg_item_h(it);
	}
	svg_heads(x, out, xs, height - 12 - SVG_HEAD_H);
	fputs("</svg>\n", out);
}

/* ---- streaming: Mermaid and PlantUML of a recording of any length ------ */

/* Text diagrams are written item by item, so a seekable input is read
 * twice and nothing is kept: first the actors, the address owners and
 * the packets' distinct address pairs (resolved once the owners are all
 * known, to declare exactly the lifelines used), then each item written
 * as it is read.  That needs the drawn events in time order, as sockstep
 * records them; otherwise (or past PAIRS_MAX pairs) the diagram is drawn
 * from memory, within EXPORT_ITEMS_MAX. */
#define PAIRS_MAX 256

struct survey {
	struct exporter *x;
	const struct filter *f;
	double last_t;
	int unstreamable, npairs;
	char pairs[PAIRS_MAX][2][SS_ADDR_MAX];
};

static int survey_event(void *ctx, const struct ss_event *ev, long lineno, char *err,
			size_t errsz)
{
	struct survey *sv = ctx;
	int i;

	if (learn(sv->x, ev, lineno, err, errsz) < 0)
		return -1;
	if (!drawn(sv->f, ev))
		return 0;
	sv->unstreamable |= ev->t < sv->last_t;
	sv->last_t = ev->t;
	if (ev->kind != SS_EV_PACKET) {
		sv->x->actors[actor_index(sv->x, ev->actor)].used = 1; /* learnt */
		return 0;
	}
	for (i = 0; i < sv->npairs; i++)
		if (strcmp(sv->pairs[i][0], ev->u.pkt.src) == 0 &&
		    strcmp(sv->pairs[i][1], ev->u.pkt.dst) == 0)
			return 0;
	if (sv->npairs == PAIRS_MAX) {
		sv->unstreamable = 1;
		return 0;
	}
	snprintf(sv->pairs[i][0], SS_ADDR_MAX, "%s", ev->u.pkt.src);
	snprintf(sv->pairs[i][1], SS_ADDR_MAX, "%s", ev->u.pkt.dst);
	sv->npairs++;
	return 0;
}

/* The lifelines the packets use, as make_item will find them. */
static int survey_packets(struct survey *sv, char *err, size_t errsz)
{
	struct exporter *x = sv->x;

	for (int i = 0; i < sv->npairs; i++) {
		int from = map_owner(x, sv->pairs[i][0], sv->pairs[i][1]);
		int to = map_owner(x, sv->pairs[i][1], sv->pairs[i][0]);
		if (from < 0 && to < 0)
			continue;
		if (from < 0)
			from = actor_index(x, REMOTE_NAME);
		if (to < 0)
			to = actor_index(x, REMOTE_NAME);
		if (from < 0 || to < 0)
			return fail(err, errsz, "%s: more than %d actors", x->name,
				    EXPORT_ACTORS_MAX);
		x->actors[from].used = x->actors[to].used = 1;
	}
	return 0;
}

struct drawing {
	struct exporter *x;
	const struct filter *f;
	enum export_format fmt;
	FILE *out;
	size_t seq;
};

static int draw_event(void *ctx, const struct ss_event *ev, long lineno, char *err,
		      size_t errsz)
{
	struct drawing *d = ctx;
	struct item it;
	int rc;

	if (!drawn(d->f, ev))
		return 0;
	rc = make_item(d->x, ev, d->seq++, &it, err, errsz);
	if (rc == 1 && d->fmt == EXPORT_MERMAID)
		mermaid_item(d->out, &it);
	else if (rc == 1)
		plantuml_item(d->out, &it);
	return rc < 0 ? -1 : 0;
}

/* 0 written, 1 not streamable (in rewound: draw from memory), -1 err. */
static int stream_text(struct exporter *x, FILE *in, enum export_format fmt,
		       const struct filter *f, FILE *out, char *err, size_t errsz)
{
	struct survey *sv = calloc(1, sizeof *sv);
	struct drawing d = {x, f, fmt, out, 0};
	long start = ftell(in);
	int rc;

	if (sv == NULL)
		return fail(err, errsz, "out of memory");
	sv->x = x;
	sv->f = f;
	rc = tracefile_read(in, x->name, survey_event, sv, err, errsz);
	if (rc == 0)
		rc = survey_packets(sv, err, errsz);
	if (rc == 0 && (sv->unstreamable || fseek(in, start, SEEK_SET) != 0))
		rc = 1;
	free(sv);
	if (rc != 0) {
		for (int i = 0; i < x->nactors; i++)
			x->actors[i].used = 0;
		return rc < 0 || fseek(in, start, SEEK_SET) != 0 ? -1 : 1;
	}
	order_lifelines(x);
	if (fmt == EXPORT_MERMAID)
		mermaid_head(x, out);
	else
		plantuml_head(x, out);
	if (tracefile_read(in, x->name, draw_event, &d, err, errsz) < 0)
		return -1;
	if (fmt == EXPORT_PLANTUML)
		fputs("@enduml\n", out);
	return 0;
}

/* ---- entry points ---------------------------------------------------------- */

static int draw_from_memory(struct exporter *x, FILE *in, enum export_format fmt,
			    const struct filter *f, FILE *out, char *err, size_t errsz)
{
	if (read_trace(x, in, f, err, errsz) < 0 || build_items(x, err, errsz) < 0)
		return -1;
	if (fmt == EXPORT_MERMAID)
		write_mermaid(x, out);
	else if (fmt == EXPORT_PLANTUML)
		write_plantuml(x, out);
	else
		write_svg(x, out);
	return 0;
}

int export_trace(FILE *in, const char *name, enum export_format fmt,
		 const struct filter *f, FILE *out, char *err, size_t errsz)
{
	struct exporter *x;
	char clean[256];
	int rc;

	if (fmt == EXPORT_HTML)
		return fail(err, errsz, "a page is not a diagram: export_html writes it");
	x = calloc(1, sizeof *x);
	if (x == NULL)
		return fail(err, errsz, "out of memory");
	snprintf(clean, sizeof clean, "%s", name ? name : "trace");
	ascii_clean(clean, sizeof clean);
	x->name = clean;
	/* text from a seekable file: streamed; else (or if the events are
	 * not in time order) drawn from memory */
	rc = fmt != EXPORT_SVG && ftell(in) >= 0 ? stream_text(x, in, fmt, f, out, err, errsz)
						 : 1;
	if (rc == 1)
		rc = draw_from_memory(x, in, fmt, f, out, err, errsz);
	if (rc == 0 && (fflush(out) != 0 || ferror(out)))
		rc = fail(err, errsz, "cannot write the diagram: %s", strerror(errno));
	free(x->evs);
	free(x->items);
	free(x);
	return rc;
}
