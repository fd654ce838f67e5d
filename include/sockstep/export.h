/*
 * export: a recorded run (a JSONL trace) as a sequence diagram to keep.
 *
 * The actors (client, client2.., server..) are lifelines; each traced call
 * is a note on its actor's lifeline, written as the text output writes it
 * ("connect(k, 127.0.0.1:9001) = 0", then fd, local and peer address and
 * TCP state); each captured packet is an arrow from the actor owning its
 * source address to the one owning its destination (addresses matched
 * against the local/peer addresses the calls reported), labelled with its
 * flags and relative seq/ack/len as tcpdump writes them ("S. seq 0 ack 1").
 * Calls and packets appear in time order.  Three outputs: Mermaid and
 * PlantUML text (rendered by repository pages and note tools) and a
 * standalone SVG drawn here (export_model.h: how they are written).  Text from the trace is untrusted (peer data,
 * hand-edited traces) and is escaped for each target's syntax.
 */
#ifndef SOCKSTEP_EXPORT_H
#define SOCKSTEP_EXPORT_H

#include <stddef.h>
#include <stdio.h>
#include "sockstep/filter.h"

/* A diagram drawn from memory longer than this is refused: filter the
 * trace first.  A seekable file whose drawn events are in time order (as
 * sockstep records them) is streamed instead, in every format: the file
 * read twice, nothing kept per event, any length. */
#define EXPORT_ITEMS_MAX 20000
/* Lifelines (actors, plus "remote" for addresses no actor owns). */
#define EXPORT_ACTORS_MAX 16

/* EXPORT_HTML is a page, not a diagram: export_html.h writes it (with the
 * SVG inside); export_trace refuses it. */
enum export_format { EXPORT_MERMAID, EXPORT_PLANTUML, EXPORT_SVG, EXPORT_HTML };

/* "mermaid", "plantuml", "svg", "html" -> the format, or -1. */
int export_format_from_name(const char *name);

/* Read the JSONL trace in (name is used in messages and as the title),
 * keep the call, blocked and packet events f matches (f may be NULL) and
 * write the diagram to out.  Returns 0, or -1 with one line in err
 * ("trace.jsonl:12: column 3: ..."). */
int export_trace(FILE *in, const char *name, enum export_format fmt,
		 const struct filter *f, FILE *out, char *err, size_t errsz);

#endif
