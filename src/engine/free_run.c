/*
 * free_run: the walk of a script that runs free, and the pace of reading
 * it (free_run.h).
 */
#include "sockstep/free_run.h"

#include <string.h>
#include <time.h>

void free_run_init(struct free_run *f)
{
	memset(f, 0, sizeof *f);
}

enum free_report free_run_report(const struct ss_event *ev, int nsteps, int *idx)
{
	if (ev->kind == SS_EV_END && ev->step == 0)
		return FREE_RUN_OVER; /* skips included */
	if (ev->kind != SS_EV_BEGIN || ev->step < 1 || ev->step > nsteps)
		return FREE_RUN_NONE;
	*idx = ev->step - 1;
	return FREE_RUN_BEGIN;
}

void free_run_read_begins(struct free_run *f)
{
	f->before = f->reports;
}

void free_run_reported(struct free_run *f)
{
	f->reports++;
}

void free_run_read_ends(struct free_run *f)
{
	f->busy = f->reports != f->before;
}

int free_run_pace(const struct free_run *f, int finished, int timeout_ms)
{
	struct timespec ts = {0, FREE_READ_MS * 1000L * 1000L};

	if (!f->on || !f->busy || finished)
		return timeout_ms;
	nanosleep(&ts, NULL);
	return 0;
}
