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
 *
 * Two ways to read: tracefile_read calls back once per event; a
 * `struct tracefile` (tracefile_open) yields one event per call, so a
 * recording of any length is read in constant memory (the 1 MiB line
 * buffer and a 64 KiB block: lines are found with memchr in blocks read
 * with fread, not one getc per byte).
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

/* A recording read one event at a time. */
struct tracefile;

/* Open the file at path (a regular file: files.h).  NULL with err. */
struct tracefile *tracefile_open(const char *path, char *err, size_t errsz);
/* Read from in (not closed by tracefile_close); name is used in
 * messages.  NULL with err (out of memory). */
struct tracefile *tracefile_stream(FILE *in, const char *name, char *err,
				   size_t errsz);
/* The next event into *ev: 1, 0 at the end of the file, -1 with err
 * ("NAME:LINE: why"); after -1 the reader stays failed. */
int tracefile_next(struct tracefile *tf, struct ss_event *ev, char *err,
		   size_t errsz);
/* The line of the event tracefile_next gave last. */
long tracefile_lineno(const struct tracefile *tf);
/* Back to the first line (a file from tracefile_open: seekable).  0, or
 * -1 with err. */
int tracefile_rewind(struct tracefile *tf, char *err, size_t errsz);
/* NULL is fine. */
void tracefile_close(struct tracefile *tf);

#endif
