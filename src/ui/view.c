/* view: fold the event stream into what the screen shows (no ncurses). */
#include "sockstep/view.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

#include "sockstep/cut.h"
#include "sockstep/escape.h"
#include "sockstep/i18n.h"
#include "sockstep/output.h"

struct ui_view *ui_view_new(int one_sided, const char *mode)
{
	struct ui_view *v = calloc(1, sizeof *v);

	if (v == NULL)
		return NULL;
	for (int p = 0; p < UI_PANES; p++) {
		v->pane[p].lines = calloc(UI_VIEW_LINES, sizeof(struct ui_line));
		v->pane[p].shown = calloc(UI_VIEW_LINES, sizeof(unsigned long));
		if (v->pane[p].lines == NULL || v->pane[p].shown == NULL) {
			ui_view_free(v);
			return NULL;
		}
	}
	v->one_sided = one_sided;
	v->live = mode && strcmp(mode, "client") == 0 ? UI_CLIENT : UI_SERVER;
	ui_view_clear(v);
	return v;
}

void ui_view_free(struct ui_view *v)
{
	if (v == NULL)
		return;
	for (int p = 0; p < UI_PANES; p++) {
		free(v->pane[p].lines);
		free(v->pane[p].shown);
	}
	free(v);
}

void ui_view_clear(struct ui_view *v)
{
	struct ui_line *lines[UI_PANES];
	unsigned long *shown[UI_PANES];
	int one_sided = v->one_sided;
	enum ui_side live = v->live;
	unsigned long gen = v->generation;
	struct filter f = v->filter; /* the learner's filter outlives a restart */

	for (int p = 0; p < UI_PANES; p++) {
		lines[p] = v->pane[p].lines;
		shown[p] = v->pane[p].shown;
	}
	memset(v, 0, sizeof *v);
	for (int p = 0; p < UI_PANES; p++) {
		v->pane[p].lines = lines[p];
		v->pane[p].shown = shown[p];
	}
	v->filter = f;
	v->one_sided = one_sided;
	v->live = live;
	v->building_snap = -1;
	v->generation = gen + 1;
}

unsigned long ui_ring_first(const struct ui_ring *r)
{
	return r->count > UI_VIEW_LINES ? r->count - UI_VIEW_LINES : 0;
}

const struct ui_line *ui_ring_at(const struct ui_ring *r, unsigned long i)
{
	return &r->lines[i % UI_VIEW_LINES];
}

unsigned long ui_view_first_narr(const struct ui_view *v)
{
	return v->nnarr > UI_VIEW_NARR ? v->nnarr - UI_VIEW_NARR : 0;
}

const struct ui_narr *ui_view_narr_at(const struct ui_view *v, unsigned long i)
{
	return &v->narr[i % UI_VIEW_NARR];
}

unsigned long ui_ring_shown_first(const struct ui_ring *r)
{
	return r->shown_first;
}

const struct ui_line *ui_ring_shown_at(const struct ui_ring *r, unsigned long j)
{
	return &r->lines[r->shown[j % UI_VIEW_LINES] % UI_VIEW_LINES];
}

/* The oldest line falls off; if it was shown, so does its index (indices
 * are in order, so it can only be the first). */
static struct ui_line *ring_push(struct ui_ring *r)
{
	struct ui_line *l = &r->lines[r->count % UI_VIEW_LINES];

	if (r->count >= UI_VIEW_LINES && r->shown_first < r->nshown &&
	    r->shown[r->shown_first % UI_VIEW_LINES] == r->count - UI_VIEW_LINES)
		r->shown_first++;
	memset(l, 0, sizeof *l);
	r->count++;
	return l;
}

/* The event a line was made from, as far as a filter can tell. */
static void line_event(const struct ui_line *l, struct ss_event *ev)
{
	event_init(ev, (enum ss_kind)l->ev);
	snprintf(ev->actor, sizeof ev->actor, "%s", l->actor);
	ev->step = l->step;
	ev->pid = l->pid;
	if (l->ev == SS_EV_PACKET) {
		snprintf(ev->u.pkt.src, sizeof ev->u.pkt.src, "%s", l->local);
		snprintf(ev->u.pkt.dst, sizeof ev->u.pkt.dst, "%s", l->peer);
		snprintf(ev->u.pkt.flags, sizeof ev->u.pkt.flags, "%s", l->flags);
	} else if (l->ev == SS_EV_CALL || l->ev == SS_EV_BLOCKED) {
		struct ss_call_event *c = &ev->u.call;
		snprintf(c->name, sizeof c->name, "%s", l->call);
		snprintf(c->sock, sizeof c->sock, "%s", l->sock);
		snprintf(c->newsock, sizeof c->newsock, "%s", l->newsock);
		snprintf(c->local, sizeof c->local, "%s", l->local);
		snprintf(c->peer, sizeof c->peer, "%s", l->peer);
		c->fd = l->fd;
		c->ret = l->ret;
		c->err = l->err;
		c->state = l->tcp_state;
	}
}

static int line_passes(const struct ui_view *v, const struct ui_line *l)
{
	struct ss_event ev;

	if (v->filter.nclauses == 0)
		return 1;
	line_event(l, &ev);
	return filter_match(&v->filter, &ev);
}

/* List the ring's newest line if the filter lets it through. */
static void shown_add(const struct ui_view *v, struct ui_ring *r)
{
	if (r->count > 0 && line_passes(v, ui_ring_at(r, r->count - 1)))
		r->shown[r->nshown++ % UI_VIEW_LINES] = r->count - 1;
}

static void shown_rebuild(const struct ui_view *v, struct ui_ring *r)
{
	r->shown_first = r->nshown = 0;
	for (unsigned long i = ui_ring_first(r); i < r->count; i++)
		if (line_passes(v, ui_ring_at(r, i)))
			r->shown[r->nshown++ % UI_VIEW_LINES] = i;
}

static void table_refilter(struct ui_view *v)
{
	v->ntable_shown = 0;
	for (int i = 0; i < v->ntable; i++) {
		const struct ui_row *row = &v->table[i];
		struct ss_event ev;
		event_init(&ev, SS_EV_SOCKET);
		snprintf(ev.actor, sizeof ev.actor, "%s", row->ev_actor);
		snprintf(ev.u.sock.owner, sizeof ev.u.sock.owner, "%s", row->actor);
		snprintf(ev.u.sock.local, sizeof ev.u.sock.local, "%s", row->local);
		snprintf(ev.u.sock.peer, sizeof ev.u.sock.peer, "%s", row->peer);
		ev.u.sock.owner_fd = row->fd;
		ev.u.sock.state = row->tcp_state;
		v->table_shown[i] = (unsigned char)filter_match(&v->filter, &ev);
		v->ntable_shown += v->table_shown[i];
	}
}

void ui_view_set_filter(struct ui_view *v, const struct filter *f)
{
	if (f)
		v->filter = *f;
	else
		filter_init(&v->filter);
	for (int p = 0; p < UI_PANES; p++)
		shown_rebuild(v, &v->pane[p]);
	table_refilter(v);
	v->generation++;
}

int ui_line_has_text(const struct ui_line *l, const char *needle)
{
	char all[UI_LINE_TEXT + 2 * UI_LINE_ADDR + UI_LINE_EXTRA + 32];

	if (needle == NULL || needle[0] == '\0')
		return 1;
	snprintf(all, sizeof all, "%s %s -> %s %s %s", l->text, l->local, l->peer,
		 l->state, l->extra);
	return strcasestr(all, needle) != NULL;
}

long ui_view_search(const struct ui_view *v, enum ui_pane p, const char *needle,
		    long from, int dir)
{
	const struct ui_ring *r = &v->pane[p];
	long first = (long)r->shown_first, end = (long)r->nshown;

	if (from < first)
		from = dir < 0 ? first - 1 : first;
	if (from >= end)
		from = dir < 0 ? end - 1 : end;
	for (long j = from; j >= first && j < end; j += dir < 0 ? -1 : 1)
		if (ui_line_has_text(ui_ring_shown_at(r, (unsigned long)j), needle))
			return j;
	return -1;
}

int ui_call_family(const char *call)
{
	static const char *const setup[] = {"socket", "bind", "listen", "accept",
					    "accept4", "connect", "setsockopt", NULL};
	static const char *const data[] = {"send", "recv", "sendto", "recvfrom",
					   "sendmsg", "recvmsg", "ioctl", "write",
					   "read", NULL};
	static const char *const down[] = {"shutdown", "close", NULL};
	static const char *const *fam[] = {setup, data, down};

	for (int f = 0; f < 3; f++)
		for (int i = 0; fam[f][i]; i++)
			if (strcmp(call, fam[f][i]) == 0)
				return f + 1;
	return 0;
}

enum ui_side ui_view_side(const struct ui_view *v, const char *actor)
{
	if (strcmp(actor, "remote") == 0)
		return v->one_sided ? (enum ui_side)(UI_SIDES - 1 - v->live) : UI_CLIENT;
	if (strncmp(actor, "client", 6) == 0)
		return UI_CLIENT;
	return UI_SERVER;
}

/* Copy as much of in as fits; truncation is intended (display lines). */
static void set_addr(char *out, const char *in)
{
	escape_string(out, UI_LINE_ADDR, in);
}

/* The call as written, with the actor named when a side has several, and
 * a traced program's pid (a forking server's processes share a pane). */
static void call_text(const struct ss_event *ev, char *out, size_t outsz)
{
	char call[SS_ARGS_MAX + 4 * SS_PREVIEW_MAX + 64];
	char pid[16] = "";
	int named = ev->pid <= 0 && strcmp(ev->actor, "server") &&
		    strcmp(ev->actor, "client") && strcmp(ev->actor, "remote");

	if (ev->pid > 0)
		snprintf(pid, sizeof pid, "[%d] ", ev->pid);
	output_call_text(ev, call, sizeof call);
	cut_copy(out, outsz, named ? ev->actor : pid);
	cut_append(out, outsz, named ? ": " : "");
	cut_append(out, outsz, call);
}

/* What a filter looks at, kept with the line. */
static void line_keys(struct ui_line *l, const struct ss_event *ev)
{
	const struct ss_call_event *c = &ev->u.call;

	l->ev = (unsigned char)ev->kind;
	escape_string(l->actor, sizeof l->actor, ev->actor);
	l->pid = ev->pid;
	l->fd = l->err = l->tcp_state = -1;
	l->ret = -1;
	if (ev->kind == SS_EV_CALL || ev->kind == SS_EV_BLOCKED) {
		escape_string(l->call, sizeof l->call, c->name);
		escape_string(l->sock, sizeof l->sock, c->sock);
		escape_string(l->newsock, sizeof l->newsock, c->newsock);
		l->fd = c->fd;
		l->err = c->err;
		l->tcp_state = c->state;
		l->ret = c->ret;
	} else if (ev->kind == SS_EV_PACKET) {
		escape_string(l->flags, sizeof l->flags, ev->u.pkt.flags);
	}
}

static void fill_call(struct ui_line *l, const struct ss_event *ev,
		      enum ui_side side)
{
	const struct ss_call_event *c = &ev->u.call;
	char text[UI_LINE_TEXT * 2];
	char res[SS_PREVIEW_MAX * 4 + 96];

	l->kind = UI_LINE_CALL;
	l->side = (unsigned char)side;
	l->step = ev->step;
	l->failed = c->ret < 0;
	line_keys(l, ev);
	call_text(ev, text, sizeof text);
	output_call_result(c, res, sizeof res);
	cut_append(text, sizeof text, res);
	/* Both parts are escaped ASCII: cutting them cannot break a byte. */
	if (strlen(text) >= sizeof l->text)
		memcpy(text + sizeof l->text - 4, "...", 4);
	cut_copy(l->text, sizeof l->text, text);
	set_addr(l->local, c->local);
	set_addr(l->peer, c->peer);
	snprintf(l->state, sizeof l->state, "%s", event_tcp_state_name(c->state));
	if (c->queue >= 0)
		snprintf(l->extra, sizeof l->extra, _("queue %d/%d"), c->queue,
			 c->backlog);
	else if (c->bytes >= 0 && c->unread >= 0)
		snprintf(l->extra, sizeof l->extra, _("unread %ld"), c->unread);
}

static int blocked_find(const struct ui_view *v, const struct ss_event *ev)
{
	for (int i = 0; i < v->nblocked; i++)
		if (strcmp(v->blocked[i].actor, ev->actor) == 0 &&
		    v->blocked[i].pid == ev->pid)
			return i;
	return -1;
}

static void blocked_forget(struct ui_view *v, int i)
{
	v->blocked[i] = v->blocked[--v->nblocked];
}

static void note_peer(struct ui_view *v, const char *peer)
{
	struct ui_line *l;
	enum ui_side other = (enum ui_side)(UI_SIDES - 1 - v->live);

	if (peer[0] == '\0' || event_addr_port(peer) == 0)
		return;
	for (int i = 0; i < v->npeers; i++)
		if (strcmp(v->peers[i], peer) == 0)
			return;
	if (v->npeers == UI_VIEW_PEERS)
		return;
	snprintf(v->peers[v->npeers++], UI_LINE_ADDR, "%s", peer);
	l = ring_push(&v->pane[other]);
	l->kind = UI_LINE_PEER;
	l->side = (unsigned char)other;
	snprintf(l->text, sizeof l->text, _("remote peer %s"), peer);
	snprintf(l->local, sizeof l->local, "%s", peer);
	l->ev = SS_EV_NOTE;
	snprintf(l->actor, sizeof l->actor, "remote");
	shown_add(v, &v->pane[other]);
}

static void add_call(struct ui_view *v, const struct ss_event *ev)
{
	enum ui_side side = ui_view_side(v, ev->actor);
	struct ui_ring *r = &v->pane[side];
	struct ui_line *l = NULL;
	int b = blocked_find(v, ev), was = -1;

	/* The blocked line becomes the call's result, where it stood. */
	if (b >= 0) {
		if (v->blocked[b].step == ev->step &&
		    v->blocked[b].at >= ui_ring_first(r) && v->blocked[b].at < r->count) {
			l = &r->lines[v->blocked[b].at % UI_VIEW_LINES];
			was = line_passes(v, l);
		}
		blocked_forget(v, b);
	}
	if (l == NULL)
		l = ring_push(r);
	memset(l, 0, sizeof *l);
	fill_call(l, ev, side);
	if (was < 0)
		shown_add(v, r);
	else if (was != line_passes(v, l))
		shown_rebuild(v, r); /* rare: a filter and a changed verdict */
	*ring_push(&v->pane[UI_PANE_SEQ]) = *l;
	shown_add(v, &v->pane[UI_PANE_SEQ]);
	v->last_call = *l;
	v->have_last_call = 1;

	if (event_addr_port(l->local) > 0)
		snprintf(v->addr[side], UI_LINE_ADDR, "%s", l->local);
	if (v->one_sided && ev->u.call.peer[0]) {
		enum ui_side other = (enum ui_side)(UI_SIDES - 1 - side);
		snprintf(v->addr[other], UI_LINE_ADDR, "%s", l->peer);
		if (side == v->live)
			note_peer(v, l->peer);
	}
}

/* A call in the kernel (blocked) or, for a traced program, stopped before
 * it runs until Space lets it (begin): one line, replaced in place by what
 * comes next for that process (blocked, then the call's result). */
static void add_pending(struct ui_view *v, const struct ss_event *ev)
{
	enum ui_side side = ui_view_side(v, ev->actor);
	struct ui_ring *r = &v->pane[side];
	struct ui_line *l = NULL;
	int b = blocked_find(v, ev), was = -1;
	unsigned long at = 0;
	char text[UI_LINE_TEXT * 2];

	if (b >= 0 && v->blocked[b].at >= ui_ring_first(r) && v->blocked[b].at < r->count) {
		at = v->blocked[b].at;
		l = &r->lines[at % UI_VIEW_LINES];
		was = line_passes(v, l);
	}
	if (l == NULL) {
		l = ring_push(r);
		at = r->count - 1;
	}
	memset(l, 0, sizeof *l);
	l->kind = ev->kind == SS_EV_BEGIN ? UI_LINE_WAITING : UI_LINE_BLOCKED;
	l->side = (unsigned char)side;
	l->step = ev->step;
	line_keys(l, ev);
	call_text(ev, text, sizeof text);
	snprintf(l->text, sizeof l->text, "%.*s", (int)sizeof l->text - 1, text);
	if (was < 0)
		shown_add(v, r);
	else if (was != line_passes(v, l))
		shown_rebuild(v, r);
	v->last_call = *l;
	v->have_last_call = 1;
	if (b < 0 && v->nblocked < UI_VIEW_BLOCKED)
		b = v->nblocked++;
	if (b >= 0) {
		snprintf(v->blocked[b].actor, SS_NAME_MAX, "%s", ev->actor);
		v->blocked[b].step = ev->step;
		v->blocked[b].pid = ev->pid;
		v->blocked[b].at = at;
	}
	if (ev->kind == SS_EV_BLOCKED) {
		*ring_push(&v->pane[UI_PANE_SEQ]) = *l;
		shown_add(v, &v->pane[UI_PANE_SEQ]);
	}
}

static struct ui_row *table_row(struct ui_row *row, const struct ss_event *ev)
{
	const struct ss_socket_event *s = &ev->u.sock;

	char owner[SS_NAME_MAX];

	memset(row, 0, sizeof *row);
	escape_string(owner, sizeof owner, s->owner);
	escape_string(row->ev_actor, sizeof row->ev_actor, ev->actor);
	memcpy(row->actor, owner, sizeof row->actor);
	row->fd = s->owner_fd;
	row->tcp_state = s->state;
	if (owner[0])
		snprintf(row->owner, sizeof row->owner, "%s fd %d", owner, s->owner_fd);
	snprintf(row->state, sizeof row->state, "%s", event_tcp_state_name(s->state));
	set_addr(row->local, s->local);
	set_addr(row->peer, s->peer);
	row->recv_q = s->recv_q;
	row->send_q = s->send_q;
	row->listen = s->state == TCP_LISTEN;
	row->timer_ms = s->timer_ms;
	return row;
}

/* Rows of one snapshot arrive one event each; the table on screen changes
 * only when the last row is in, so it never shows half a snapshot. */
static void add_socket(struct ui_view *v, const struct ss_event *ev)
{
	const struct ss_socket_event *s = &ev->u.sock;

	if (s->rows <= 0) {
		v->ntable = 0;
		v->have_table = 1;
		v->building_snap = -1;
		table_refilter(v);
		return;
	}
	if (s->snapshot != v->building_snap) {
		v->building_snap = s->snapshot;
		v->building_rows = s->rows;
		v->nbuilding = 0;
	}
	if (v->nbuilding < UI_VIEW_TABLE)
		table_row(&v->building[v->nbuilding], ev);
	v->nbuilding++;
	if (v->nbuilding >= v->building_rows) {
		v->ntable = v->nbuilding < UI_VIEW_TABLE ? v->nbuilding : UI_VIEW_TABLE;
		memcpy(v->table, v->building, (size_t)v->ntable * sizeof v->table[0]);
		v->have_table = 1;
		v->building_snap = -1;
		table_refilter(v);
	}
}

/* Who sent a segment: the side whose known local port is its source port.
 * The server's port is the stable one (clients get new ephemeral ports). */
static enum ui_side packet_sender(const struct ui_view *v,
				  const struct ss_packet_event *p)
{
	int sport = event_addr_port(p->src);

	if (v->addr[UI_SERVER][0])
		return sport == event_addr_port(v->addr[UI_SERVER]) ? UI_SERVER
								    : UI_CLIENT;
	if (v->addr[UI_CLIENT][0])
		return sport == event_addr_port(v->addr[UI_CLIENT]) ? UI_CLIENT
								    : UI_SERVER;
	return UI_CLIENT;
}

static void add_packet(struct ui_view *v, const struct ss_event *ev)
{
	const struct ss_packet_event *p = &ev->u.pkt;
	struct ui_line *l = ring_push(&v->pane[UI_PANE_SEQ]);
	char flags[SS_FLAGS_MAX];
	int has_ack, n;

	escape_string(flags, sizeof flags, p->flags);
	has_ack = strchr(flags, '.') != NULL;
	l->kind = UI_LINE_PACKET;
	l->side = (unsigned char)packet_sender(v, p);
	l->step = ev->step;
	/* tcpdump's habit: a bare ACK shows only its ack number. */
	if (strcmp(flags, ".") == 0 && p->len == 0)
		n = snprintf(l->text, sizeof l->text, "%s ack %u", flags, p->rel_ack);
	else
		n = snprintf(l->text, sizeof l->text, "%s seq %u", flags, p->rel_seq);
	if (has_ack && !(strcmp(flags, ".") == 0 && p->len == 0) && n > 0)
		n += snprintf(l->text + n, sizeof l->text - (size_t)n, " ack %u",
			      p->rel_ack);
	if (p->len > 0 && n > 0 && (size_t)n < sizeof l->text)
		snprintf(l->text + n, sizeof l->text - (size_t)n, " len %d", p->len);
	set_addr(l->local, p->src);
	set_addr(l->peer, p->dst);
	line_keys(l, ev);
	shown_add(v, &v->pane[UI_PANE_SEQ]);
	v->packets++;
}

static void add_narr(struct ui_view *v, int index, int count,
		     const char *actor, const char *text)
{
	struct ui_narr *n = &v->narr[v->nnarr % UI_VIEW_NARR];

	n->index = index;
	n->count = count;
	escape_string(n->actor, sizeof n->actor, actor);
	escape_text(n->text, sizeof n->text, text);
	v->nnarr++;
}

static int seen_before(struct ui_view *v, const char *text)
{
	int slots = (int)(sizeof v->seen_notes / sizeof v->seen_notes[0]);

	for (int i = 0; i < v->nseen && i < slots; i++)
		if (strncmp(v->seen_notes[i], text, sizeof v->seen_notes[0] - 1) == 0)
			return 1;
	cut_copy(v->seen_notes[v->nseen % slots], sizeof v->seen_notes[0], text);
	v->nseen++;
	return 0;
}

static void set_message(struct ui_view *v, int level, const char *text)
{
	escape_text(v->message, sizeof v->message, text);
	v->message_level = level;
}

static void add_note(struct ui_view *v, const struct ss_event *ev)
{
	const char *text = ev->u.note.text;
	int level = ev->u.note.index;

	/* The kernel's own facts (TIME_WAIT, the accept queue) are narration. */
	if (level == 0 && strcmp(ev->actor, "kernel") == 0) {
		add_narr(v, 0, 0, "kernel", text);
		return;
	}
	/* the final score of predict-then-step */
	if (strncmp(text, "quiz:", 5) == 0) {
		escape_text(v->quiz_final, sizeof v->quiz_final, text);
		add_narr(v, 0, 0, "quiz", text + 5 + (text[5] == ' '));
	}
	if (strstr(text, "packet") && v->packets == 0)
		escape_text(v->no_packets, sizeof v->no_packets, text);
	if (seen_before(v, text))
		return;
	set_message(v, level, text);
}

static void add_expect(struct ui_view *v, const struct ss_event *ev)
{
	enum ui_side side = ui_view_side(v, ev->actor);
	struct ui_line *l = ring_push(&v->pane[side]);
	char text[SS_TEXT_MAX];
	int ok = ev->u.note.index != 0;

	l->kind = UI_LINE_EXPECT;
	l->side = (unsigned char)side;
	l->step = ev->step;
	l->failed = !ok;
	escape_text(text, sizeof text, ev->u.note.text); /* prose: may be Chinese */
	snprintf(l->text, sizeof l->text, ok ? _("expect ok: %.100s") : _("expect FAILED: %.100s"),
		 text);
	l->ev = SS_EV_EXPECT;
	escape_string(l->actor, sizeof l->actor, ev->actor);
	l->fd = l->err = l->tcp_state = -1;
	l->ret = -1;
	shown_add(v, &v->pane[side]);
	if (ok) {
		v->expect_ok++;
	} else {
		char msg[SS_TEXT_MAX + 32];
		v->expect_failed++;
		snprintf(msg, sizeof msg, _("step %d: expectation failed: %s"), ev->step, text);
		set_message(v, 2, msg);
	}
}

/* A traced program's output line or process event, in its side's pane. */
static void add_program_line(struct ui_view *v, const struct ss_event *ev)
{
	enum ui_side side = ui_view_side(v, ev->actor);
	struct ui_line *l = ring_push(&v->pane[side]);
	const struct ss_process_event *p = &ev->u.proc;
	char text[SS_TEXT_MAX * 4];

	memset(l, 0, sizeof *l);
	line_keys(l, ev);
	l->side = (unsigned char)side;
	if (ev->kind == SS_EV_OUTPUT) {
		l->kind = UI_LINE_OUTPUT;
		l->failed = ev->u.note.index == 2; /* stderr */
		/* a program's text, maybe in Chinese: its characters shown,
		 * its control bytes escaped (escape_text) */
		escape_text(text, sizeof text, ev->u.note.text);
	} else {
		char cmd[UI_LINE_TEXT];
		l->kind = UI_LINE_PROCESS;
		l->failed = p->signal > 0 || (p->status > 0 && strcmp(p->what, "exited") == 0);
		escape_text(cmd, sizeof cmd, p->command); /* as output.c shows it */
		if (strcmp(p->what, "exited") == 0 && p->signal > 0)
			snprintf(text, sizeof text, _("[%d] killed by signal %d"), ev->pid, p->signal);
		else if (strcmp(p->what, "exited") == 0)
			snprintf(text, sizeof text, _("[%d] exited, status %d"), ev->pid, p->status);
		else if (strcmp(p->what, "forked") == 0)
			snprintf(text, sizeof text, _("[%d] forked from %d"), ev->pid, p->ppid);
		else if (strcmp(p->what, "started") == 0)
			snprintf(text, sizeof text, _("[%d] started %s"), ev->pid, cmd);
		else /* exec: the call's own name */
			snprintf(text, sizeof text, "[%d] %s %s", ev->pid, p->what, cmd);
	}
	cut_copy(l->text, sizeof l->text, text);
	shown_add(v, &v->pane[side]);
}

void ui_view_add(struct ui_view *v, const struct ss_event *ev)
{
	switch (ev->kind) {
	case SS_EV_CALL:
		add_call(v, ev);
		break;
	case SS_EV_BLOCKED:
	case SS_EV_BEGIN:
		add_pending(v, ev);
		break;
	case SS_EV_SOCKET:
		add_socket(v, ev);
		break;
	case SS_EV_PACKET:
		add_packet(v, ev);
		break;
	case SS_EV_STEP:
		v->step = ev->u.note.index;
		v->nsteps = ev->u.note.count;
		/* a new step: the previous question and verdict are history */
		v->question[0] = '\0';
		v->have_verdict = 0;
		if (ev->u.note.text[0]) /* a traced call's step has none */
			add_narr(v, ev->u.note.index, ev->u.note.count, ev->actor,
				 ev->u.note.text);
		break;
	case SS_EV_EXPECT:
		add_expect(v, ev);
		break;
	case SS_EV_NOTE:
		add_note(v, ev);
		break;
	case SS_EV_OUTPUT:
	case SS_EV_PROCESS:
		add_program_line(v, ev);
		break;
	case SS_EV_QUESTION:
		/* predict, then step: the question stays in view */
		add_narr(v, 0, 0, "predict", ev->u.note.text);
		escape_text(v->question, sizeof v->question, ev->u.note.text);
		v->question_no = ev->u.note.index;
		break;
	case SS_EV_ANSWER:
		add_narr(v, 0, 0, ev->u.note.index ? "right" : "not quite",
			 ev->u.note.text);
		escape_text(v->verdict, sizeof v->verdict, ev->u.note.text);
		v->verdict_ok = ev->u.note.index != 0;
		v->have_verdict = 1;
		v->answers++;
		break;
	default:
		return;
	}
	v->events++;
	v->generation++;
}

void ui_view_sink(void *ctx, const struct ss_event *ev)
{
	ui_view_add(ctx, ev);
}
