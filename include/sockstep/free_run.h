/*
 * free_run: a script that runs free (director_opts.run_free, actor.h
 * "run"): one grant, then the actor takes step after step in the script's
 * order and reports each (begin, call, end; an end of step 0 when the run
 * is over).  The director follows the begins as if it had granted them;
 * this module says what a report means for that walk, and paces the
 * director's reading: an actor that keeps reporting is read every
 * FREE_READ_MS, not woken for (a reader asleep on the pipe costs the
 * writer a wake-up per write); once quiet, its next write wakes the
 * director again.
 *
 * A plain value the director owns (reset with free_run_init on a
 * restart); no I/O but the pause.
 */
#ifndef SOCKSTEP_FREE_RUN_H
#define SOCKSTEP_FREE_RUN_H

#include "sockstep/event.h"

#define FREE_READ_MS 2

struct free_run {
	int on;                /* the script runs free: steps followed, not granted */
	int busy;              /* and the last read found reports */
	unsigned long reports; /* events the source handed over */
	unsigned long before;  /* reports when the current read began */
};

enum free_report {
	FREE_RUN_NONE,  /* nothing for the walk (a call, a blocked line) */
	FREE_RUN_OVER,  /* the run is over: every step taken or skipped */
	FREE_RUN_BEGIN, /* the actor begins step *idx (0-based) */
};

void free_run_init(struct free_run *f);
/* What report ev means for the walk of a script of nsteps steps. */
enum free_report free_run_report(const struct ss_event *ev, int nsteps, int *idx);
/* Around one read of the source: count what it handed over. */
void free_run_read_begins(struct free_run *f);
void free_run_reported(struct free_run *f);
void free_run_read_ends(struct free_run *f);
/* The poll timeout to use: while a free run keeps reporting (and the
 * source was not told to end), pause FREE_READ_MS and poll without
 * waiting; else timeout_ms. */
int free_run_pace(const struct free_run *f, int finished, int timeout_ms);

#endif
