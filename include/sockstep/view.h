/*
 * view: the UI's model of a session, built from events and nothing else.
 *
 * A pure data structure (no ncurses): ui_view_add() folds each event into
 * bounded rings of display lines (server pane, client pane, sequence
 * diagram), the latest kernel socket table, the narration history and one
 * message line.  Drawing code only reads it, so a recording and a live run
 * look the same, and the model can be tested without a terminal.  Every
 * string kept here is safe to draw: peer bytes are escaped on the way in.
 */
#ifndef SOCKSTEP_VIEW_H
#define SOCKSTEP_VIEW_H

#include "sockstep/event.h"
#include "sockstep/filter.h"

#define UI_VIEW_LINES 10000 /* lines kept per pane; older ones fall off */
#define UI_VIEW_NARR 256    /* narration entries kept */
#define UI_VIEW_TABLE SS_TABLE_ROWS /* rows of one socket-table snapshot */
#define UI_VIEW_PEERS 16    /* remote peers listed in one-sided mode */
#define UI_VIEW_BLOCKED 8   /* actors blocked at once */
#define UI_LINE_TEXT 128
#define UI_LINE_ADDR 48
#define UI_LINE_EXTRA 32

enum ui_side { UI_SERVER, UI_CLIENT, UI_SIDES };

enum ui_pane { UI_PANE_SERVER, UI_PANE_CLIENT, UI_PANE_SEQ, UI_PANES };

enum ui_line_kind {
	UI_LINE_CALL,    /* a call returned: text = "c = accept(s) = 6" */
	UI_LINE_BLOCKED, /* the actor sleeps inside the call, still */
	UI_LINE_EXPECT,  /* an expectation of a lesson (failed = did not hold) */
	UI_LINE_PEER,    /* one-sided mode: a remote peer seen in events */
	UI_LINE_PACKET,  /* sequence diagram: a segment, side = sender */
	UI_LINE_OUTPUT,  /* a traced program wrote this line (escaped) */
	UI_LINE_WAITING, /* a traced call stopped before it runs: Space lets it */
	UI_LINE_PROCESS, /* a traced program's process started, forked, exited */
};

/* One line of a pane.  text is printable ASCII (the UI's own words, such
 * as "expect ok:", in the locale's language); local/peer/extra make the
 * detail line ("127.0.0.1:9001 -> 127.0.0.1:41234  ESTABLISHED").  The
 * fields after extra keep what a filter (filter.h) looks at, so a new
 * filter can judge the history again without the events. */
struct ui_line {
	unsigned char kind;   /* enum ui_line_kind */
	unsigned char side;   /* enum ui_side: whose call / who sent */
	unsigned char failed; /* call returned -1, expectation failed */
	int step;
	char text[UI_LINE_TEXT];
	char local[UI_LINE_ADDR];
	char peer[UI_LINE_ADDR];
	char state[16]; /* TCP state after the call, "" if none */
	char extra[UI_LINE_EXTRA]; /* "queue 0/5", "unread 0" */
	unsigned char ev;          /* enum ss_kind of the event it shows */
	char actor[SS_NAME_MAX];   /* escaped */
	char call[SS_NAME_MAX];    /* call name, "" for packets */
	char sock[SS_NAME_MAX], newsock[SS_NAME_MAX];
	char flags[SS_FLAGS_MAX];  /* packets */
	int fd, err, tcp_state;
	long ret;
	int pid; /* traced programs: the process, else 0 */
};

/* Fixed ring: lines[(i) % UI_VIEW_LINES] for first <= i < count.  The
 * lines the view's filter lets through are listed, in order, in a second
 * ring of indices: shown[(j) % UI_VIEW_LINES] for shown_first <= j <
 * nshown.  Drawing walks that list, so a frame costs the screen even when
 * the filter hides almost everything. */
struct ui_ring {
	struct ui_line *lines;
	unsigned long count; /* lines ever added */
	unsigned long *shown;
	unsigned long shown_first, nshown;
};

struct ui_narr {
	int index, count; /* "step index of count"; 0 for a kernel fact */
	char actor[SS_NAME_MAX];
	char text[SS_TEXT_MAX]; /* printable ASCII or valid UTF-8, no controls */
};

struct ui_row {
	char owner[SS_NAME_MAX + 8]; /* "server fd 6", "" = no fd */
	char state[16];
	char local[UI_LINE_ADDR];
	char peer[UI_LINE_ADDR];
	long recv_q, send_q; /* LISTEN: accept queue and backlog */
	int listen;
	long timer_ms;
	/* for the filter and the presenter */
	char ev_actor[SS_NAME_MAX]; /* the event's actor (escaped) */
	char actor[SS_NAME_MAX];    /* the owner's name (escaped), "" */
	int fd, tcp_state;
};

struct ui_view {
	int one_sided;      /* the other side is a remote peer */
	enum ui_side live;  /* one-sided: the side we run */
	struct ui_ring pane[UI_PANES];
	/* the latest complete socket-table snapshot, and the one arriving */
	struct ui_row table[UI_VIEW_TABLE];
	int ntable, have_table;
	struct ui_row building[UI_VIEW_TABLE];
	int nbuilding, building_rows, building_snap;
	struct ui_narr narr[UI_VIEW_NARR];
	unsigned long nnarr;
	int step, nsteps; /* of the latest STEP event */
	char message[SS_TEXT_MAX];
	int message_level; /* 0 info, 1 warning, 2 error */
	char seen_notes[8][64]; /* warnings already shown (shown once) */
	int nseen;
	unsigned long packets;
	char no_packets[SS_TEXT_MAX]; /* why there are none, if said */
	char addr[UI_SIDES][UI_LINE_ADDR]; /* each side's latest local address */
	char peers[UI_VIEW_PEERS][UI_LINE_ADDR];
	int npeers;
	int expect_ok, expect_failed;
	/* lines showing "blocked": replaced in place when the call returns */
	struct {
		char actor[SS_NAME_MAX];
		int step;
		int pid;          /* a traced program's process: one blocked call each */
		unsigned long at; /* absolute index in its pane */
	} blocked[UI_VIEW_BLOCKED];
	int nblocked;
	/* filter (filter.h) applied to the panes, the diagram and the table */
	struct filter filter;
	unsigned char table_shown[UI_VIEW_TABLE];
	int ntable_shown;
	/* predict, then step: the latest question, the latest verdict (until
	 * the next step starts) and the final score note */
	char question[SS_TEXT_MAX];
	int question_no;
	char verdict[SS_TEXT_MAX];
	int verdict_ok, have_verdict;
	unsigned long answers; /* answer events seen */
	char quiz_final[SS_TEXT_MAX];
	/* the latest call (or blocked call), for presenter mode */
	struct ui_line last_call;
	int have_last_call;
	unsigned long events; /* events folded in */
	unsigned long generation; /* bumped on every change: redraw when it moves */
};

/* Allocate an empty view; mode "server"/"client" with one_sided set makes
 * the other side a remote peer.  NULL when out of memory. */
struct ui_view *ui_view_new(int one_sided, const char *mode);
void ui_view_free(struct ui_view *v);
/* Forget everything (restart); keeps the mode. */
void ui_view_clear(struct ui_view *v);
/* Fold one event into the view.  O(1) apart from a snapshot's rows. */
void ui_view_add(struct ui_view *v, const struct ss_event *ev);
/* director_sink adapter: ctx is a struct ui_view *. */
void ui_view_sink(void *ctx, const struct ss_event *ev);

/* The oldest kept index of a ring and its line i (first <= i < count). */
unsigned long ui_ring_first(const struct ui_ring *r);
const struct ui_line *ui_ring_at(const struct ui_ring *r, unsigned long i);
unsigned long ui_view_first_narr(const struct ui_view *v);
const struct ui_narr *ui_view_narr_at(const struct ui_view *v, unsigned long i);

/* The filtered view of a ring: positions shown_first <= j < nshown. */
unsigned long ui_ring_shown_first(const struct ui_ring *r);
const struct ui_line *ui_ring_shown_at(const struct ui_ring *r, unsigned long j);

/* Show only what f matches (NULL or empty: everything) in the panes, the
 * diagram and the table.  Judges the kept history once: O(lines kept). */
void ui_view_set_filter(struct ui_view *v, const struct filter *f);
/* Search the shown lines of pane p for needle (case ignored) in the line
 * as drawn (call, addresses, state), from shown position from (itself
 * included) towards older (dir < 0) or newer (dir > 0) lines.  Returns the
 * shown position of the first match, or -1. */
long ui_view_search(const struct ui_view *v, enum ui_pane p, const char *needle,
		    long from, int dir);
/* 1 if needle occurs (case ignored) in the line as drawn. */
int ui_line_has_text(const struct ui_line *l, const char *needle);
/* The call family, for colours: 0 other, 1 setup (socket bind listen
 * accept connect setsockopt), 2 data (send recv ...), 3 teardown. */
int ui_call_family(const char *call);

/* Which pane an actor's lines go to ("server" left, "client*" right,
 * "remote" opposite the live side in one-sided mode). */
enum ui_side ui_view_side(const struct ui_view *v, const char *actor);

/* The two sockets presenter mode shows for call line l: the one the call
 * made or used (a), and its counterpart (b: accept's listener, a
 * connected socket's other end, else a listener), as the kernel's table
 * reports them; a is built from l itself while the table has no row for
 * it.  Returns how many were found (1 or 2). */
int ui_view_present_sockets(const struct ui_view *v, const struct ui_line *l,
			    struct ui_row *a, struct ui_row *b);

#endif
