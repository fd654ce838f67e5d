/* replay_source: a recording behind the source interface plays one step
 * per grant (from one step event up to the next; what comes before the
 * first step goes with it, so no grant is empty of steps), says how many steps it
 * holds, and rewinds on a restart. */
#include <check.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sockstep/source.h"

static const char trace[] =
    "{\"kind\":\"note\",\"text\":\"before any step\"}\n"
    "{\"kind\":\"step\",\"step\":1,\"index\":1,\"count\":2}\n"
    "{\"kind\":\"note\",\"text\":\"a\"}\n"
    "{\"kind\":\"note\",\"text\":\"b\"}\n"
    "{\"kind\":\"step\",\"step\":2,\"index\":2,\"count\":2}\n"
    "{\"kind\":\"note\",\"text\":\"c\"}\n";

struct got {
	int n;
	enum ss_kind kind[16];
};

static void collect(void *ctx, const struct ss_event *ev)
{
	struct got *g = ctx;
	if (g->n < 16)
		g->kind[g->n] = ev->kind;
	g->n++;
}

static char path[64];

static void setup(void)
{
	int fd;

	snprintf(path, sizeof path, "/tmp/sockstep-replay-XXXXXX");
	fd = mkstemp(path);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, trace, strlen(trace)), (ssize_t)strlen(trace));
	close(fd);
}

static void teardown(void)
{
	unlink(path);
}

START_TEST(test_replay_source__each_grant_plays_one_step)
{
	char err[256];
	struct got g = {0};
	struct source_sink sink = {collect, &g};
	struct source_status st;
	struct source_grant next = {.index = -1};
	struct source *s = replay_source_new(path, err, sizeof err);

	ck_assert_ptr_nonnull(s);
	ck_assert(s->ops->verbatim);
	ck_assert_int_eq(s->ops->start(s->self, 0, &sink, err, sizeof err), 0);
	s->ops->status(s->self, &st);
	ck_assert_int_eq(st.nsteps, 2);
	ck_assert_int_eq(st.waiting, 1);
	ck_assert_int_eq(g.n, 0); /* nothing before the first grant */

	/* what came before the first step goes with it: every grant is a step */
	ck_assert_int_eq(s->ops->grant(s->self, &next), 0);
	ck_assert_int_eq(g.n, 4); /* the early note, step 1, a, b */
	ck_assert_int_eq(g.kind[0], SS_EV_NOTE);
	ck_assert_int_eq(g.kind[1], SS_EV_STEP);
	ck_assert_int_eq(g.kind[3], SS_EV_NOTE);
	ck_assert_int_eq(s->ops->done(s->self), 0);
	ck_assert_int_eq(s->ops->grant(s->self, &next), 0);
	ck_assert_int_eq(g.n, 6);
	ck_assert_int_eq(s->ops->done(s->self), 1);
	ck_assert_int_eq(s->ops->grant(s->self, &next), 1); /* nothing left */

	s->ops->stop(s->self);
	ck_assert_int_eq(s->ops->start(s->self, 0, &sink, err, sizeof err), 0);
	ck_assert_int_eq(s->ops->done(s->self), 0); /* rewound */
	source_free(s);
}
END_TEST

START_TEST(test_replay_source__a_missing_file_fails_at_start_with_its_name)
{
	char err[256];
	struct got g = {0};
	struct source_sink sink = {collect, &g};
	struct source *s = replay_source_new("/nonexistent/x.jsonl", err, sizeof err);

	ck_assert_ptr_nonnull(s);
	ck_assert_int_eq(s->ops->start(s->self, 0, &sink, err, sizeof err), -1);
	ck_assert_msg(strstr(err, "/nonexistent/x.jsonl") != NULL, "%s", err);
	source_free(s);
}
END_TEST

START_TEST(test_replay_source__a_bad_line_is_said_when_playback_reaches_it)
{
	static const char bad[] = "{\"kind\":\"step\",\"step\":1,\"index\":1}\n"
				  "{\"kind\":\"note\",\"text\":\"a\"}\n"
				  "{\"kind\":\"step\",\"step\":2,\"index\":2}\n"
				  "{\"kind\":\n";
	char err[256];
	struct got g = {0};
	struct source_sink sink = {collect, &g};
	struct source_grant next = {.index = -1};
	struct source *s;
	FILE *f = fopen(path, "w");

	ck_assert_ptr_nonnull(f);
	fputs(bad, f);
	fclose(f);
	s = replay_source_new(path, err, sizeof err);
	ck_assert_int_eq(s->ops->start(s->self, 0, &sink, err, sizeof err), 0);
	ck_assert_int_eq(s->ops->grant(s->self, &next), 0); /* step 1, whole */
	ck_assert_int_eq(g.n, 2);
	ck_assert_int_eq(s->ops->grant(s->self, &next), -1); /* step 2, then line 4 */
	ck_assert_int_eq(g.n, 4);
	ck_assert_int_eq(g.kind[2], SS_EV_STEP);
	ck_assert_int_eq(g.kind[3], SS_EV_NOTE);
	ck_assert_int_eq(s->ops->done(s->self), 1);
	source_free(s);
}
END_TEST

Suite *test_suite(void)
{
	Suite *s = suite_create("replay_source");
	TCase *tc = tcase_create("replay_source");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_replay_source__each_grant_plays_one_step);
	tcase_add_test(tc, test_replay_source__a_missing_file_fails_at_start_with_its_name);
	tcase_add_test(tc, test_replay_source__a_bad_line_is_said_when_playback_reaches_it);
	suite_add_tcase(s, tc);
	return s;
}
