/*
 * stream: the session's one event stream (stream.h): the merge's time
 * order in front of the sinks, the session clock, notes.
 */
#include "sockstep/stream.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "sockstep/cut.h"

static void deliver_cb(void *ctx, const struct ss_event *ev)
{
	stream_deliver(ctx, ev);
}

void stream_init(struct stream *s)
{
	memset(s, 0, sizeof *s);
	stream_reset(s);
}

void stream_reset(struct stream *s)
{
	merge_init(&s->merge, MERGE_HOLD, deliver_cb, s);
}

void stream_start(struct stream *s)
{
	s->t0 = event_clock_now();
}

double stream_now(const struct stream *s)
{
	return event_clock_now() - s->t0;
}

void stream_add_sink(struct stream *s, stream_sink fn, void *ctx)
{
	if (s->nsinks < STREAM_SINKS_MAX) {
		s->sinks[s->nsinks].fn = fn;
		s->sinks[s->nsinks++].ctx = ctx;
	}
}

void stream_remove_sink(struct stream *s, stream_sink fn, void *ctx)
{
	for (int i = 0; i < s->nsinks; i++)
		if (s->sinks[i].fn == fn && s->sinks[i].ctx == ctx) {
			memmove(&s->sinks[i], &s->sinks[i + 1],
				(size_t)(s->nsinks - i - 1) * sizeof s->sinks[0]);
			s->nsinks--;
			return;
		}
}

void stream_push(struct stream *s, const struct ss_event *ev)
{
	merge_push(&s->merge, ev);
}

void stream_push_cb(void *ctx, const struct ss_event *ev)
{
	stream_push(ctx, ev);
}

void stream_deliver(struct stream *s, const struct ss_event *ev)
{
	for (int i = 0; i < s->nsinks; i++)
		s->sinks[i].fn(s->sinks[i].ctx, ev);
}

void stream_note(struct stream *s, int level, const char *actor,
		 const char *fmt, ...)
{
	struct ss_event ev;
	va_list ap;

	event_init(&ev, SS_EV_NOTE);
	ev.t = stream_now(s);
	snprintf(ev.actor, sizeof ev.actor, "%s", actor ? actor : "sockstep");
	ev.u.note.index = level;
	va_start(ap, fmt);
	vsnprintf(ev.u.note.text, sizeof ev.u.note.text, fmt, ap);
	va_end(ap);
	cut_end(ev.u.note.text); /* a long Chinese note: no half character */
	stream_push(s, &ev);
}

void stream_flush(struct stream *s, int all)
{
	merge_flush(&s->merge, stream_now(s), all);
}
