/* actors_source: scripted actors behind the source interface, as real
 * processes on loopback: each grant runs one step, a server waiting in
 * accept() is reported blocked (read from /proc, not guessed), and stop
 * reaps it. */
#include <check.h>

#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "sockstep/lesson.h"
#include "sockstep/source.h"

struct got {
	int calls, ends, blocked, errors;
	char last_call[SS_NAME_MAX];
};

static void collect(void *ctx, const struct ss_event *ev)
{
	struct got *g = ctx;

	if (ev->kind == SS_EV_CALL) {
		g->calls++;
		snprintf(g->last_call, sizeof g->last_call, "%s", ev->u.call.name);
	}
	g->ends += ev->kind == SS_EV_END;
	g->blocked += ev->kind == SS_EV_BLOCKED;
	g->errors += ev->kind == SS_EV_NOTE && ev->u.note.index >= 2;
}

/* Read until cond holds, bounded (5 s). */
static int pump_until(struct source *s, const struct got *g, int ends, int blocked)
{
	for (int i = 0; i < 500; i++) {
		struct pollfd fds[4];
		int n = s->ops->pollfds(s->self, fds, 4);
		poll(fds, (nfds_t)n, 10);
		s->ops->read(s->self);
		if (g->ends >= ends && g->blocked >= blocked)
			return 1;
	}
	return 0;
}

START_TEST(test_actors_source__a_server_in_accept_is_seen_blocked)
{
	static struct ss_script sc;
	char err[256];
	struct got g = {0};
	struct source_sink sink = {collect, &g};
	struct source_status st;
	const char *text = "# T\n```sockstep\n"
			   "server: s = socket(AF_INET, SOCK_STREAM)\n"
			   "server: bind(s, 127.0.0.1:0)\n"
			   "server: listen(s, 1)\n"
			   "server: c = accept(s)\n"
			   "```\n";

	/* Check's own SIGTERM handler (it kills the test's process group)
	 * must not be what the actors inherit. */
	signal(SIGTERM, SIG_DFL);
	ck_assert_msg(lesson_parse(&sc, text, "t.md", NULL, 0, err, sizeof err) == 0, "%s", err);
	struct source *s = actors_source_new(&sc, 1, 30, err, sizeof err);
	ck_assert_ptr_nonnull(s);
	ck_assert_int_eq(s->ops->start(s->self, event_clock_now(), &sink, err, sizeof err), 0);
	for (int i = 0; i < 3; i++) {
		struct source_grant go = {.index = i};
		ck_assert_int_eq(s->ops->grant(s->self, &go), 0);
		ck_assert(pump_until(s, &g, i + 1, 0));
	}
	ck_assert_int_eq(g.calls, 3);
	ck_assert_str_eq(g.last_call, "listen");

	struct source_grant go = {.index = 3};
	ck_assert_int_eq(s->ops->grant(s->self, &go), 0);
	ck_assert_int_eq(s->ops->grant(s->self, &go), 1); /* still inside */
	ck_assert(pump_until(s, &g, 3, 1));
	ck_assert_int_eq(g.calls, 3); /* accept has not returned */
	s->ops->status(s->self, &st);
	ck_assert_int_eq(st.running, 1);
	ck_assert_int_eq(st.blocked, 1);
	ck_assert_int_eq(st.busy, 0);

	s->ops->end(s->self, 1);
	s->ops->stop(s->self);
	ck_assert_int_eq(s->ops->done(s->self), 1);
	ck_assert_int_eq(g.errors, 0); /* ended on purpose: no complaint */
	source_free(s);
	script_free(&sc);
}
END_TEST

Suite *test_suite(void)
{
	Suite *s = suite_create("actors_source");
	TCase *tc = tcase_create("actors_source");

	tcase_set_timeout(tc, 20);
	tcase_add_test(tc, test_actors_source__a_server_in_accept_is_seen_blocked);
	suite_add_tcase(s, tc);
	return s;
}
