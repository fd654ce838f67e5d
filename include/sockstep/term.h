/*
 * term: the terminal for the UI (ncurses on stdin/stdout) and the signals
 * that must restore it.
 *
 * term_start checks for a terminal, opens it with newterm (a bad TERM is
 * an error line, not an exit), picks colours (NO_COLOR honoured) and the
 * line-drawing set (UTF-8 locale or ASCII).  SIGINT, SIGTERM and SIGHUP
 * are noted (term_signal) and passed on to the handler that was there, so
 * the loop can end and the terminal be restored on every path.
 */
#ifndef SOCKSTEP_TERM_H
#define SOCKSTEP_TERM_H

#include <stddef.h>

/* 0, or -1 with one line in err ("the UI needs a terminal"). */
int term_start(char *err, size_t errsz);
/* Give the terminal back and free the ncurses screen. */
void term_stop(void);
/* endwin() if the terminal is ours; safe from atexit and error paths. */
void term_restore(void);

/* Catch SIGINT, SIGTERM, SIGHUP until term_signals_restore; clears the
 * last signal seen. */
void term_signals_install(void);
void term_signals_restore(void);
/* The signal caught since term_signals_install, 0 if none. */
int term_signal(void);

#endif
