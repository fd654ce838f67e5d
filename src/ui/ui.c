/* ui: the terminal, the keys and the loop; the view and draw do the rest.
 *
 * The loop never blocks on anything but a short poll of the keyboard and
 * the director's descriptors: the director must be pumped often (it merges
 * reports by time and watches /proc for blocked actors), and a key press
 * must act at once. */
#include "sockstep/ui.h"

#include <curses.h>
#include <errno.h>
#include <langinfo.h>
#include <locale.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define UI_POLL_MS 10      /* while something may happen */
#define UI_IDLE_POLL_MS 100 /* when the exchange is done */
#define UI_FLASH_SECONDS 2.5
#define UI_KEYS_PER_TICK 64 /* a pasted burst cannot starve the director */
#define KEY_TAB '\t'
#define KEY_CTRL_L 12

static const double speeds[] = {0.25, 0.5, 1, 2, 4, 8, 16};
#define NSPEEDS ((int)(sizeof speeds / sizeof speeds[0]))

static volatile sig_atomic_t ui_signal;
static volatile sig_atomic_t ui_active;
static SCREEN *ui_term;
static struct sigaction old_sa[3];
static const int caught[3] = {SIGINT, SIGTERM, SIGHUP};

/* Directors the view sink is registered with: the director cannot remove
 * a sink, so a second ui_run on the same director must not add another. */
static struct director *sinks_on[4];
static struct ui_view *cur_view;

static void view_sink(void *ctx, const struct ss_event *ev)
{
	(void)ctx;
	if (cur_view)
		ui_view_add(cur_view, ev);
}

static void add_sink_once(struct director *d)
{
	for (int i = 0; i < 4; i++)
		if (sinks_on[i] == d)
			return;
	for (int i = 0; i < 4; i++)
		if (sinks_on[i] == NULL) {
			sinks_on[i] = d;
			break;
		}
	director_add_sink(d, view_sink, NULL);
}

/* Note the signal and let the handler that was there (main's) note it
 * too; the loop sees the flag within one poll and restores the terminal. */
static void on_signal(int sig)
{
	ui_signal = sig;
	for (int i = 0; i < 3; i++)
		if (caught[i] == sig && !(old_sa[i].sa_flags & SA_SIGINFO) &&
		    old_sa[i].sa_handler != SIG_DFL && old_sa[i].sa_handler != SIG_IGN)
			old_sa[i].sa_handler(sig);
}

static void signals_install(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	for (int i = 0; i < 3; i++)
		sigaction(caught[i], &sa, &old_sa[i]);
}

static void signals_restore(void)
{
	for (int i = 0; i < 3; i++)
		sigaction(caught[i], &old_sa[i], NULL);
}

void ui_emergency_restore(void)
{
	if (!ui_active)
		return;
	ui_active = 0;
	endwin();
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static int terminal_start(char *err, size_t errsz)
{
	static int atexit_done;
	const char *nc = getenv("NO_COLOR");
	int utf8;

	/* ncurses needs the locale for UTF-8; numbers stay in the C locale so
	 * a recorded trace never gets decimal commas. */
	setlocale(LC_ALL, "");
	setlocale(LC_NUMERIC, "C");
	utf8 = strcmp(nl_langinfo(CODESET), "UTF-8") == 0;
	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
		snprintf(err, errsz, "the UI needs a terminal (use --headless)");
		return -1;
	}
	/* newterm, not initscr: initscr exits the process on a bad TERM. */
	ui_term = newterm(NULL, stdout, stdin);
	if (ui_term == NULL) {
		snprintf(err, errsz, "cannot use terminal type '%s' (use --headless)",
			 getenv("TERM") ? getenv("TERM") : "");
		return -1;
	}
	ui_active = 1;
	if (!atexit_done) {
		atexit(ui_emergency_restore);
		atexit_done = 1;
	}
	cbreak();
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	nodelay(stdscr, TRUE);
	set_escdelay(25);
	curs_set(0);
	if (has_colors() && (nc == NULL || nc[0] == '\0')) {
		start_color();
		use_default_colors();
		ui_draw_setup(1, utf8);
	} else {
		ui_draw_setup(0, utf8);
	}
	return 0;
}

static void terminal_stop(void)
{
	ui_emergency_restore();
	if (ui_term) {
		delscreen(ui_term);
		ui_term = NULL;
	}
}

struct loop {
	struct director *d;
	struct ui_view *v;
	struct ui_screen s;
	const struct ui_opts *o;
	int speed_i;
	int pending; /* a step asked for while the director was busy */
	double next_auto;
	double flash_until;
	int dirty;
	int result; /* -2: keep running */
	char *err;
	size_t errsz;
};

static void say(struct loop *L, const char *msg)
{
	snprintf(L->s.flash, sizeof L->s.flash, "%s", msg);
	L->flash_until = now_s() + UI_FLASH_SECONDS;
	L->dirty = 1;
}

/* A press while the previous step is still on its way into the kernel
 * is kept (one, not a queue) and granted as soon as the director can. */
static void step(struct loop *L)
{
	struct director_status st;

	director_status(L->d, &st);
	if (st.done) {
		say(L, "The exchange is done: r runs it again, q quits.");
		return;
	}
	if (st.nsteps > 0 && st.step >= st.nsteps) {
		say(L, "That was the last step: the actors are finishing.");
		return;
	}
	if (director_next(L->d) == 1) {
		L->pending = 1;
		say(L, "next step queued: the previous one is still running");
	}
}

static void grant_pending(struct loop *L)
{
	if (!L->pending)
		return;
	if (L->s.done || director_next(L->d) == 0) {
		L->pending = 0;
		L->s.flash[0] = '\0';
		L->dirty = 1;
	}
}

static void restart(struct loop *L)
{
	if (director_restart(L->d, L->err, L->errsz) < 0) {
		L->result = UI_ERROR;
		return;
	}
	ui_view_clear(L->v);
	L->pending = 0;
	ui_screen_init(&L->s, L->o);
	L->s.speed = speeds[L->speed_i];
	say(L, "restarted: paused before the first call");
	if (L->s.autoplay)
		L->next_auto = now_s();
}

static enum ui_pane focus_pane(const struct ui_screen *s)
{
	return s->focus == UI_FOCUS_CLIENT ? UI_PANE_CLIENT
	       : s->focus == UI_FOCUS_SEQ  ? UI_PANE_SEQ
					   : UI_PANE_SERVER;
}

/* Move a pane's bottom line by delta (negative: back in history). */
static void scroll_pane(struct loop *L, long delta, int home, int end)
{
	enum ui_pane p = focus_pane(&L->s);
	const struct ui_ring *r = &L->v->pane[p];
	long first = (long)ui_ring_first(r), last = (long)r->count - 1;
	long a = L->s.anchor[p] < 0 ? last : L->s.anchor[p];

	if (r->count == 0)
		return;
	if (end)
		a = last;
	else if (home)
		a = first + L->s.rows_pane - 2;
	else
		a += delta;
	if (a < first)
		a = first;
	L->s.anchor[p] = a >= last ? -1 : a;
}

static void scroll_focus(struct loop *L, int key)
{
	int page, big = 1 << 20;
	long delta = 0;
	int home = key == KEY_HOME, end = key == KEY_END;

	switch (L->s.focus) {
	case UI_FOCUS_TABLE:
		page = L->s.rows_table > 2 ? L->s.rows_table - 2 : 1;
		L->s.table_top += key == KEY_UP ? -1 : key == KEY_DOWN ? 1
				  : key == KEY_PPAGE ? -page : key == KEY_NPAGE ? page
				  : home ? -big : big;
		break;
	case UI_FOCUS_NARR:
		page = L->s.rows_narr > 1 ? L->s.rows_narr - 1 : 1;
		L->s.narr_off += key == KEY_UP ? 1 : key == KEY_DOWN ? -1
				 : key == KEY_PPAGE ? page : key == KEY_NPAGE ? -page
				 : home ? big : -big;
		if (L->s.narr_off < 0)
			L->s.narr_off = 0;
		break;
	default:
		page = L->s.rows_pane > 2 ? L->s.rows_pane / 2 : 1;
		delta = key == KEY_UP ? -1 : key == KEY_DOWN ? 1
			: key == KEY_PPAGE ? -page : key == KEY_NPAGE ? page : 0;
		scroll_pane(L, delta, home, end);
		break;
	}
	L->dirty = 1;
}

static void cycle_focus(struct loop *L, int dir)
{
	/* The diagram replaces the two panes, so it replaces them in the
	 * cycle too. */
	static const enum ui_focus panes[] = {UI_FOCUS_SERVER, UI_FOCUS_CLIENT,
					      UI_FOCUS_TABLE, UI_FOCUS_NARR};
	static const enum ui_focus seq[] = {UI_FOCUS_SEQ, UI_FOCUS_TABLE,
					    UI_FOCUS_NARR};
	const enum ui_focus *list = L->s.show_seq ? seq : panes;
	int n = L->s.show_seq ? 3 : 4, i;

	for (i = 0; i < n && list[i] != L->s.focus; i++)
		;
	if (i == n)
		i = 0;
	L->s.focus = list[(i + n + dir) % n];
	L->dirty = 1;
}

static void set_speed(struct loop *L, int delta)
{
	char msg[64];

	L->speed_i += delta;
	if (L->speed_i < 0)
		L->speed_i = 0;
	if (L->speed_i >= NSPEEDS)
		L->speed_i = NSPEEDS - 1;
	L->s.speed = speeds[L->speed_i];
	snprintf(msg, sizeof msg, "auto-play speed: %g step/s", L->s.speed);
	say(L, msg);
}

static void key(struct loop *L, int ch)
{
	L->dirty = 1;
	if (L->s.help && ch != 'q' && ch != 'Q' && ch != KEY_RESIZE) {
		L->s.help = 0;
		return;
	}
	switch (ch) {
	case 'q':
	case 'Q':
		L->result = UI_QUIT;
		break;
	case ' ':
	case 'n':
		step(L);
		break;
	case 'a':
		L->s.autoplay = !L->s.autoplay;
		L->next_auto = now_s();
		say(L, L->s.autoplay ? "auto-play on (a pauses)" : "paused");
		break;
	case '+':
	case '=':
		set_speed(L, 1);
		break;
	case '-':
	case '_':
		set_speed(L, -1);
		break;
	case 'r':
		restart(L);
		break;
	case '?':
	case 'h':
		L->s.help = 1;
		break;
	case 'd':
		L->s.show_seq = !L->s.show_seq;
		if (L->s.show_seq && (L->s.focus == UI_FOCUS_SERVER ||
				      L->s.focus == UI_FOCUS_CLIENT))
			L->s.focus = UI_FOCUS_SEQ;
		else if (!L->s.show_seq && L->s.focus == UI_FOCUS_SEQ)
			L->s.focus = UI_FOCUS_SERVER;
		break;
	case 'N':
	case 'P':
		if (L->o->lesson_nav)
			L->result = ch == 'N' ? UI_NEXT_LESSON : UI_PREV_LESSON;
		else
			say(L, "N/P move between lessons: run a lesson (sockstep lessons)");
		break;
	case KEY_TAB:
		cycle_focus(L, 1);
		break;
	case KEY_BTAB:
		cycle_focus(L, -1);
		break;
	case KEY_UP:
	case KEY_DOWN:
	case KEY_PPAGE:
	case KEY_NPAGE:
	case KEY_HOME:
	case KEY_END:
		scroll_focus(L, ch);
		break;
	case KEY_CTRL_L:
		clearok(curscr, TRUE);
		break;
	default:
		break;
	}
}

static void autoplay(struct loop *L)
{
	double t = now_s();

	if (!L->s.autoplay || L->s.done || t < L->next_auto)
		return;
	if (director_next(L->d) == 0)
		L->next_auto = t + 1.0 / L->s.speed;
}

/* Copy what the bars show; 1 when any of it changed. */
static int sync_status(struct loop *L)
{
	struct director_status st;
	struct ui_screen *s = &L->s;
	int changed;

	director_status(L->d, &st);
	changed = s->step != st.step || s->nsteps != st.nsteps ||
		  s->done != st.done || s->busy != st.busy || s->blocked != st.blocked ||
		  s->packets_ok != st.packets_ok;
	s->step = st.step;
	s->nsteps = st.nsteps;
	s->done = st.done;
	s->busy = st.busy;
	s->blocked = st.blocked;
	s->packets_ok = st.packets_ok;
	if (st.done && s->autoplay) {
		s->autoplay = 0;
		changed = 1;
	}
	return changed;
}

static void wait_input(struct director *d, int timeout_ms)
{
	struct pollfd fds[8];
	int n = 1;

	fds[0].fd = STDIN_FILENO;
	fds[0].events = POLLIN;
	n += director_pollfds(d, fds + 1, 7);
	if (poll(fds, (nfds_t)n, timeout_ms) < 0 && errno != EINTR)
		return;
}

static int run_loop(struct loop *L)
{
	unsigned long drawn_gen = (unsigned long)-1;

	while (L->result == -2) {
		int ch, keys = 0;

		if (ui_signal) {
			L->result = UI_INTERRUPTED;
			break;
		}
		wait_input(L->d, L->s.done && !L->s.autoplay ? UI_IDLE_POLL_MS
							       : UI_POLL_MS);
		while (L->result == -2 && keys++ < UI_KEYS_PER_TICK &&
		       (ch = getch()) != ERR)
			key(L, ch);
		if (L->result != -2)
			break;
		if (director_pump(L->d, 0) < 0) {
			snprintf(L->err, L->errsz, "lost the actors' reports: %s",
				 strerror(errno));
			L->result = UI_ERROR;
			break;
		}
		grant_pending(L);
		autoplay(L);
		if (sync_status(L))
			L->dirty = 1;
		if (L->s.flash[0] && now_s() > L->flash_until) {
			L->s.flash[0] = '\0';
			L->dirty = 1;
		}
		if (L->dirty || drawn_gen != L->v->generation) {
			ui_draw_frame(L->v, &L->s, LINES, COLS);
			refresh();
			L->dirty = 0;
			drawn_gen = L->v->generation;
		}
	}
	return L->result;
}

enum ui_result ui_run(struct director *d, const struct ui_opts *o, char *err,
		      size_t errsz)
{
	struct loop L;
	int rc;

	memset(&L, 0, sizeof L);
	L.v = ui_view_new(o->one_sided, o->mode);
	if (L.v == NULL) {
		snprintf(err, errsz, "out of memory for the view");
		return UI_ERROR;
	}
	L.d = d;
	L.o = o;
	L.err = err;
	L.errsz = errsz;
	L.result = -2;
	L.dirty = 1;
	L.speed_i = 2;
	ui_screen_init(&L.s, o);
	L.s.speed = speeds[L.speed_i];
	ui_signal = 0;
	if (terminal_start(err, errsz) < 0) {
		ui_view_free(L.v);
		return UI_ERROR;
	}
	signals_install();
	cur_view = L.v;
	add_sink_once(d);

	rc = run_loop(&L);

	cur_view = NULL;
	terminal_stop();
	signals_restore();
	ui_view_free(L.v);
	return (enum ui_result)rc;
}
