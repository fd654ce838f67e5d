/*
 * merge: the time-ordered buffer every event passes through on its way to
 * the sinks.
 *
 * Reports from several processes and packets from libpcap arrive out of
 * order by a few milliseconds (a SYN is captured before the connect() that
 * sent it returns).  Events wait here, sorted by time (stable: equal times
 * keep their arrival order), until they are older than the hold time; then
 * they go to the deliver callback.  Pure: the caller passes the clock, so the
 * rules are tested without waiting.  Bounded: when MERGE_MAX events wait,
 * all of them are delivered before the next is taken, in order.
 *
 * Ownership: a struct merge is a plain value (about 300 KB: embed it or
 * allocate it); the deliver callback and its ctx must outlive it.
 */
#ifndef SOCKSTEP_MERGE_H
#define SOCKSTEP_MERGE_H

#include "sockstep/event.h"

#define MERGE_MAX 512
/* Events are held this long so that reports from different processes and
 * from libpcap come out in time order. */
#define MERGE_HOLD 0.015

typedef void (*merge_deliver)(void *ctx, const struct ss_event *ev);

struct merge {
	merge_deliver deliver;
	void *ctx;
	double hold; /* seconds an event waits at least */
	int n;
	struct ss_event ev[MERGE_MAX];
};

void merge_init(struct merge *m, double hold, merge_deliver deliver, void *ctx);
/* Insert in time order after any event of the same time. */
void merge_push(struct merge *m, const struct ss_event *ev);
/* Deliver the events at least `hold` old at time now (all: every event). */
void merge_flush(struct merge *m, double now, int all);
/* Deliver the events of time <= upto, however young: for a caller that
 * knows nothing older than upto can still come (every process idle, the
 * capture read after upto was taken). */
void merge_release(struct merge *m, double upto);
/* Events waiting. */
int merge_pending(const struct merge *m);
/* When the oldest waiting event may go (its time plus the hold), or -1 if
 * none waits: how long a caller may sleep before a flush has work. */
double merge_due(const struct merge *m);

#endif
