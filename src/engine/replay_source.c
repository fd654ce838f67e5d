/*
 * replay_source: a recording behind source.h, read as it is played: each
 * grant reads and plays one step, from one SS_EV_STEP event up to the
 * next (what comes before the first step goes with it), holding only the
 * next event read ahead.  A recording of any length costs the reader's
 * buffers (~1 MiB), and playing starts at once.  One pass, so a bad line
 * is said when playback reaches it (docs/bad-input.md): the events before
 * it have been played, then an error note ends the session.  (A checking
 * pass first would double the cost: parsing is nearly all of it.)  The
 * step count is the recording's own (`count` of its first step event).
 * The recording is a finished stream (merged, narrated, with its table
 * snapshots), so the source is `verbatim`: the director passes it on as
 * it is.  Restarting rewinds the file (a regular file: files.h).
 */
#include "sockstep/source.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sockstep/escape.h"
#include "sockstep/i18n.h"
#include "sockstep/tracefile.h"

struct replay {
	const char *path;
	struct source_sink sink;
	struct tracefile *tf; /* NULL until started */
	struct ss_event next; /* read ahead: the next event to play */
	int have_next;        /* 0: the recording is played to its end */
	int steps;            /* SS_EV_STEP events in it */
	double last_t;        /* of the last event played */
	char err[256];        /* why the reading stopped, if it did */
};

/* Read the next event into r->next.  0, or -1 with r->err. */
static int read_ahead(struct replay *r)
{
	int rc = tracefile_next(r->tf, &r->next, r->err, sizeof r->err);

	r->have_next = rc == 1;
	return rc < 0 ? -1 : 0;
}

/* How many steps the recording holds, as its first step event says
 * (`count`, the script's steps): looked for among the first
 * PRELUDE_MAX events, none kept.  0 (unknown) if it says nothing.
 * Counting the step events would cost a second pass over the file. */
#define PRELUDE_MAX 1000
static int recorded_steps(struct replay *r, char *err, size_t errsz)
{
	struct ss_event ev;
	int rc, seen = 0;

	r->steps = 0;
	while (seen++ < PRELUDE_MAX && (rc = tracefile_next(r->tf, &ev, err, errsz)) == 1)
		if (ev.kind == SS_EV_STEP) {
			r->steps = ev.u.note.count > 0 ? ev.u.note.count : 0;
			break;
		}
	return tracefile_rewind(r->tf, err, errsz);
}

/* Back to the start, the first event read ahead. */
static int first_event(struct replay *r, char *err, size_t errsz)
{
	if (recorded_steps(r, err, errsz) < 0)
		return -1;
	if (read_ahead(r) < 0) {
		snprintf(err, errsz, "%s", r->err);
		return -1;
	}
	if (!r->have_next) {
		char shown[256];
		escape_text(shown, sizeof shown, r->path);
		snprintf(err, errsz, _("%s: no events"), shown);
		return -1;
	}
	return 0;
}

static int replay_start(void *self, double t0, const struct source_sink *sink,
			char *err, size_t errsz)
{
	struct replay *r = self;

	r->sink = *sink;
	if (r->tf == NULL) {
		r->tf = tracefile_open(r->path, err, errsz);
		if (r->tf == NULL)
			return -1;
	}
	return first_event(r, err, errsz);
}

static int replay_pollfds(void *self, struct pollfd *fds, int max)
{
	return 0; /* a regular file: always ready */
}

static int replay_read(void *self)
{
	return 0;
}

static void replay_status(const void *self, struct source_status *st)
{
	const struct replay *r = self;

	*st = (struct source_status){0};
	st->waiting = r->have_next;
	st->nsteps = r->steps;
}

/* The reading stopped at a bad line: say so as the session's error. */
static void bad_line(struct replay *r)
{
	struct ss_event ev;

	event_init(&ev, SS_EV_NOTE);
	ev.t = r->last_t;
	ev.u.note.index = 2; /* the session cannot go on */
	snprintf(ev.u.note.text, sizeof ev.u.note.text, "%s", r->err);
	r->sink.event(r->sink.ctx, &ev);
}

/* One grant plays one step: its SS_EV_STEP event and what follows up to
 * the next one.  What a recording holds before its first step (packets
 * the capture saw before the session's ports were known, a note) goes
 * with step 1: a grant that moved no step would leave the count, and
 * often the screen, as they were, and the press would look lost. */
static int replay_grant(void *self, const struct source_grant *g)
{
	struct replay *r = self;
	int stepped = 0;

	if (!r->have_next)
		return 1;
	while (r->have_next) {
		if (r->next.kind == SS_EV_STEP) {
			if (stepped)
				break;
			stepped = 1;
		}
		r->sink.event(r->sink.ctx, &r->next);
		r->last_t = r->next.t;
		if (read_ahead(r) < 0) {
			bad_line(r);
			return -1;
		}
	}
	return 0;
}

static void replay_end(void *self, int force)
{
}

static int replay_done(const void *self)
{
	const struct replay *r = self;
	return !r->have_next;
}

static void replay_stop(void *self)
{
}

static void replay_free(void *self)
{
	struct replay *r = self;

	tracefile_close(r->tf);
	free(r);
}

static const struct source_ops replay_ops = {
	.name = "replay",
	.verbatim = 1,
	.start = replay_start,
	.pollfds = replay_pollfds,
	.read = replay_read,
	.status = replay_status,
	.grant = replay_grant,
	.end = replay_end,
	.done = replay_done,
	.stop = replay_stop,
	.kill = NULL,
	.free = replay_free,
};

struct source *replay_source_new(const char *path, char *err, size_t errsz)
{
	struct source *s = calloc(1, sizeof *s);
	struct replay *r = calloc(1, sizeof *r);

	if (s == NULL || r == NULL) {
		free(s);
		free(r);
		snprintf(err, errsz, "%s", _("out of memory"));
		return NULL;
	}
	r->path = path;
	s->ops = &replay_ops;
	s->self = r;
	return s;
}
