/*
 * replay_source: a recording behind source.h.  The whole trace is read at
 * start (bounded: REPLAY_MAX events) through the one trace reader; each
 * grant plays one step: from one SS_EV_STEP event up to the next (what
 * comes before the first step goes with it).  The recording is a finished
 * stream (merged, narrated, with its table snapshots), so the source is
 * `verbatim`: the director passes it on as it is.  Restarting rewinds;
 * the file is not read again.
 */
#include "sockstep/source.h"

#include <stdio.h>
#include <stdlib.h>

#include "sockstep/tracefile.h"

#define REPLAY_MAX 100000 /* ~45 MB of events: a bounded store */

struct replay {
	const char *path;
	struct source_sink sink;
	struct ss_event *evs; /* the whole recording, NULL until loaded */
	int n, pos;
	int steps; /* SS_EV_STEP events in it */
};

static int replay_start(void *self, double t0, const struct source_sink *sink,
			char *err, size_t errsz)
{
	struct replay *r = self;

	r->sink = *sink;
	r->pos = 0;
	if (r->evs)
		return 0;
	if (tracefile_load(r->path, REPLAY_MAX, &r->evs, &r->n, err, errsz) < 0)
		return -1;
	for (int i = 0; i < r->n; i++)
		r->steps += r->evs[i].kind == SS_EV_STEP;
	return 0;
}

static int replay_pollfds(void *self, struct pollfd *fds, int max)
{
	return 0; /* everything is in memory */
}

static int replay_read(void *self)
{
	return 0;
}

static void replay_status(const void *self, struct source_status *st)
{
	const struct replay *r = self;

	*st = (struct source_status){0};
	st->waiting = r->pos < r->n;
	st->nsteps = r->steps;
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

	if (r->pos >= r->n)
		return 1;
	while (r->pos < r->n) {
		const struct ss_event *ev = &r->evs[r->pos];
		if (ev->kind == SS_EV_STEP) {
			if (stepped)
				break;
			stepped = 1;
		}
		r->sink.event(r->sink.ctx, ev);
		r->pos++;
	}
	return 0;
}

static void replay_end(void *self, int force)
{
}

static int replay_done(const void *self)
{
	const struct replay *r = self;
	return r->pos >= r->n;
}

static void replay_stop(void *self)
{
}

static void replay_free(void *self)
{
	struct replay *r = self;

	free(r->evs);
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
		snprintf(err, errsz, "out of memory");
		return NULL;
	}
	r->path = path;
	s->ops = &replay_ops;
	s->self = r;
	return s;
}
