/*
 * output: headless sinks that print the event stream, as text for people
 * or JSONL for scripts (docs/trace-format.md).
 */
#ifndef SOCKSTEP_OUTPUT_H
#define SOCKSTEP_OUTPUT_H

#include <stdio.h>
#include "sockstep/event.h"

#define OUTPUT_TABLE_ROWS SS_TABLE_ROWS /* one snapshot, as the director keeps it */

struct output_text {
	FILE *out;
	int err; /* errno of the first failed write; nothing is written after */
	int narration; /* print each step's narration */
	/* rows of the socket-table snapshot being received */
	struct ss_event rows[OUTPUT_TABLE_ROWS];
	int nrows;
	int snapshot;
	char last_table[4096]; /* printed only when it changed */
};

void output_text_init(struct output_text *o, FILE *out);
/* director_sink printing aligned lines for people. */
void output_text_sink(void *ctx, const struct ss_event *ev);
/* Print what is still held (the last socket table). */
void output_text_flush(struct output_text *o);
/* A file a JSONL sink writes to and the errno of its first failed write
 * (0 while none failed): the session stops and says so (a full disk, a
 * reader that went away) instead of running on with nothing written. */
struct output_file {
	FILE *out;
	int err;
};
/* director_sink printing one JSON object a line; ctx is a struct
 * output_file *.  After a failed write it writes nothing more.  It does
 * not flush: its owner does, with output_file_flush after each
 * director_pump (one write for what one pump delivered), or makes the
 * file line-buffered. */
void output_jsonl_sink(void *ctx, const struct ss_event *ev);
/* Flush what the sink wrote; the first error is kept in f->err, and
 * returned.  A file with no FILE is fine. */
int output_file_flush(struct output_file *f);
/* Write one event as a JSONL line and flush.  0, or an errno. */
int output_jsonl_write(FILE *out, const struct ss_event *ev);

/* One line for a call event as the text output and the UI show it:
 * "c = accept(s)  = 4", "bind(s, 127.0.0.1:9001)  = -1 EADDRINUSE". */
void output_call_summary(const struct ss_event *ev, char *out, size_t outsz);
/* The same without the column padding: "connect(k, 127.0.0.1:9001) = 0". */
void output_call_line(const struct ss_event *ev, char *out, size_t outsz);
/* What the call returned, as both show it: " = 6 (new fd)",
 * " = -1 EADDRINUSE (Address already in use)", " = 5 \"hello\"". */
void output_call_result(const struct ss_call_event *c, char *out, size_t outsz);
/* The call as written: "c = accept(s)", "send(k, \"1\")". */
void output_call_text(const struct ss_event *ev, char *out, size_t outsz);

#endif
