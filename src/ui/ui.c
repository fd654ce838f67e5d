/* ui: the terminal, the keys and the loop; the view and draw do the rest.
 *
 * The loop never blocks on anything but a short poll of the keyboard and
 * the director's descriptors: the director must be pumped often (it merges
 * reports by time and watches /proc for blocked actors), and a key press
 * must act at once. */
#include "sockstep/ui.h"

#include <curses.h>
#include <errno.h>
#include <fcntl.h>
#include <langinfo.h>
#include <locale.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "sockstep/export.h"
#include "sockstep/export_html.h"
#include "sockstep/output.h"

#define UI_POLL_MS 10      /* while something may happen */
#define UI_IDLE_POLL_MS 100 /* when the exchange is done */
#define UI_FLASH_SECONDS 2.5
#define UI_KEYS_PER_TICK 64 /* a pasted burst cannot starve the director */
#define UI_VERDICT_SECONDS 4.0 /* auto-play lets a verdict be read */
#define UI_REC_EVENTS 50000    /* events kept for the export key */
#define KEY_TAB '\t'
#define KEY_CTRL_L 12
#define KEY_ESC 27

static const double speeds[] = {0.25, 0.5, 1, 2, 4, 8, 16};
#define NSPEEDS ((int)(sizeof speeds / sizeof speeds[0]))

static volatile sig_atomic_t ui_signal;
static volatile sig_atomic_t ui_active;
static SCREEN *ui_term;
static struct sigaction old_sa[3];
static const int caught[3] = {SIGINT, SIGTERM, SIGHUP};

/* The director cannot remove a sink, and a new director may reuse a freed
 * one's address: each ui_run registers its own sink, tagged with the run's
 * number, and only the current run's sink passes events on. */
static uintptr_t cur_run;
static struct ui_view *cur_view;
/* The session as JSONL in an unlinked temporary file, for the export key
 * (the view keeps display lines, not events). */
static FILE *cur_rec;
static unsigned long cur_rec_events;

static void view_sink(void *ctx, const struct ss_event *ev)
{
	if ((uintptr_t)ctx != cur_run)
		return;
	if (cur_view)
		ui_view_add(cur_view, ev);
	if (cur_rec && cur_rec_events < UI_REC_EVENTS) {
		output_jsonl_sink(cur_rec, ev);
		cur_rec_events++;
	}
}

/* mkstemp in $TMPDIR, unlinked at once: nothing is left behind, whatever
 * way the UI ends.  NULL if it cannot be made (export then says so). */
static FILE *rec_open(void)
{
	const char *dir = getenv("TMPDIR");
	char path[512];
	int fd;
	FILE *f;

	snprintf(path, sizeof path, "%s/sockstep-ui-XXXXXX",
		 dir && dir[0] ? dir : "/tmp");
	fd = mkstemp(path);
	if (fd < 0)
		return NULL;
	unlink(path);
	/* appends stay at the end while the export reads from the start */
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_APPEND);
	f = fdopen(fd, "a");
	if (f == NULL)
		close(fd);
	return f;
}

static void rec_reset(void)
{
	if (cur_rec == NULL)
		return;
	fflush(cur_rec);
	if (ftruncate(fileno(cur_rec), 0) < 0) {
		fclose(cur_rec);
		cur_rec = NULL;
	}
	cur_rec_events = 0;
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
	unsigned long answers_seen; /* verdicts seen (auto-play waits on one) */
	int dirty;
	int result; /* -2: keep running */
	char *err;
	size_t errsz;
};

/* Copy what fits: messages are cut at the screen's edge anyway. */
static void copy_cut(char *out, size_t outsz, const char *in)
{
	size_t n = strnlen(in, outsz - 1);

	memcpy(out, in, n);
	out[n] = '\0';
}

static void say(struct loop *L, const char *msg)
{
	copy_cut(L->s.flash, sizeof L->s.flash, msg);
	L->s.flash_error = 0;
	L->flash_until = now_s() + UI_FLASH_SECONDS;
	L->dirty = 1;
}

/* A mistake of the user's (a bad filter): red, and longer. */
static void say_error(struct loop *L, const char *msg)
{
	say(L, msg);
	L->s.flash_error = 1;
	L->flash_until = now_s() + 3 * UI_FLASH_SECONDS;
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
	/* a question waits for the learner: the prompt opens (sync_status) */
	if (director_next(L->d) == 1 && !director_question(L->d, NULL, 0)) {
		L->pending = 1;
		say(L, "next step queued: the previous one is still running");
	}
}

static void grant_pending(struct loop *L)
{
	if (!L->pending)
		return;
	if (L->s.done || director_next(L->d) == 0 || director_question(L->d, NULL, 0)) {
		L->pending = 0;
		L->s.flash[0] = '\0';
		L->dirty = 1;
	}
}

static void restart(struct loop *L)
{
	char desc[sizeof L->s.filter_desc];
	int present = L->s.present;

	if (director_restart(L->d, L->err, L->errsz) < 0) {
		L->result = UI_ERROR;
		return;
	}
	ui_view_clear(L->v);
	rec_reset();
	L->pending = 0;
	L->answers_seen = 0;
	/* the layout and the filter are the learner's: they stay */
	snprintf(desc, sizeof desc, "%s", L->s.filter_desc);
	ui_screen_init(&L->s, L->o);
	snprintf(L->s.filter_desc, sizeof L->s.filter_desc, "%s", desc);
	L->s.present = present;
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
	long first = (long)ui_ring_shown_first(r), last = (long)r->nshown - 1;
	long a = L->s.anchor[p] < 0 ? last : L->s.anchor[p];

	if (last < first)
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

/* ---- filter, search, export ---------------------------------------- */

static void apply_filter(struct loop *L, const char *expr)
{
	struct filter f;
	char err[256], msg[160];

	filter_init(&f);
	if (expr[strspn(expr, " ")] == '\0') {
		ui_view_set_filter(L->v, NULL);
		L->s.filter_desc[0] = '\0';
		say(L, "filter cleared: every line is shown");
	} else if (filter_parse(&f, expr, err, sizeof err) < 0) {
		say_error(L, err);
		return;
	} else {
		ui_view_set_filter(L->v, &f);
		filter_describe(&f, L->s.filter_desc, sizeof L->s.filter_desc);
		snprintf(msg, sizeof msg, "filter: %.100s (f changes it, empty clears)",
			 L->s.filter_desc);
		say(L, msg);
	}
	for (int p = 0; p < UI_PANES; p++)
		L->s.anchor[p] = -1;
	L->s.hl_pane = -1;
	L->s.hl = -1;
}

/* Find the search text from the highlighted match (or the newest line)
 * towards older (dir < 0) or newer lines: the focused pane first, then
 * the others; the pane scrolls to the match. */
static void search(struct loop *L, int dir)
{
	enum ui_pane order[UI_PANES];
	enum ui_pane fp = L->s.show_seq ? UI_PANE_SEQ : focus_pane(&L->s);
	int n = 0;
	char msg[128];

	if (L->s.search[0] == '\0') {
		say(L, "/ searches the history first");
		return;
	}
	order[n++] = fp;
	for (int p = 0; p < UI_PANES; p++)
		if ((enum ui_pane)p != fp && (p == UI_PANE_SEQ) == (L->s.show_seq != 0))
			order[n++] = (enum ui_pane)p;
	for (int i = 0; i < n; i++) {
		enum ui_pane p = order[i];
		const struct ui_ring *r = &L->v->pane[p];
		long from, j;
		if (i == 0 && (int)L->s.hl_pane == (int)p && L->s.hl >= 0)
			from = L->s.hl + (dir < 0 ? -1 : 1);
		else if (i == 0 && L->s.anchor[p] >= 0)
			from = L->s.anchor[p];
		else
			from = dir < 0 ? (long)r->nshown - 1 : (long)ui_ring_shown_first(r);
		j = ui_view_search(L->v, p, L->s.search, from, dir);
		if (j < 0)
			continue;
		L->s.hl_pane = (int)p;
		L->s.hl = j;
		L->s.anchor[p] = j >= (long)r->nshown - 1 ? -1 : j;
		L->s.focus = p == UI_PANE_SEQ ? UI_FOCUS_SEQ
			     : p == UI_PANE_CLIENT ? UI_FOCUS_CLIENT : UI_FOCUS_SERVER;
		snprintf(msg, sizeof msg,
			 "match for '%.40s': Enter/F3/< older, > newer, Esc clears", L->s.search);
		say(L, msg);
		return;
	}
	snprintf(msg, sizeof msg, "no %smatch for '%.40s'", L->s.hl >= 0 ? "further " : "",
		 L->s.search);
	say(L, msg);
}

/* The session so far to keep: SVG and Mermaid diagrams and the HTML
 * page that steps through it, in the current directory, through the export module (what --record and
 * `sockstep export` would give, with the UI's filter). */
static void export_session(struct loop *L)
{
	static const struct {
		enum export_format fmt;
		const char *ext;
	} outs[] = {{EXPORT_SVG, "svg"}, {EXPORT_MERMAID, "mmd"}, {EXPORT_HTML, "html"}};
	char proc[64], name[3][64], err[256], msg[240];
	const char *title = L->o->title && L->o->title[0] ? L->o->title : "sockstep session";

	if (cur_rec == NULL) {
		say_error(L, "export: no temporary file for the session (check TMPDIR)");
		return;
	}
	if (cur_rec_events >= UI_REC_EVENTS) {
		say_error(L, "export: the session is too long for the UI: use --record and sockstep export --filter");
		return;
	}
	fflush(cur_rec);
	snprintf(proc, sizeof proc, "/proc/self/fd/%d", fileno(cur_rec));
	for (int i = 0; i < 3; i++) {
		FILE *in = fopen(proc, "r"), *out;
		int rc;
		snprintf(name[i], sizeof name[i], "sockstep-%d.%s", (int)getpid(), outs[i].ext);
		out = fopen(name[i], "w");
		if (in == NULL || out == NULL) {
			snprintf(msg, sizeof msg, "export: cannot write %s: %s", name[i],
				 strerror(errno));
			if (in)
				fclose(in);
			if (out)
				fclose(out);
			say_error(L, msg);
			return;
		}
		if (outs[i].fmt == EXPORT_HTML)
			rc = export_html(in, title, L->v->filter.nclauses ? &L->v->filter : NULL,
					 out, err, sizeof err);
		else
			rc = export_trace(in, title, outs[i].fmt,
					  L->v->filter.nclauses ? &L->v->filter : NULL, out, err,
					  sizeof err);
		fclose(in);
		if (fclose(out) != 0 && rc == 0) {
			snprintf(err, sizeof err, "%s: %s", name[i], strerror(errno));
			rc = -1;
		}
		if (rc < 0) {
			snprintf(msg, sizeof msg, "export: %.180s", err);
			say_error(L, msg);
			return;
		}
	}
	snprintf(msg, sizeof msg, "wrote %s, %s and %s%s", name[0], name[1], name[2],
		 L->v->filter.nclauses ? " (filtered)" : "");
	say(L, msg);
	L->flash_until = now_s() + 3 * UI_FLASH_SECONDS;
}

/* ---- the input line ------------------------------------------------ */

static void open_prompt(struct loop *L, enum ui_prompt p, const char *init)
{
	L->s.prompt = p;
	copy_cut(L->s.input, sizeof L->s.input, init ? init : "");
	L->s.flash[0] = '\0';
	L->dirty = 1;
}

static void submit(struct loop *L)
{
	enum ui_prompt p = L->s.prompt;

	switch (p) {
	case UI_PROMPT_ANSWER:
		if (L->s.input[0] == '\0') {
			say(L, "type your prediction, then Enter (Esc skips the question)");
			return;
		}
		director_answer(L->d, L->s.input);
		L->s.prompt = UI_PROMPT_NONE;
		/* the step the question held back runs now */
		step(L);
		break;
	case UI_PROMPT_FILTER:
		L->s.prompt = UI_PROMPT_NONE;
		apply_filter(L, L->s.input);
		break;
	case UI_PROMPT_SEARCH:
		L->s.prompt = UI_PROMPT_NONE;
		if (L->s.input[0]) {
			snprintf(L->s.search, sizeof L->s.search, "%s", L->s.input);
			L->s.hl_pane = -1;
			L->s.hl = -1;
			search(L, -1);
		}
		break;
	case UI_PROMPT_NONE:
		break;
	}
}

/* Keys while the input line is open: text, Backspace, Enter, Esc. */
static void prompt_key(struct loop *L, int ch)
{
	size_t n = strlen(L->s.input);

	switch (ch) {
	case KEY_ESC:
		if (L->s.prompt == UI_PROMPT_ANSWER) {
			director_answer(L->d, NULL);
			L->s.prompt = UI_PROMPT_NONE;
			say(L, "question skipped");
			step(L);
		} else {
			L->s.prompt = UI_PROMPT_NONE;
		}
		break;
	case '\r':
	case '\n':
	case KEY_ENTER:
		submit(L);
		break;
	case KEY_BACKSPACE:
	case 127:
	case 8:
		if (n > 0)
			L->s.input[n - 1] = '\0';
		break;
	case 21: /* Ctrl-U */
		L->s.input[0] = '\0';
		break;
	default:
		/* printable ASCII only: nothing typed can reach the terminal raw */
		if (ch >= 0x20 && ch < 0x7f && n + 1 < sizeof L->s.input) {
			L->s.input[n] = (char)ch;
			L->s.input[n + 1] = '\0';
		}
		break;
	}
}

static void key(struct loop *L, int ch)
{
	L->dirty = 1;
	if (ch == KEY_RESIZE)
		return;
	if (L->s.prompt != UI_PROMPT_NONE) {
		prompt_key(L, ch);
		return;
	}
	if (L->s.help && ch != 'q' && ch != 'Q') {
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
	case 'f':
		open_prompt(L, UI_PROMPT_FILTER, L->s.filter_desc);
		break;
	case '/':
		open_prompt(L, UI_PROMPT_SEARCH, "");
		break;
	case '\r':
	case '\n':
	case KEY_ENTER:
	case '<':
	case KEY_F(3):
		search(L, -1);
		break;
	case '>':
	case KEY_F(15): /* Shift-F3 */
		search(L, 1);
		break;
	case KEY_ESC:
		L->s.hl_pane = -1;
		L->s.hl = -1;
		break;
	case 'e':
		export_session(L);
		break;
	case 'p':
		L->s.present = !L->s.present;
		say(L, L->s.present ? "presenter mode (p returns to the panes)"
				    : "panes (p: presenter mode)");
		break;
	default:
		break;
	}
}

static void autoplay(struct loop *L)
{
	double t = now_s();

	/* a verdict stays long enough to be read */
	if (L->v->answers != L->answers_seen) {
		L->answers_seen = L->v->answers;
		if (L->next_auto < t + UI_VERDICT_SECONDS)
			L->next_auto = t + UI_VERDICT_SECONDS;
	}
	if (!L->s.autoplay || L->s.done || t < L->next_auto ||
	    L->s.prompt == UI_PROMPT_ANSWER)
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
		  s->packets_ok != st.packets_ok || s->question != st.question ||
		  s->asked != st.asked || s->right != st.right;
	s->question = st.question;
	s->asked = st.asked;
	s->right = st.right;
	/* predict, then step: the next step waits for the learner */
	if (st.question && s->prompt == UI_PROMPT_NONE) {
		s->prompt = UI_PROMPT_ANSWER;
		s->input[0] = '\0';
		s->help = 0;
		changed = 1;
	} else if (!st.question && s->prompt == UI_PROMPT_ANSWER) {
		s->prompt = UI_PROMPT_NONE;
		changed = 1;
	}
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
	cur_rec = rec_open();
	cur_rec_events = 0;
	cur_run++;
	director_add_sink(d, view_sink, (void *)cur_run);

	rc = run_loop(&L);

	cur_view = NULL;
	cur_run++; /* this run's sink falls silent */
	if (cur_rec) {
		fclose(cur_rec);
		cur_rec = NULL;
	}
	terminal_stop();
	signals_restore();
	ui_view_free(L.v);
	return (enum ui_result)rc;
}
