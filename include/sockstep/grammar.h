/*
 * grammar: the step grammar of a sockstep block, one line at a time.
 *
 *     server: s = socket(AF_INET, SOCK_STREAM)     a step: actor, call
 *       say: ...   expect: ...   on-error: skip N  keywords under a step
 *       ask: ...   answer: FIELD   explain: ...    predict, then step
 *     summary: one line                            about the lesson
 *     trace-server: CMD   trace-client: CMD        real programs, traced
 *
 * Each call and each keyword has its own handler in a const table
 * (grammar.c).  The lesson file (lesson.c) finds the blocks, substitutes
 * ${variables} and hands each line here; the grammar fills the caller's
 * ss_script and knows nothing of Markdown.  Errors are "file:line: reason"
 * in the caller's buffer (grammar_fail).
 */
#ifndef SOCKSTEP_GRAMMAR_H
#define SOCKSTEP_GRAMMAR_H

#include <stddef.h>

#include "sockstep/script.h"

#define GRAMMAR_SOCKS_MAX 16 /* socket names per actor */

/* The parse in progress.  The caller sets sc (with steps allocated),
 * name, err and errsz, zeroes the rest, and counts lines in line. */
struct grammar {
	struct ss_script *sc;
	const char *name; /* file name for messages */
	int line;
	char *err;
	size_t errsz;
	/* sockets named so far, per actor, to catch typos at load time */
	char socks[SCRIPT_MAX_ACTORS][GRAMMAR_SOCKS_MAX][SS_NAME_MAX];
	int nsocks[SCRIPT_MAX_ACTORS];
};

/* One line inside a sockstep block (already substituted); indented: it
 * started with a blank.  0, or -1 with the reason in g->err. */
int grammar_line(struct grammar *g, char *line, int indented);

/* After the last line: what only the whole script can tell (a question
 * without an answer).  0 or -1. */
int grammar_finish(struct grammar *g);

/* "file:line: reason" into g->err; returns -1. */
int grammar_fail(struct grammar *g, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* s without leading and trailing blanks (cut in place). */
char *grammar_trim(char *s);

#endif
