/* term: the terminal the UI owns, and the signals that must give it
 * back (see term.h). */
#include "sockstep/term.h"

#include <curses.h>
#include <langinfo.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sockstep/draw.h"
#include "sockstep/escape.h"
#include "sockstep/i18n.h"
/* last: its capability macros (lines, columns) would rename our fields */
#include <term.h>

/* File-scope because a signal handler and the atexit/error paths
 * (ui_emergency_restore) must reach them without a loop. */
static volatile sig_atomic_t ui_signal;
static volatile sig_atomic_t ui_active;
static SCREEN *ui_term;
static struct sigaction old_sa[3];
static const int caught[3] = {SIGINT, SIGTERM, SIGHUP};

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

void term_signals_install(void)
{
	struct sigaction sa;

	ui_signal = 0;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	for (int i = 0; i < 3; i++)
		sigaction(caught[i], &sa, &old_sa[i]);
}

void term_signals_restore(void)
{
	for (int i = 0; i < 3; i++)
		sigaction(caught[i], &old_sa[i], NULL);
}

void term_restore(void)
{
	if (!ui_active)
		return;
	ui_active = 0;
	endwin();
}

int term_signal(void)
{
	return ui_signal;
}

/* Whether $TERM can place text anywhere (cursor addressing): 1, 0, or
 * -1 when its description cannot be read (newterm then says so).  Reads
 * the description only: nothing is written to the terminal. */
static int term_can_draw(void)
{
	TERMINAL *saved = cur_term;
	int errret = 0, can;
	const char *cup;

	if (setupterm(NULL, STDOUT_FILENO, &errret) != OK)
		return -1;
	cup = tigetstr("cup");
	can = cup != NULL && cup != (const char *)-1;
	del_curterm(cur_term);
	set_curterm(saved);
	return can;
}

int term_start(char *err, size_t errsz)
{
	static int atexit_done;
	const char *nc = getenv("NO_COLOR");
	char term[64];
	int utf8;

	/* The locale is main's (i18n_init, before anything is drawn):
	 * ncursesw reads it in newterm to draw UTF-8 and wide characters. */
	utf8 = strcmp(nl_langinfo(CODESET), "UTF-8") == 0;
	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
		snprintf(err, errsz, "%s", _("the UI needs a terminal (use --headless)"));
		return -1;
	}
	/* newterm, not initscr: initscr exits the process on a bad TERM. */
	escape_string(term, sizeof term, getenv("TERM") ? getenv("TERM") : "");
	/* TERM=dumb (an editor's shell, a CI log) has no cursor addressing:
	 * ncurses would draw everything on one line.  Say so, before newterm
	 * writes anything to the terminal. */
	if (term_can_draw() == 0) {
		snprintf(err, errsz,
			 _("terminal type '%s' cannot move the cursor (use --headless, or a TERM such as xterm-256color)"),
			 term);
		return -1;
	}
	ui_term = newterm(NULL, stdout, stdin);
	if (ui_term == NULL) {
		snprintf(err, errsz, _("cannot use terminal type '%s' (use --headless)"), term);
		return -1;
	}
	ui_active = 1;
	if (!atexit_done) {
		atexit(term_restore);
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

void term_stop(void)
{
	term_restore();
	if (ui_term) {
		delscreen(ui_term);
		ui_term = NULL;
	}
}
