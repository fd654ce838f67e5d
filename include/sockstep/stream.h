/*
 * stream: the session's one event stream.  Everything the director and the
 * modules it drives say (a source's reports, the kernel's table, packets,
 * notes, verdicts) is pushed here; the merge (merge.h) puts it in time
 * order and hands each event to every sink (UI, text, JSONL, recorder).
 * A recording's events are in order already: they go to the sinks
 * directly (stream_deliver).  The session clock lives here too: t in
 * seconds since t0, the time every event is stamped with.
 *
 * Ownership: a plain value the director embeds (the merge makes it about
 * 300 KB); it must not move once stream_init ran (the merge points back at
 * it).  A sink's ctx is the caller's and must outlive its registration.
 */
#ifndef SOCKSTEP_STREAM_H
#define SOCKSTEP_STREAM_H

#include "sockstep/event.h"
#include "sockstep/merge.h"

#define STREAM_SINKS_MAX 8

typedef void (*stream_sink)(void *ctx, const struct ss_event *ev);

struct stream {
	struct {
		stream_sink fn;
		void *ctx;
	} sinks[STREAM_SINKS_MAX];
	int nsinks;
	double t0; /* the session began (event_clock_now) */
	struct merge merge;
};

/* No sink, nothing waiting, the clock at 0. */
void stream_init(struct stream *s);
/* Forget what waits (a restart); the sinks stay. */
void stream_reset(struct stream *s);
/* The session begins now: t0 for every stamp from here on. */
void stream_start(struct stream *s);
/* Seconds since the session began. */
double stream_now(const struct stream *s);
/* Add a sink (ignored past STREAM_SINKS_MAX); remove the one added with fn
 * and ctx (no-op if there is none). */
void stream_add_sink(struct stream *s, stream_sink fn, void *ctx);
void stream_remove_sink(struct stream *s, stream_sink fn, void *ctx);
/* Into the merge, to wait for its time. */
void stream_push(struct stream *s, const struct ss_event *ev);
/* The same as a callback: ctx is the struct stream. */
void stream_push_cb(void *ctx, const struct ss_event *ev);
/* Straight to the sinks, past the merge (events already in order). */
void stream_deliver(struct stream *s, const struct ss_event *ev);
/* A NOTE from sockstep (actor NULL) or about an actor, stamped now:
 * level 0 info, 1 warning, 2 error (the session stops).  A text too long
 * for the note is cut at a character's start. */
void stream_note(struct stream *s, int level, const char *actor,
		 const char *fmt, ...) __attribute__((format(printf, 4, 5)));
/* Hand on what is due now (all: everything waiting). */
void stream_flush(struct stream *s, int all);

#endif
