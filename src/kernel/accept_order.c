/*
 * accept_order: may the table's narration say a connect() returned before
 * accept()?  Only from what the events showed (accept_order.h).
 */
#include "sockstep/accept_order.h"

#include <string.h>

void accept_order_init(struct accept_order *a)
{
	a->from = a->to = -1;
}

int accept_order_is_accept(const char *call)
{
	return strcmp(call, "accept") == 0 || strcmp(call, "accept4") == 0;
}

void accept_order_begins(struct accept_order *a, const struct ss_event *ev)
{
	if (!accept_order_is_accept(ev->u.call.name))
		return;
	/* a blocked line after the begin is the same accept, still waiting */
	if (ev->kind == SS_EV_BEGIN ||
	    (ev->kind == SS_EV_BLOCKED && (a->from < 0 || a->to >= 0))) {
		a->from = ev->t;
		a->to = -1;
	}
}

void accept_order_returns(struct accept_order *a, const struct ss_event *ev)
{
	if (accept_order_is_accept(ev->u.call.name))
		a->to = ev->t;
}

int accept_order_waiting_at(const struct accept_order *a, int n, double t)
{
	for (int i = 0; i < n; i++)
		if (a[i].from >= 0 && a[i].from <= t && (a[i].to < 0 || a[i].to >= t))
			return 1;
	return 0;
}

const struct ss_event *accept_order_citable(const struct accept_order *a, int n,
					    const struct ss_event *call)
{
	if (call && strcmp(call->u.call.name, "connect") == 0 &&
	    accept_order_waiting_at(a, n, call->t))
		return NULL;
	return call;
}
