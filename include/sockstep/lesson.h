/*
 * lesson: a lesson file, the Markdown a person reads with the script in it.
 *
 * Prose, a "# Title" line, and fenced blocks tagged `sockstep` whose lines
 * are steps (grammar.h).  Before a line is parsed its ${variables} are
 * substituted (host, port, pause, send, family, pid, uid).  The format is
 * documented in lessons/README.md.
 */
#ifndef SOCKSTEP_LESSON_H
#define SOCKSTEP_LESSON_H

#include <stddef.h>

#include "sockstep/script.h"

/* Variables substituted as ${name} before parsing (host, port, pause...).
 * The strings are the caller's and are copied into the steps. */
struct script_var {
	const char *name;
	const char *value;
};

/* Parse Markdown text holding sockstep blocks into sc (which the caller
 * frees with script_free).  name is used in error messages
 * ("lessons/01.md:12: unknown call 'acept'").  Returns 0, or -1 with
 * "file:line: reason" in err. */
int lesson_parse(struct ss_script *sc, const char *text, const char *name,
		 const struct script_var *vars, size_t nvars, char *err,
		 size_t errsz);

/* Read and parse a lesson file (at most 256 KiB of text). */
int lesson_load(struct ss_script *sc, const char *path,
		const struct script_var *vars, size_t nvars, char *err,
		size_t errsz);

#endif
