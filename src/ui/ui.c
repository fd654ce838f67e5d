/* ui: the terminal, the keys and the loop; the view and draw do the rest.
 *
 * The loop never blocks on anything but a short poll of the keyboard and
 * the director's descriptors: the director must be pumped often (it merges
 * reports by time and watches /proc for blocked actors), and a key press
 * must act at once. */
#include "sockstep/ui.h"

#include <curses.h>
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "sockstep/cut.h"
#include "sockstep/i18n.h"
#include "sockstep/record.h"
#include "sockstep/term.h"

#define UI_POLL_MS 10      /* while something may happen */
#define UI_IDLE_POLL_MS 100 /* when the exchange is done */
#define UI_FLASH_SECONDS 2.5
#define UI_KEYS_PER_TICK 64 /* a pasted burst cannot starve the director */
#define UI_VERDICT_SECONDS 4.0 /* auto-play lets a verdict be read */
#define KEY_TAB '\t'
#define KEY_CTRL_L 12
#define KEY_ESC 27

static const double speeds[] = {0.25, 0.5, 1, 2, 4, 8, 16};
#define NSPEEDS ((int)(sizeof speeds / sizeof speeds[0]))

struct ui_loop {
	struct director *d;
	struct ui_view *v;
	struct ui_screen s;
	const struct ui_opts *o;
	int speed_i;
	int pending; /* a step asked for while the director was busy */
	const char *side; /* traced programs: Tab picked this side, or NULL */
	double next_auto;
	double flash_until;
	unsigned long answers_seen; /* verdicts seen (auto-play waits on one) */
	int dirty;
	int result; /* -2: keep running */
	char *err;
	size_t errsz;
	struct record rec; /* the session's events, for the export key */
};

/* The loop's sink: the view and the session file.  Added by ui_run and
 * removed before it returns, so it never outlives the loop it points to. */
static void view_sink(void *ctx, const struct ss_event *ev)
{
	struct ui_loop *L = ctx;

	ui_view_add(L->v, ev);
	record_add(&L->rec, ev);
}

void ui_emergency_restore(void)
{
	term_restore();
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Copy what fits: messages are cut at the screen's edge anyway. */
static void say(struct ui_loop *L, const char *msg)
{
	cut_copy(L->s.flash, sizeof L->s.flash, msg);
	L->s.flash_error = 0;
	L->flash_until = now_s() + UI_FLASH_SECONDS;
	L->dirty = 1;
}

/* A mistake of the user's (a bad filter): red, and longer. */
static void say_error(struct ui_loop *L, const char *msg)
{
	say(L, msg);
	L->s.flash_error = 1;
	L->flash_until = now_s() + 3 * UI_FLASH_SECONDS;
}

/* A press while the previous step is still on its way into the kernel
 * is kept (one, not a queue) and granted as soon as the director can. */
static void step(struct ui_loop *L)
{
	struct director_status st;

	director_status(L->d, &st);
	if (st.done) {
		say(L, _("The exchange is done: r runs it again, q quits."));
		return;
	}
	if (st.nsteps > 0 && st.step >= st.nsteps) {
		say(L, _("That was the last step: the actors are finishing."));
		return;
	}
	/* a question waits for the learner: the prompt opens (sync_status) */
	if (director_next_for(L->d, L->side) == 1 && !director_question(L->d, NULL, 0)) {
		L->pending = 1;
		say(L, _("next step queued: the previous one is still running"));
	}
}

static void grant_pending(struct ui_loop *L)
{
	if (!L->pending)
		return;
	if (L->s.done || director_next_for(L->d, L->side) == 0 ||
	    director_question(L->d, NULL, 0)) {
		L->pending = 0;
		L->s.flash[0] = '\0';
		L->dirty = 1;
	}
}

static void restart(struct ui_loop *L)
{
	char desc[sizeof L->s.filter_desc];
	int present = L->s.present, nkeys = L->s.nkeys;
	const struct ui_key *keys = L->s.keys;

	if (director_restart(L->d, L->err, L->errsz) < 0) {
		L->result = UI_ERROR;
		return;
	}
	ui_view_clear(L->v);
	record_reset(&L->rec);
	L->pending = 0;
	L->answers_seen = 0;
	/* the layout and the filter are the learner's: they stay */
	snprintf(desc, sizeof desc, "%s", L->s.filter_desc);
	ui_screen_init(&L->s, L->o);
	L->s.keys = keys;
	L->s.nkeys = nkeys;
	snprintf(L->s.filter_desc, sizeof L->s.filter_desc, "%s", desc);
	L->s.present = present;
	L->s.speed = speeds[L->speed_i];
	say(L, _("restarted: paused before the first call"));
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
static void scroll_pane(struct ui_loop *L, long delta, int home, int end)
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

static void scroll_focus(struct ui_loop *L, int key)
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

static void cycle_focus(struct ui_loop *L, int dir)
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
	/* Two traced programs: Tab on a side's pane makes Space step that
	 * side; elsewhere, calls go in the order they arrived. */
	if (L->o->pick_side) {
		L->side = L->s.focus == UI_FOCUS_SERVER   ? "server"
			  : L->s.focus == UI_FOCUS_CLIENT ? "client"
							  : NULL;
		say(L, L->side == NULL ? _("Space: the calls in the order they arrived")
			: L->side[0] == 's' ? _("Space: the server's next call")
					    : _("Space: the client's next call"));
	}
}

static void set_speed(struct ui_loop *L, int delta)
{
	char msg[128];

	L->speed_i += delta;
	if (L->speed_i < 0)
		L->speed_i = 0;
	if (L->speed_i >= NSPEEDS)
		L->speed_i = NSPEEDS - 1;
	L->s.speed = speeds[L->speed_i];
	snprintf(msg, sizeof msg, _("auto-play speed: %g step/s"), L->s.speed);
	say(L, msg);
}

/* ---- filter, search, export ---------------------------------------- */

static void apply_filter(struct ui_loop *L, const char *expr)
{
	struct filter f;
	char err[256], msg[256];

	filter_init(&f);
	if (expr[strspn(expr, " ")] == '\0') {
		ui_view_set_filter(L->v, NULL);
		L->s.filter_desc[0] = '\0';
		say(L, _("filter cleared: every line is shown"));
	} else if (filter_parse(&f, expr, err, sizeof err) < 0) {
		say_error(L, err);
		return;
	} else {
		ui_view_set_filter(L->v, &f);
		filter_describe(&f, L->s.filter_desc, sizeof L->s.filter_desc);
		snprintf(msg, sizeof msg, _("filter: %.100s (f changes it, empty clears)"),
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
static void search(struct ui_loop *L, int dir)
{
	enum ui_pane order[UI_PANES];
	enum ui_pane fp = L->s.show_seq ? UI_PANE_SEQ : focus_pane(&L->s);
	int n = 0;
	char msg[256];

	if (L->s.search[0] == '\0') {
		say(L, _("/ searches the history first"));
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
			 _("match for '%.40s': Enter/F3/< older, > newer, Esc clears"), L->s.search);
		say(L, msg);
		return;
	}
	snprintf(msg, sizeof msg,
		 L->s.hl >= 0 ? _("no further match for '%.40s'") : _("no match for '%.40s'"),
		 L->s.search);
	say(L, msg);
}

/* The session so far as a diagram to keep (record.h). */
static void export_session(struct ui_loop *L)
{
	const char *title = L->o->title && L->o->title[0] ? L->o->title : _("sockstep session");
	char msg[256];

	if (record_export(&L->rec, title, L->v->filter.nclauses ? &L->v->filter : NULL,
			  msg, sizeof msg) < 0) {
		say_error(L, msg);
		return;
	}
	say(L, msg);
	L->flash_until = now_s() + 3 * UI_FLASH_SECONDS;
}

static void open_prompt(struct ui_loop *L, enum ui_prompt p, const char *init)
{
	L->s.prompt = p;
	cut_copy(L->s.input, sizeof L->s.input, init ? init : "");
	L->s.flash[0] = '\0';
	L->dirty = 1;
}

static void submit(struct ui_loop *L)
{
	enum ui_prompt p = L->s.prompt;

	switch (p) {
	case UI_PROMPT_ANSWER:
		if (L->s.input[0] == '\0') {
			say(L, _("type your prediction, then Enter (Esc skips the question)"));
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
static void prompt_key(struct ui_loop *L, int ch)
{
	size_t n = strlen(L->s.input);

	switch (ch) {
	case KEY_ESC:
		if (L->s.prompt == UI_PROMPT_ANSWER) {
			director_answer(L->d, NULL);
			L->s.prompt = UI_PROMPT_NONE;
			say(L, _("question skipped"));
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

static void act_quit(struct ui_loop *L, int ch)
{
	L->result = UI_QUIT;
}

static void act_step(struct ui_loop *L, int ch)
{
	step(L);
}

static void act_autoplay(struct ui_loop *L, int ch)
{
	L->s.autoplay = !L->s.autoplay;
	L->next_auto = now_s();
	say(L, L->s.autoplay ? _("auto-play on (a pauses)") : _("paused"));
}

static void act_faster(struct ui_loop *L, int ch)
{
	set_speed(L, 1);
}

static void act_slower(struct ui_loop *L, int ch)
{
	set_speed(L, -1);
}

static void act_restart(struct ui_loop *L, int ch)
{
	restart(L);
}

static void act_run_free(struct ui_loop *L, int ch)
{
	if (L->o->run_free == NULL) {
		say(L, _("c lets traced programs run free (sockstep trace)"));
		return;
	}
	L->o->run_free(L->o->run_free_ctx);
	L->pending = 0;
	say(L, _("running free: every call goes through at once (r restarts)"));
}

static void act_help(struct ui_loop *L, int ch)
{
	L->s.help = 1;
}

static void act_diagram(struct ui_loop *L, int ch)
{
	L->s.show_seq = !L->s.show_seq;
	if (L->s.show_seq &&
	    (L->s.focus == UI_FOCUS_SERVER || L->s.focus == UI_FOCUS_CLIENT))
		L->s.focus = UI_FOCUS_SEQ;
	else if (!L->s.show_seq && L->s.focus == UI_FOCUS_SEQ)
		L->s.focus = UI_FOCUS_SERVER;
}

static void act_lesson(struct ui_loop *L, int ch)
{
	if (L->o->lesson_nav)
		L->result = ch == 'N' ? UI_NEXT_LESSON : UI_PREV_LESSON;
	else
		say(L, _("N/P move between lessons: run a lesson (sockstep lessons)"));
}

static void act_focus(struct ui_loop *L, int ch)
{
	cycle_focus(L, ch == KEY_BTAB ? -1 : 1);
}

static void act_scroll(struct ui_loop *L, int ch)
{
	scroll_focus(L, ch);
}

static void act_redraw(struct ui_loop *L, int ch)
{
	clearok(curscr, TRUE);
}

static void act_filter(struct ui_loop *L, int ch)
{
	open_prompt(L, UI_PROMPT_FILTER, L->s.filter_desc);
}

static void act_search(struct ui_loop *L, int ch)
{
	open_prompt(L, UI_PROMPT_SEARCH, "");
}

static void act_older(struct ui_loop *L, int ch)
{
	search(L, -1);
}

static void act_newer(struct ui_loop *L, int ch)
{
	search(L, 1);
}

static void act_unmark(struct ui_loop *L, int ch)
{
	L->s.hl_pane = -1;
	L->s.hl = -1;
}

static void act_export(struct ui_loop *L, int ch)
{
	export_session(L);
}

static void act_present(struct ui_loop *L, int ch)
{
	L->s.present = !L->s.present;
	say(L, L->s.present ? _("presenter mode (p returns to the panes)")
			    : _("panes (p: presenter mode)"));
}

/* Every key, once: what it does and how the help screen and the key bar
 * name it (htop's Action table; the texts marked N_ and translated where
 * they are drawn).  Rows without help text act but are not
 * listed (Ctrl-L, Esc, synonyms on rows of their own). */
static const struct ui_key key_table[] = {
	{{'n', ' '}, act_step, {"n, Space", N_("perform the next step"), N_("n next"), 0, 0}},
	{{'a'}, act_autoplay, {"a", N_("auto-play on/off"), N_("a auto"), 0, 0}},
	{{'+', '=', '-', '_'}, NULL, {"+ / -", N_("auto-play faster / slower"), N_("+- speed"), 0, 0}},
	{{'+', '='}, act_faster, {NULL, NULL, NULL, 0, 0}},
	{{'-', '_'}, act_slower, {NULL, NULL, NULL, 0, 0}},
	{{'r'}, act_restart, {"r", N_("restart the exchange from scratch"), N_("r restart"), 0, 0}},
	{{'c'}, act_run_free, {"c", N_("trace: run free (Tab to a side: Space steps it)"), NULL, 0, 0}},
	{{'d'}, act_diagram, {"d", N_("sequence diagram (packets) on/off"), N_("d diagram"), 0, 0}},
	{{KEY_TAB, KEY_BTAB}, act_focus,
	 {"Tab", N_("focus: server, client, table, narration"), N_("Tab focus"), 0, 0}},
	{{'N', 'P'}, act_lesson,
	 {"N / P", N_("next / previous lesson (lessons)"), N_("N/P lesson"), 0, 1}},
	{{'f'}, act_filter,
	 {"f", N_("filter: actor=client, errno, kind=packet flags=S"), N_("f filter"), 1, 0}},
	{{'/'}, act_search, {"/", N_("search; Enter, F3, < older match, > newer"), N_("/ search"), 1, 0}},
	{{'\r', '\n', KEY_ENTER, '<', KEY_F(3)}, act_older, {NULL, NULL, NULL, 0, 0}},
	{{'>', KEY_F(15) /* Shift-F3 */}, act_newer, {NULL, NULL, NULL, 0, 0}},
	{{KEY_ESC}, act_unmark, {NULL, NULL, NULL, 0, 0}},
	{{'e'}, act_export,
	 {"e", N_("export the session: sockstep-PID.svg, .mmd, .html"), N_("e export"), 1, 0}},
	{{'p'}, act_present,
	 {"p", N_("presenter mode (large ports) on/off"), N_("p present"), 1, 0}},
	{{KEY_UP, KEY_DOWN, KEY_PPAGE, KEY_NPAGE, KEY_HOME, KEY_END}, act_scroll,
	 {"Up/Down, PgUp/PgDn, Home/End", N_("scroll the focused area"), N_("arrows scroll"), 1, 0}},
	{{0}, NULL,
	 {N_("questions"), N_("type a prediction, Enter checks it, Esc skips"), NULL, 0, 0}},
	{{'?', 'h'}, act_help, {"?", N_("this help (any key closes it)"), N_("? help"), 0, 0}},
	{{'q', 'Q'}, act_quit, {"q", N_("quit"), N_("q quit"), 0, 0}},
	{{KEY_CTRL_L}, act_redraw, {NULL, NULL, NULL, 0, 0}},
};
#define NKEYS ((int)(sizeof key_table / sizeof key_table[0]))

const struct ui_key *ui_key_table(int *n)
{
	*n = NKEYS;
	return key_table;
}

static void key(struct ui_loop *L, int ch)
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
	for (int i = 0; i < NKEYS; i++) {
		if (key_table[i].act == NULL)
			continue;
		for (int k = 0; k < UI_KEY_CODES && key_table[i].ch[k]; k++)
			if (key_table[i].ch[k] == ch) {
				key_table[i].act(L, ch);
				return;
			}
	}
}

static void autoplay(struct ui_loop *L)
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
static int sync_status(struct ui_loop *L)
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
	timeout_ms = director_wait_ms(d, timeout_ms);
	if (poll(fds, (nfds_t)n, timeout_ms) < 0 && errno != EINTR)
		return;
}

static int run_loop(struct ui_loop *L)
{
	unsigned long drawn_gen = (unsigned long)-1;

	while (L->result == -2) {
		int ch, keys = 0;

		if (term_signal()) {
			L->result = UI_INTERRUPTED;
			break;
		}
		if (L->o->write_error && *L->o->write_error) {
			/* what follows would be lost: the caller says why */
			if (L->errsz > 0)
				L->err[0] = '\0';
			L->result = UI_ERROR;
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
			snprintf(L->err, L->errsz, _("lost the actors' reports: %s"),
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
	struct ui_loop L;
	int rc;

	memset(&L, 0, sizeof L);
	L.v = ui_view_new(o->one_sided, o->mode);
	if (L.v == NULL) {
		snprintf(err, errsz, "%s", _("out of memory for the view"));
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
	L.s.keys = key_table;
	L.s.nkeys = NKEYS;
	if (term_start(err, errsz) < 0) {
		ui_view_free(L.v);
		return UI_ERROR;
	}
	term_signals_install();
	record_open(&L.rec);
	director_add_sink(d, view_sink, &L);

	rc = run_loop(&L);

	director_remove_sink(d, view_sink, &L);
	record_close(&L.rec);
	term_stop();
	term_signals_restore();
	ui_view_free(L.v);
	return (enum ui_result)rc;
}
