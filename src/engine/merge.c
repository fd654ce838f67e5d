/* merge: hold events briefly and hand them on in time order. */
#include "sockstep/merge.h"

#include <string.h>

void merge_init(struct merge *m, double hold, merge_deliver deliver, void *ctx)
{
	m->deliver = deliver;
	m->ctx = ctx;
	m->hold = hold;
	m->n = 0;
}

static void deliver_until(struct merge *m, double limit, int all)
{
	int n = 0;

	while (n < m->n && (all || m->ev[n].t <= limit))
		n++;
	for (int i = 0; i < n; i++)
		m->deliver(m->ctx, &m->ev[i]);
	memmove(m->ev, m->ev + n, (size_t)(m->n - n) * sizeof m->ev[0]);
	m->n -= n;
}

void merge_flush(struct merge *m, double now, int all)
{
	deliver_until(m, now - m->hold, all);
}

void merge_release(struct merge *m, double upto)
{
	deliver_until(m, upto, 0);
}

void merge_push(struct merge *m, const struct ss_event *ev)
{
	int i;

	if (m->n == MERGE_MAX)
		merge_flush(m, 0, 1);
	i = m->n;
	while (i > 0 && m->ev[i - 1].t > ev->t)
		i--;
	memmove(m->ev + i + 1, m->ev + i, (size_t)(m->n - i) * sizeof m->ev[0]);
	m->ev[i] = *ev;
	m->n++;
}

int merge_pending(const struct merge *m)
{
	return m->n;
}

double merge_due(const struct merge *m)
{
	return m->n ? m->ev[0].t + m->hold : -1;
}
