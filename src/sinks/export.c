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
#include "sockstep/escape.h"
#include "sockstep/i18n.h"
#include "sockstep/textwidth.h"
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

static void label_clean(char *s, size_t size);

static int actor_index(struct exporter *x, const char *raw)
{
	char name[LABEL_MAX];

	/* A name is trace text like any label: no control byte may reach a
	 * diagram (XML 1.0 forbids most of them outright). */
	snprintf(name, sizeof name, "%s", raw[0] ? raw : REMOTE_NAME);
	label_clean(name, SS_NAME_MAX);
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
 * ASCII and the characters escape_text keeps (a Chinese label), write
 * the rest as \xNN, so every writer sees text without a control byte.
 * A backslash stays single: a call's line has escaped its data already. */
static void label_clean(char *s, size_t size)
{
	char tmp[LABEL_MAX];
	size_t n = 0, room = size - 1;

	for (const unsigned char *p = (const unsigned char *)s; *p && n + 5 < sizeof tmp;) {
		size_t k = escape_text_char((const char *)p);
		char esc[8];
		const void *src = p;
		if (k == 0 && *p >= 0x20 && *p < 0x7f) {
			k = 1;
		} else if (k == 0) {
			k = (size_t)snprintf(esc, sizeof esc, "\\x%02x", *p);
			src = esc;
		}
		if (n + k > room) /* cut between characters, never inside one */
			break;
		memcpy(tmp + n, src, k);
		n += k;
		p += src == esc ? 1 : k;
	}
	tmp[n] = '\0';
	memcpy(s, tmp, n + 1);
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

/* One fact of line2, after two spaces when it is not the first. */
static void fact(char *line2, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void fact(char *line2, const char *fmt, ...)
{
	char one[LABEL_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(one, sizeof one, fmt, ap);
	va_end(ap);
	append(line2, LABEL_MAX, "%s%s", line2[0] ? "  " : "", one);
}

static void call_item(const struct ss_event *ev, struct item *it)
{
	const struct ss_call_event *c = &ev->u.call;

	if (ev->kind == SS_EV_BLOCKED) {
		char call[160];
		output_call_text(ev, call, sizeof call);
		snprintf(it->line1, LABEL_MAX, _("%s ... blocked in the kernel"), call);
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
		fact(it->line2, _("listener fd %d  new fd %ld"), c->fd, c->ret);
	else if (c->fd >= 0)
		fact(it->line2, "fd %d", c->fd);
	if (c->local[0])
		fact(it->line2, _("local %s"), c->local);
	if (c->peer[0])
		fact(it->line2, _("peer %s"), c->peer);
	if (c->state >= 0)
		fact(it->line2, "%s", event_tcp_state_name(c->state));
	if (c->queue >= 0 && strcmp(c->name, "accept") == 0)
		fact(it->line2, _("listener queue %d/%d"), c->queue, c->backlog);
	else if (c->queue >= 0)
		fact(it->line2, _("queue %d/%d"), c->queue, c->backlog);
	label_clean(it->line1, LABEL_MAX);
	label_clean(it->line2, LABEL_MAX);
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
	label_clean(it->line1, LABEL_MAX);
	it->line2[0] = '\0';
	it->pc = strchr(p->flags, 'R') ? PC_RST
		 : strchr(p->flags, 'S') ? PC_SYN
		 : strchr(p->flags, 'F') ? PC_FIN
		 : p->len > 0		 ? PC_DATA
					 : PC_ACK;
}

/* ---- reading into memory ------------------------------------------------ */

static int keep_event(struct exporter *x, const struct ss_event *ev, char *err, size_t errsz)
{
	if (x->nevs == x->cap) {
		size_t cap = x->cap ? x->cap * 2 : 256;
		struct ss_event *p;
		if (x->nevs == EXPORT_ITEMS_MAX)
			return export_fail(err, errsz, _("%s: more than %d events to draw; narrow it with --filter"),
				    x->name, EXPORT_ITEMS_MAX);
		if (cap > EXPORT_ITEMS_MAX)
			cap = EXPORT_ITEMS_MAX;
		p = realloc(x->evs, cap * sizeof *p);
		if (p == NULL)
			return export_fail(err, errsz, _("%s: out of memory"), x->name);
		x->evs = p;
		x->cap = cap;
	}
	x->evs[x->nevs++] = *ev;
	return 0;
}

/* Learn an event's actor and 4-tuple.  0, or -1 with err. */
static int learn(struct exporter *x, const struct ss_event *ev, long lineno, char *err,
		 size_t errsz)
{
	if (ev->kind == SS_EV_CALL || ev->kind == SS_EV_BLOCKED) {
		int a = actor_index(x, ev->actor);
		if (a < 0)
			return export_fail(err, errsz, _("%s:%ld: more than %d actors"), x->name,
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
	struct exporter *x = ctx;

	if (learn(x, ev, lineno, err, errsz) < 0)
		return -1;
	if (drawn(x->f, ev) && keep_event(x, ev, err, errsz) < 0)
		return -1;
	return 0;
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
			return export_fail(err, errsz, _("%s: more than %d actors"), x->name,
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

/* What the SVG's head needs of an item; -1 when out of memory. */
static int plan_item(struct exporter *x, const struct item *it)
{
	size_t len = (size_t)text_width(it->line1); /* columns */

	if (it->kind != IT_PACKET) {
		export_svg_plan_note(&x->svg, it);
		return 0;
	}
	export_svg_plan_packets(&x->svg, it->from, it->to, 1, len);
	return it->from == it->to ? 0 : export_svg_plan_span(&x->svg, it->from, it->to, len);
}

/* Every drawn event kept (a pipe, events out of time order): the items
 * sorted, within EXPORT_ITEMS_MAX. */
static int read_whole(struct exporter *x, FILE *in, char *err, size_t errsz)
{
	if (tracefile_read(in, x->name, take_event, x, err, errsz) < 0)
		return -1;
	x->items = calloc(x->nevs ? x->nevs : 1, sizeof *x->items);
	if (x->items == NULL)
		return export_fail(err, errsz, _("%s: out of memory"), x->name);
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
	for (size_t i = 0; x->fmt == EXPORT_SVG && i < x->nitems; i++)
		if (plan_item(x, &x->items[i]) < 0)
			return export_fail(err, errsz, _("%s: out of memory"), x->name);
	return 0;
}

/* ---- streaming: a recording of any length --------------------------------- */

/* A seekable input is read twice and nothing is kept per item: first the
 * actors, the address owners and the packets' distinct address pairs
 * (resolved once the owners are all known, to declare exactly the
 * lifelines used; for SVG, with each pair's count and labels), then each
 * item written as it is read.  That needs the drawn events in time order,
 * as sockstep records them; otherwise (or past PAIRS_MAX pairs) the
 * diagram is drawn from memory, within EXPORT_ITEMS_MAX. */
#define PAIRS_MAX 256

struct pair {
	char src[SS_ADDR_MAX], dst[SS_ADDR_MAX];
	long count;
	size_t longest; /* of its packets' labels */
};

/* A pair's label longer than any before it: the only ones that can widen
 * a gap of the SVG (struct svg_plan). */
struct pair_span {
	int pair;
	size_t len;
};

struct survey {
	struct exporter *x;
	double last_t;
	int unstreamable, npairs;
	struct pair pairs[PAIRS_MAX];
	struct pair_span *spans;
	size_t nspans, cap;
};

/* A call's note: its actor has a lifeline (and, for SVG, a note this
 * wide and high). */
static void survey_note(struct survey *sv, const struct ss_event *ev)
{
	struct exporter *x = sv->x;
	struct item it;

	if (x->fmt != EXPORT_SVG) {
		x->actors[actor_index(x, ev->actor)].used = 1; /* learnt */
		return;
	}
	make_item(x, ev, 0, &it, NULL, 0); /* a note: its actor is learnt */
	export_svg_plan_note(&x->svg, &it);
}

static int survey_packet(struct survey *sv, const struct ss_event *ev)
{
	struct pair *p;
	struct item it;
	int i;

	for (i = 0; i < sv->npairs; i++)
		if (strcmp(sv->pairs[i].src, ev->u.pkt.src) == 0 &&
		    strcmp(sv->pairs[i].dst, ev->u.pkt.dst) == 0)
			break;
	if (i == PAIRS_MAX) {
		sv->unstreamable = 1;
		return 0;
	}
	p = &sv->pairs[i];
	if (i == sv->npairs) {
		snprintf(p->src, SS_ADDR_MAX, "%s", ev->u.pkt.src);
		snprintf(p->dst, SS_ADDR_MAX, "%s", ev->u.pkt.dst);
		sv->npairs++;
	}
	p->count++;
	if (sv->x->fmt != EXPORT_SVG)
		return 0;
	packet_item(ev, &it);
	if ((size_t)text_width(it.line1) <= p->longest)
		return 0;
	p->longest = (size_t)text_width(it.line1);
	if (sv->nspans == sv->cap) {
		size_t cap = sv->cap ? sv->cap * 2 : 64;
		struct pair_span *s = realloc(sv->spans, cap * sizeof *s);
		if (s == NULL)
			return -1;
		sv->spans = s;
		sv->cap = cap;
	}
	sv->spans[sv->nspans].pair = i;
	sv->spans[sv->nspans++].len = p->longest;
	return 0;
}

static int survey_event(void *ctx, const struct ss_event *ev, long lineno, char *err,
			size_t errsz)
{
	struct survey *sv = ctx;

	if (learn(sv->x, ev, lineno, err, errsz) < 0)
		return -1;
	if (!drawn(sv->x->f, ev))
		return 0;
	sv->unstreamable |= ev->t < sv->last_t;
	sv->last_t = ev->t;
	if (ev->kind != SS_EV_PACKET)
		survey_note(sv, ev);
	else if (survey_packet(sv, ev) < 0)
		return export_fail(err, errsz, _("%s: out of memory"), sv->x->name);
	return 0;
}

/* The lifelines the packets use, as make_item will find them, and what
 * their arrows need of the SVG. */
static int survey_packets(struct survey *sv, char *err, size_t errsz)
{
	struct exporter *x = sv->x;
	int from[PAIRS_MAX], to[PAIRS_MAX];

	for (int i = 0; i < sv->npairs; i++) {
		const struct pair *p = &sv->pairs[i];
		from[i] = map_owner(x, p->src, p->dst);
		to[i] = map_owner(x, p->dst, p->src);
		if (from[i] < 0 && to[i] < 0)
			continue; /* between strangers: not drawn */
		if (from[i] < 0)
			from[i] = actor_index(x, REMOTE_NAME);
		if (to[i] < 0)
			to[i] = actor_index(x, REMOTE_NAME);
		if (from[i] < 0 || to[i] < 0)
			return export_fail(err, errsz, _("%s: more than %d actors"), x->name,
				    EXPORT_ACTORS_MAX);
		x->actors[from[i]].used = x->actors[to[i]].used = 1;
		if (x->fmt == EXPORT_SVG)
			export_svg_plan_packets(&x->svg, from[i], to[i], p->count, p->longest);
	}
	for (size_t s = 0; s < sv->nspans; s++) {
		int i = sv->spans[s].pair;
		if (from[i] >= 0 && to[i] >= 0 && from[i] != to[i] &&
		    export_svg_plan_span(&x->svg, from[i], to[i], sv->spans[s].len) < 0)
			return export_fail(err, errsz, _("%s: out of memory"), x->name);
	}
	return 0;
}

static void survey_forget(struct exporter *x)
{
	for (int i = 0; i < x->nactors; i++)
		x->actors[i].used = 0;
	free(x->svg.spans);
	memset(&x->svg, 0, sizeof x->svg);
}

/* The first pass: 0 (x->streamed), 1 not streamable (in rewound, x as
 * before but for what learn() learnt, which is the same on every pass),
 * or -1 with err. */
static int survey(struct exporter *x, FILE *in, char *err, size_t errsz)
{
	struct survey *sv = calloc(1, sizeof *sv);
	int rc;

	if (sv == NULL)
		return export_fail(err, errsz, _("out of memory"));
	sv->x = x;
	rc = tracefile_read(in, x->name, survey_event, sv, err, errsz);
	if (rc == 0 && sv->unstreamable)
		rc = 1;
	if (rc == 0)
		rc = survey_packets(sv, err, errsz);
	free(sv->spans);
	free(sv);
	if (rc >= 0 && fseek(in, x->start, SEEK_SET) != 0)
		return export_fail(err, errsz, "%s: %s", x->name, strerror(errno));
	if (rc != 0) {
		survey_forget(x);
		return rc;
	}
	x->streamed = 1;
	order_lifelines(x);
	return 0;
}

struct drawing {
	struct exporter *x;
	const struct export_writer *w;
	FILE *out;
	size_t seq;
};

static int draw_event(void *ctx, const struct ss_event *ev, long lineno, char *err,
		      size_t errsz)
{
	struct drawing *d = ctx;
	struct item it;
	int rc;

	(void)lineno;
	if (!drawn(d->x->f, ev))
		return 0;
	rc = make_item(d->x, ev, d->seq++, &it, err, errsz);
	if (rc == 1)
		d->w->item(d->x, &it, d->out);
	return rc < 0 ? -1 : 0;
}

/* ---- entry points ---------------------------------------------------------- */

struct exporter *export_new(const char *name, enum export_format fmt,
			    const struct filter *f)
{
	struct exporter *x = calloc(1, sizeof *x);

	if (x == NULL)
		return NULL;
	snprintf(x->name, sizeof x->name, "%s", name ? name : "trace");
	label_clean(x->name, sizeof x->name);
	x->fmt = fmt;
	x->f = f;
	return x;
}

void export_free(struct exporter *x)
{
	if (x == NULL)
		return;
	free(x->evs);
	free(x->items);
	free(x->svg.spans);
	free(x);
}

int export_prepare(struct exporter *x, FILE *in, char *err, size_t errsz)
{
	/* a seekable file is streamed; a pipe, or events out of time
	 * order, drawn from memory */
	x->start = ftell(in);
	if (x->start >= 0) {
		int rc = survey(x, in, err, errsz);
		if (rc <= 0)
			return rc;
	}
	return read_whole(x, in, err, errsz);
}

int export_write(struct exporter *x, FILE *in, FILE *out, char *err, size_t errsz)
{
	const struct export_writer *w = x->fmt == EXPORT_MERMAID    ? export_mermaid_writer()
					: x->fmt == EXPORT_PLANTUML ? export_plantuml_writer()
								    : export_svg_writer();
	struct drawing d = {x, w, out, 0};

	w->head(x, out);
	if (x->streamed) {
		if (fseek(in, x->start, SEEK_SET) != 0)
			return export_fail(err, errsz, "%s: %s", x->name, strerror(errno));
		if (tracefile_read(in, x->name, draw_event, &d, err, errsz) < 0)
			return -1;
	}
	for (size_t i = 0; !x->streamed && i < x->nitems; i++)
		w->item(x, &x->items[i], out);
	w->tail(x, out);
	return 0;
}

int export_trace(FILE *in, const char *name, enum export_format fmt,
		 const struct filter *f, FILE *out, char *err, size_t errsz)
{
	struct exporter *x;
	int rc;

	if (fmt == EXPORT_HTML)
		return export_fail(err, errsz, "a page is not a diagram: export_html writes it");
	x = export_new(name, fmt, f);
	if (x == NULL)
		return export_fail(err, errsz, _("out of memory"));
	rc = export_prepare(x, in, err, errsz);
	if (rc == 0)
		rc = export_write(x, in, out, err, errsz);
	if (rc == 0 && (fflush(out) != 0 || ferror(out)))
		rc = export_fail(err, errsz, _("cannot write the diagram: %s"), strerror(errno));
	export_free(x);
	return rc;
}
