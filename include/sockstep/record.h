/*
 * record: the UI's own record of the session, for its export key.
 *
 * The view keeps display lines, not events; the export needs events.  So
 * the UI appends every event as JSONL to an unlinked temporary file
 * (nothing is left behind, whatever way the UI ends) and, on the key,
 * hands that file to the exporters as `sockstep export` would
 * read a --record file.  At most RECORD_EVENTS events are kept; a longer
 * session is refused with a hint rather than drawn in part.
 */
#ifndef SOCKSTEP_RECORD_H
#define SOCKSTEP_RECORD_H

#include <stddef.h>
#include <stdio.h>

#include "sockstep/event.h"
#include "sockstep/filter.h"

#define RECORD_EVENTS 50000

struct record {
	FILE *f; /* NULL when no temporary file could be made */
	unsigned long events;
};

/* A new, empty record in $TMPDIR (or /tmp).  r->f stays NULL on failure:
 * the export then says so. */
void record_open(struct record *r);
void record_add(struct record *r, const struct ss_event *ev);
/* Forget what was recorded (the session restarted). */
void record_reset(struct record *r);
void record_close(struct record *r);

/* Write the record as sockstep-PID.svg, .mmd (export.h) and .html
 * (export_html.h) in the current directory, keeping what f matches (NULL: all).  Returns 0 with
 * "wrote ..." in msg, or -1 with the reason in msg. */
int record_export(struct record *r, const char *title, const struct filter *f,
		  char *msg, size_t msgsz);

#endif
