/*
 * tracefile: a recorded trace (JSONL, docs/trace-format.md) read event by
 * event.  The one reader behind `sockstep replay` and `sockstep export`.
 *
 * Rules, the same for both: blank lines are skipped; a line of a kind a
 * later version added is skipped (jsonl's JSONL_UNKNOWN_KIND code); any
 * other malformed line stops the reading with "NAME:LINE: why" (NAME
 * escaped).  A line is at most TRACEFILE_LINE_MAX bytes, read into one
 * buffer and refused as soon as the cap is passed: /dev/zero through
 * stdin or a 1 GB line cost 1 MiB and stop at once.  A NUL byte in a line
 * is refused too (the line is not text).
 */
#ifndef SOCKSTEP_TRACEFILE_H
#define SOCKSTEP_TRACEFILE_H

#include <stddef.h>
#include <stdio.h>
#include "sockstep/event.h"

#define TRACEFILE_LINE_MAX (1024 * 1024)

/* Called once per event in file order; lineno is the event's line.
 * Return 0 to go on, -1 to stop (err filled by the callback). */
typedef int (*tracefile_fn)(void *ctx, const struct ss_event *ev, long lineno,
			    char *err, size_t errsz);

/* Read in to its end.  name is used in messages.  0, or -1 with err. */
int tracefile_read(FILE *in, const char *name, tracefile_fn fn, void *ctx,
		   char *err, size_t errsz);

/* Read the file at path (a regular file: files.h) into a new array of at
 * most max events, grown as the file goes.  The caller frees *evs.  0 with
 * *n >= 1, or -1 with err (cannot open, not a file, a bad line, more than
 * max events, no events at all). */
int tracefile_load(const char *path, int max, struct ss_event **evs, int *n,
		   char *err, size_t errsz);

#endif
