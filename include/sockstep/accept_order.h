/*
 * accept_order: a narration rule drawn from the events, not the table.
 * The table's narration may say "connect() returned before accept()" only
 * when that is what was seen: no accept() of any actor was waiting in the
 * kernel when the connect returned.  An accept seen beginning (a scripted
 * actor's begin) or seen asleep (a traced program reports no begin, only
 * that it sleeps in accept) and not yet returned was waiting.
 *
 * Pure: one struct accept_order per actor, a plain value the caller owns
 * (the director keeps one per actor of its script); no clock, no I/O.
 */
#ifndef SOCKSTEP_ACCEPT_ORDER_H
#define SOCKSTEP_ACCEPT_ORDER_H

#include "sockstep/event.h"

/* One actor's latest accept(): when it began and when it returned, in
 * session seconds; -1: not seen. */
struct accept_order {
	double from, to;
};

void accept_order_init(struct accept_order *a);
/* accept() in a script, accept4() in a traced program (Python's). */
int accept_order_is_accept(const char *call);
/* ev (a begin or blocked line of this actor): an accept begins, unless a
 * blocked line follows the begin already seen. */
void accept_order_begins(struct accept_order *a, const struct ss_event *ev);
/* ev (a call event of this actor): an accept returned. */
void accept_order_returns(struct accept_order *a, const struct ss_event *ev);
/* Was an accept() of one of the n actors waiting at time t? */
int accept_order_waiting_at(const struct accept_order *a, int n, double t);
/* The call the table's narration may cite (call itself), or NULL when it
 * is a connect that returned while an accept() was waiting: not "before
 * accept()". */
const struct ss_event *accept_order_citable(const struct accept_order *a, int n,
					    const struct ss_event *call);

#endif
