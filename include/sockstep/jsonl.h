/*
 * jsonl: events as one JSON object a line (the documented trace format,
 * see docs/trace-format.md) and back.
 *
 * The same format carries events from actor processes to the director,
 * is what `--format jsonl` prints, what `--record` writes and what
 * `sockstep replay` reads, so a replay cannot differ from a live run.
 */
#ifndef SOCKSTEP_JSONL_H
#define SOCKSTEP_JSONL_H

#include <stddef.h>
#include "sockstep/event.h"

/* Longest line jsonl_format can produce: PIPE_BUF, one atomic pipe write
 * (a text of SS_TEXT_MAX control bytes, \u00XX each, still fits). */
#define JSONL_LINE_MAX 4096

/* Write ev as one JSON object followed by '\n' into buf.  Returns the
 * length written (without the NUL) or -1 if buf is too small. */
int jsonl_format(const struct ss_event *ev, char *buf, size_t size);

/* Parse one line (a trailing newline is allowed).  Unknown fields are
 * ignored so that newer traces still load.  Returns 0, or -1 with a reason
 * in err. */
int jsonl_parse(const char *line, struct ss_event *ev, char *err, size_t errsz);

/* Why a line did not parse, as a code: a reader of traces skips kinds a
 * later version added (JSONL_UNKNOWN_KIND) and stops on anything else. */
enum jsonl_status {
	JSONL_OK = 0,
	JSONL_BAD,          /* not a well-formed event line */
	JSONL_UNKNOWN_KIND  /* well-formed, of a kind this version does not know */
};

/* jsonl_parse, returning the status; err says why as text.  On failure
 * (either) *ev is left unspecified. */
enum jsonl_status jsonl_parse_status(const char *line, struct ss_event *ev,
				     char *err, size_t errsz);

#endif
