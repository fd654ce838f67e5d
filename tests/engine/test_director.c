/* director: the policy over any source.  A source without a script (as the
 * tracer of a learner's programs will be) takes its own steps: each grant
 * lets one call through, its events reach the sinks in time order, and
 * the session is done when the source is. */
#include <check.h>

#include <stdlib.h>
#include <string.h>

#include "sockstep/director.h"

/* A stand-in source: two calls of one program, one per grant. */
struct fake {
	struct source_sink sink;
	double t0;
	int next, stopped;
};

static void emit(struct fake *f, enum ss_kind kind, const char *name, double dt)
{
	struct ss_event ev;

	event_init(&ev, kind);
	ev.t = event_clock_now() - f->t0 + dt;
	ev.step = f->next + 1;
	strcpy(ev.actor, "prog");
	if (kind == SS_EV_CALL) {
		strcpy(ev.u.call.name, name);
		ev.u.call.ret = 0;
	}
	f->sink.event(f->sink.ctx, &ev);
}

static int fake_start(void *self, double t0, const struct source_sink *sink,
		      char *err, size_t errsz)
{
	struct fake *f = self;
	f->sink = *sink;
	f->t0 = t0;
	f->next = 0;
	return 0;
}
static int fake_pollfds(void *self, struct pollfd *fds, int max) { return 0; }
static int fake_read(void *self) { return 0; }
static void fake_status(const void *self, struct source_status *st)
{
	const struct fake *f = self;
	memset(st, 0, sizeof *st);
	st->waiting = f->next < 2;
}
static int fake_grant(void *self, const struct source_grant *g)
{
	struct fake *f = self;
	static const char *const calls[] = {"socket", "connect"};

	if (f->next >= 2 || g->index != -1)
		return 1;
	emit(f, SS_EV_BEGIN, NULL, 0);
	/* reported out of order by a few ms: the merge puts it right */
	emit(f, SS_EV_CALL, calls[f->next], 0.002);
	emit(f, SS_EV_NOTE, NULL, 0.001);
	emit(f, SS_EV_END, NULL, 0.003);
	f->next++;
	return 0;
}
static void fake_end(void *self, int force) {}
static int fake_done(const void *self) { return ((const struct fake *)self)->next >= 2; }
static void fake_stop(void *self) { ((struct fake *)self)->stopped++; }
static void fake_free(void *self) {}

static const struct source_ops fake_ops = {
	.name = "fake", .start = fake_start, .pollfds = fake_pollfds,
	.read = fake_read, .status = fake_status, .grant = fake_grant,
	.end = fake_end, .done = fake_done, .stop = fake_stop, .free = fake_free,
};

static struct fake fake;
static struct source fake_source = {&fake_ops, &fake};

struct seen {
	int n, calls;
	enum ss_kind kinds[16];
	double t[16];
};

static void sink(void *ctx, const struct ss_event *ev)
{
	struct seen *s = ctx;
	if (s->n < 16) {
		s->kinds[s->n] = ev->kind;
		s->t[s->n] = ev->t;
	}
	s->n++;
	s->calls += ev->kind == SS_EV_CALL;
}

START_TEST(test_director__a_source_without_a_script_takes_its_own_steps)
{
	struct director_opts o = {.source = NULL};
	struct director_status st;
	struct seen seen = {0};
	char err[256];
	struct director *d;
	struct source *src = malloc(sizeof *src);

	*src = fake_source; /* the director frees what it is given */
	o.source = src;
	d = director_new(&o, err, sizeof err);
	ck_assert_ptr_nonnull(d);
	director_add_sink(d, sink, &seen);
	ck_assert_int_eq(director_start(d, err, sizeof err), 0);
	for (int i = 0; i < 200; i++) {
		director_status(d, &st);
		if (st.done)
			break;
		director_next(d);
		ck_assert_int_eq(director_pump(d, 5), 0);
	}
	director_status(d, &st);
	ck_assert(st.done);
	ck_assert_int_eq(st.step, 2);
	ck_assert_int_eq(seen.calls, 2);
	/* BEGIN and END stay inside; the note (earlier) comes before the
	 * call it was reported after: the sinks see time order */
	ck_assert_int_eq(seen.n, 4);
	ck_assert_int_eq(seen.kinds[0], SS_EV_NOTE);
	for (int i = 1; i < seen.n; i++)
		ck_assert(seen.t[i - 1] <= seen.t[i]);
	ck_assert_int_eq(director_next(d), 1); /* nothing left */
	director_free(d);
	ck_assert_int_ge(fake.stopped, 1);
}
END_TEST

Suite *test_suite(void)
{
	Suite *s = suite_create("director");
	TCase *tc = tcase_create("director");

	tcase_add_test(tc, test_director__a_source_without_a_script_takes_its_own_steps);
	suite_add_tcase(s, tc);
	return s;
}
