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
#include "sockstep/export_model.h"
#include "sockstep/jsonl.h"
#include "sockstep/tracefile.h"
#include "sockstep/output.h"

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))


static const char *const format_names[] = {
	[EXPORT_MERMAID] = "mermaid",
	[EXPORT_PLANTUML] = "plantuml",
	[EXPORT_SVG] = "svg",
	[EXPORT_HTML] = "html",
};

int export_fail(char *err, size_t errsz, const char *fmt, ...)
{
	va_list ap;

	if (err && errsz) {
		va_start(ap, fmt);
		vsnprintf(err, errsz, fmt, ap);
		va_end(ap);
	}
	return -1;
}

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
			return export_fail(err, errsz, "%s: more than %d events to draw; narrow it with --filter",
				    x->name, EXPORT_ITEMS_MAX);
		if (cap > EXPORT_ITEMS_MAX)
			cap = EXPORT_ITEMS_MAX;
		p = realloc(x->evs, cap * sizeof *p);
		if (p == NULL)
			return export_fail(err, errsz, "%s: out of memory", x->name);
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
			return export_fail(err, errsz, "%s:%ld: more than %d actors", x->name,
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
	/* the streamed path hands a stack item: no field left from before */
	memset(it, 0, sizeof *it);
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
			return export_fail(err, errsz, "%s: more than %d actors", x->name,
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
		return export_fail(err, errsz, "%s: out of memory", x->name);
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
			return export_fail(err, errsz, "%s: more than %d actors", x->name,
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
		return export_fail(err, errsz, "out of memory");
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
		export_write_svg(x, out);
	return 0;
}

int export_trace(FILE *in, const char *name, enum export_format fmt,
		 const struct filter *f, FILE *out, char *err, size_t errsz)
{
	struct exporter *x;
	char clean[256];
	int rc;

	if (fmt == EXPORT_HTML)
		return export_fail(err, errsz, "a page is not a diagram: export_html writes it");
	x = calloc(1, sizeof *x);
	if (x == NULL)
		return export_fail(err, errsz, "out of memory");
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
		rc = export_fail(err, errsz, "cannot write the diagram: %s", strerror(errno));
	free(x->evs);
	free(x->items);
	free(x);
	return rc;
}
