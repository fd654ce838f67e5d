/*
 * director: the policy of a session.  Which step may be taken next (the
 * script's order, repetitions, on-error skips, a question waiting for the
 * learner), what happens when a step ends (the kernel's table, the
 * lesson's expectations, the prediction judged, an unplanned failure
 * stopping the session) and when the session is done.  Everything else is
 * a module of its own: the source of events (source.h), the merge, what
 * the kernel says (kernel_view.h: registry, table, capture), the quiz, a
 * free run's walk (free_run.h), a traced program's own steps
 * (own_steps.h), steps held against real calls (call_match.h), when the
 * narration may say "before accept()" (accept_order.h).
 */
#include "sockstep/director.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sockstep/accept_order.h"
#include "sockstep/call_match.h"
#include "sockstep/cut.h"
#include "sockstep/explain.h"
#include "sockstep/free_run.h"
#include "sockstep/i18n.h"
#include "sockstep/kernel_view.h"
#include "sockstep/merge.h"
#include "sockstep/netns.h"
#include "sockstep/own_steps.h"
#include "sockstep/quiz.h"
#include "sockstep/quiz_round.h"
#include "sockstep/source.h"

#define SINKS_MAX 8
#define LIVE_TABLE_EVERY 0.25
#define TABLE_BUSY_EVERY 0.1
#define CHECK_MS 5
#define DIRECTORS_MAX 4

/* What the director follows of one actor's step, from the events. */
struct watch {
	int inflight;         /* step index being run, -1 if idle */
	int blocked;          /* of the inflight step */
	struct ss_event call; /* last call event of the inflight step */
	int have_call;
	int skip; /* steps of this actor to skip (on-error: skip N) */
	char prediction[SS_NAME_MAX * 4]; /* the learner's answer to check */
	int check_prediction;
	/* match_calls: the program made a call the step is not about (it
	 * passes), or was not yet waiting at a call when granted */
	int extra, regrant;
};

struct sink {
	director_sink fn;
	void *ctx;
};

struct director {
	struct director_opts o;
	const struct ss_script *sc; /* NULL: the source takes its own steps */
	struct source *src;
	struct sink sinks[SINKS_MAX];
	int nsinks;
	struct watch watches[SCRIPT_MAX_ACTORS];
	/* each actor's latest accept(), to say "before accept()" only from
	 * what was seen (same index as watches) */
	struct accept_order accepts[SCRIPT_MAX_ACTORS];
	double t0;

	struct script_cursor cur; /* the next step to grant: cur.pc */
	int granted;     /* steps granted so far */
	int total;       /* steps with repetitions */
	int last;        /* index of the last granted step, -1 */
	int finished;    /* the source was told to end */
	struct free_run fr; /* the script runs free (free_run.h) */
	int done;
	int failures;

	struct own_steps own; /* no script: a traced program's calls as steps */

	struct merge merge;
	struct kernel_view kv; /* registry, table, capture (kernel_view.h) */

	struct quiz_round quiz; /* predict, then step (quiz_round.h) */
	char first_failure[SS_TEXT_MAX * 2]; /* "file:line: step N ..." */
};

/* Every live director, so a fatal signal can reap all processes. */
static struct director *live_directors[DIRECTORS_MAX];

static void track(struct director *d, int on)
{
	for (int i = 0; on && i < DIRECTORS_MAX; i++)
		if (live_directors[i] == d)
			return; /* a restart: tracked already */
	for (int i = 0; i < DIRECTORS_MAX; i++) {
		if (on && live_directors[i] == NULL) {
			live_directors[i] = d;
			return;
		}
		if (!on && live_directors[i] == d)
			live_directors[i] = NULL;
	}
}

static double now_t(const struct director *d)
{
	return event_clock_now() - d->t0;
}

/* A live source that takes its own steps (traced programs): no script
 * to walk, but every call is the session's and ends a step. */
static int own_steps(const struct director *d)
{
	return d->sc == NULL && !d->src->ops->verbatim;
}

static int verbatim(const struct director *d)
{
	return d->src->ops->verbatim;
}

static void deliver(void *ctx, const struct ss_event *ev)
{
	struct director *d = ctx;

	for (int i = 0; i < d->nsinks; i++)
		d->sinks[i].fn(d->sinks[i].ctx, ev);
}

static void push(struct director *d, const struct ss_event *ev)
{
	merge_push(&d->merge, ev);
}

static void push_cb(void *ctx, const struct ss_event *ev)
{
	push(ctx, ev);
}

static void note(struct director *d, int level, const char *actor,
		 const char *fmt, ...) __attribute__((format(printf, 4, 5)));
static void note(struct director *d, int level, const char *actor,
		 const char *fmt, ...)
{
	struct ss_event ev;
	va_list ap;

	event_init(&ev, SS_EV_NOTE);
	ev.t = now_t(d);
	snprintf(ev.actor, sizeof ev.actor, "%s", actor ? actor : "sockstep");
	ev.u.note.index = level;
	va_start(ap, fmt);
	vsnprintf(ev.u.note.text, sizeof ev.u.note.text, fmt, ap);
	cut_end(ev.u.note.text); /* a long Chinese note: no half character */
	va_end(ap);
	push(d, &ev);
}

/* No more grants; force: also stop what is blocked in a call. */
static void finish(struct director *d, int force)
{
	d->src->ops->end(d->src->self, force);
	d->finished = 1;
}

/* ---- the session's sockets and the kernel's table ------------------ */

static const struct ss_event *sock_event_cb(void *ctx, const char *actor,
					    const char *sock)
{
	const struct director *d = ctx;
	const struct registry_sock *e = registry_find(&d->kv.reg, actor, sock);
	return e ? &e->last : NULL;
}

/* A connect that returned while an accept() was waiting did not return
 * "before accept()": the table narrates it without the call then. */
static void narrate_table(struct director *d, const struct ss_event *call)
{
	call = accept_order_citable(d->accepts, d->sc ? d->sc->nactors : 0, call);
	kernel_view_narrate(&d->kv, call);
}

/* ---- a step judged -------------------------------------------------- */

/* What an expectation or a prediction about w's step is checked against. */
static void expect_env_for(struct director *d, const struct watch *w,
			   struct expect_env *env)
{
	memset(env, 0, sizeof *env);
	env->call = w->have_call ? &w->call : NULL;
	env->blocked = w->blocked;
	env->sock_event = sock_event_cb;
	env->ctx = d;
	env->rows = d->kv.table.rows;
	env->nrows = d->kv.table.nrows;
	expect_ephemeral_range(&env->eph_lo, &env->eph_hi);
}

/* An expectation on the kernel table not holding yet: look again. */
static void refresh_table(void *ctx, struct expect_env *env)
{
	struct director *d = ctx;

	d->kv.o.table = 1;
	kernel_view_snapshot(&d->kv);
	env->rows = d->kv.table.rows;
	env->nrows = d->kv.table.nrows;
}

static void check_expectations(struct director *d, struct watch *w)
{
	struct expect_env env;

	if (d->sc->steps[w->inflight].nexpect == 0)
		return; /* nothing to check: no environment to build */
	expect_env_for(d, w, &env);
	d->failures += quiz_check_step(d->sc, w->inflight, &env, refresh_table, d,
				       d->t0, push_cb, d, d->first_failure,
				       sizeof d->first_failure);
}

/* Compare the learner's prediction with what the kernel answered. */
static void check_prediction(struct director *d, struct watch *w)
{
	struct expect_env env;
	struct ss_event ev;

	expect_env_for(d, w, &env);
	quiz_round_scored(&d->quiz, quiz_answer_event(d->sc, w->inflight,
						      w->prediction, &env, d->t0, &ev));
	push(d, &ev);
}

/* A failed call nobody planned for ends the session, as an exception
 * ends the seed's Python program; on-error: skip N skips instead. */
static void judge_failure(struct director *d, struct watch *w,
			  const struct ss_step *st)
{
	const char *actor = d->sc->actors[st->actor];
	const struct ss_call_event *c = &w->call.u.call;

	if (quiz_expects_failure(st))
		return;
	if (st->skip_on_error) {
		w->skip = st->skip_on_error;
		return;
	}
	if (event_errno_name(c->err))
		note(d, 2, actor, _("%s: %s failed with %s (%s); the %s stops here"),
		     actor, c->name, event_errno_name(c->err), strerror(c->err), actor);
	else
		note(d, 2, actor, _("%s: %s failed with an error (%s); the %s stops here"),
		     actor, c->name, strerror(c->err), actor);
	d->failures++;
	finish(d, 1);
}

static void step_ended(struct director *d, struct watch *w)
{
	const struct ss_step *st = &d->sc->steps[w->inflight];
	/* A server serving client after client: a table after every step
	 * would scroll by unread and cost a kernel dump each; one every
	 * TABLE_BUSY_EVERY seconds, and always the final one. */
	int table_now = d->sc->repeat_count <= 1 || st->nexpect ||
			now_t(d) - d->kv.last_table >= TABLE_BUSY_EVERY;
	int failed = w->have_call && w->call.u.call.ret < 0;

	if (table_now) {
		kernel_view_snapshot(&d->kv);
		d->kv.last_table = now_t(d);
	}
	check_expectations(d, w);
	if (w->check_prediction)
		check_prediction(d, w);
	w->check_prediction = 0;
	if (table_now) {
		kernel_view_emit(&d->kv, w->inflight + 1, 1);
		narrate_table(d, w->have_call ? &w->call : NULL);
	}
	w->inflight = -1;
	w->blocked = w->have_call = 0;
	if (failed)
		judge_failure(d, w, st);
}

/* ---- what the source reports ----------------------------------------- */

static struct watch *watch_of(struct director *d, const char *actor)
{
	int i = d->sc ? script_actor_index(d->sc, actor) : -1;
	return i >= 0 ? &d->watches[i] : NULL;
}

static void on_call(struct director *d, struct watch *w, const struct ss_event *ev)
{
	const char *why = explain_call(ev);

	if (w) {
		accept_order_returns(&d->accepts[w - d->watches], ev);
		w->call = *ev;
		w->have_call = 1;
	}
	kernel_view_record(&d->kv, ev,
			   d->sc && ev->step >= 1 && ev->step <= d->sc->nsteps
				   ? &d->sc->steps[ev->step - 1].target
				   : NULL);
	push(d, ev);
	if (why)
		note(d, 0, ev->actor, "%s", why);
}

static void push_step(struct director *d, int idx, double t);
static void follow_step(struct director *d, struct watch *w, int idx);
static int advance(struct director *d, int idx);

/* A free-running actor reports the steps it takes: the director follows
 * them as if it had granted them, past the steps on-error skipped. */
static void on_free_report(struct director *d, struct watch *w,
			   const struct ss_event *ev)
{
	int idx = -1;

	switch (free_run_report(ev, d->sc->nsteps, &idx)) {
	case FREE_RUN_OVER:
		d->granted = d->total;
		return;
	case FREE_RUN_NONE:
		return;
	case FREE_RUN_BEGIN:
		break;
	}
	while (d->cur.pc != idx && d->granted < d->total)
		advance(d, d->cur.pc);
	push_step(d, idx, ev->t);
	follow_step(d, w, idx);
}

/* A traced program's step is over: the kernel's table after it, at most
 * every TABLE_BUSY_EVERY seconds when the program runs free (a server
 * under load), and always the final one (wind_up). */
static void own_step_ended(void *ctx, const struct ss_event *last)
{
	struct director *d = ctx;

	if (now_t(d) - d->kv.last_table < TABLE_BUSY_EVERY)
		return;
	d->kv.last_table = now_t(d);
	/* Headless, nobody looks between snapshots: the program's own
	 * sockets by exact lookups, not a dump of the machine's (a dump
	 * walks every TIME_WAIT left on the host: a quarter of the CPU). */
	d->kv.exact = d->o.run_free;
	if (kernel_view_snapshot(&d->kv) == 0) {
		kernel_view_emit(&d->kv, 0, 1);
		narrate_table(d, last);
	}
}

static void own_call_cb(void *ctx, const struct ss_event *ev)
{
	on_call(ctx, NULL, ev);
}

/* No script: each call of a traced program is a step (own_steps.h). */
static void on_own_step_event(struct director *d, const struct ss_event *ev)
{
	struct own_steps_out out = {push_cb, own_call_cb, own_step_ended, d};

	own_steps_event(&d->own, ev, &out);
	d->granted = d->own.steps;
}

/* match_calls: let w's actor make its next call, for the step in flight. */
static void regrant(struct director *d, struct watch *w)
{
	struct source_grant g = {.index = w->inflight};

	if (w->inflight < 0)
		return;
	g.actor = d->sc->actors[d->sc->steps[w->inflight].actor];
	w->regrant = d->src->ops->grant(d->src->self, &g) > 0;
}

/* match_calls: a real program's event held against w's step in flight
 * (call_match.h).  1 when handled here; 0: *matched is the step's own. */
static int on_real_call(struct director *d, struct watch *w,
			const struct ss_event *ev, struct ss_event *matched)
{
	const struct ss_step *st = w->inflight >= 0 ? &d->sc->steps[w->inflight] : NULL;

	*matched = *ev;
	switch (call_match_event(st, &d->kv.reg, &w->extra, matched)) {
	case CALL_MATCH_STEP:
		return 0;
	case CALL_MATCH_PASS:
		kernel_view_record(&d->kv, ev, NULL);
		push(d, ev);
		w->blocked = 0;
		return 1;
	case CALL_MATCH_ELSEWHERE:
		push(d, ev);
		regrant(d, w);
		return 1;
	case CALL_MATCH_REGRANT:
		regrant(d, w);
		return 1;
	}
	return 0;
}

static void on_event(void *ctx, const struct ss_event *ev)
{
	struct director *d = ctx;
	struct watch *w;
	struct ss_event matched;

	if (verbatim(d)) {
		d->granted += ev->kind == SS_EV_STEP;
		deliver(d, ev);
		return;
	}
	if (ev->kind == SS_EV_NOTE && ev->u.note.index >= 2) {
		/* a process died, or could not even make its call */
		d->failures++;
		push(d, ev);
		finish(d, 1);
		return;
	}
	free_run_reported(&d->fr);
	if (own_steps(d)) {
		on_own_step_event(d, ev);
		return;
	}
	w = watch_of(d, ev->actor);
	if (w && d->fr.on)
		on_free_report(d, w, ev);
	if (w && (ev->kind == SS_EV_BEGIN || ev->kind == SS_EV_BLOCKED))
		accept_order_begins(&d->accepts[w - d->watches], ev);
	if (w == NULL || ev->kind == SS_EV_BEGIN)
		return;
	if (d->o.match_calls) {
		if (on_real_call(d, w, ev, &matched))
			return;
		ev = &matched;
	}
	if (ev->kind == SS_EV_CALL)
		on_call(d, w, ev);
	else if (ev->kind == SS_EV_END && w->inflight >= 0)
		step_ended(d, w);
	else if (ev->kind == SS_EV_BLOCKED) {
		w->blocked = 1;
		push(d, ev);
	} else if (ev->kind != SS_EV_END)
		push(d, ev);
}

/* ---- life cycle ------------------------------------------------------ */

static void forget_session(struct director *d)
{
	memset(&d->cur, 0, sizeof d->cur);
	d->granted = 0;
	d->last = -1;
	d->finished = d->done = d->failures = 0;
	free_run_init(&d->fr);
	merge_init(&d->merge, MERGE_HOLD, deliver, d);
	kernel_view_forget(&d->kv);
	quiz_round_reset(&d->quiz);
	d->first_failure[0] = '\0';
	own_steps_init(&d->own);
	memset(d->watches, 0, sizeof d->watches);
	for (int i = 0; i < SCRIPT_MAX_ACTORS; i++) {
		d->watches[i].inflight = -1;
		accept_order_init(&d->accepts[i]);
	}
}

struct director *director_new(const struct director_opts *o, char *err,
			      size_t errsz)
{
	struct director *d;

	if (o->source == NULL) {
		snprintf(err, errsz, "%s", _("no source of events"));
		return NULL;
	}
	d = calloc(1, sizeof *d);
	if (d == NULL) {
		source_free(o->source);
		snprintf(err, errsz, "%s", _("out of memory"));
		return NULL;
	}
	d->o = *o;
	d->sc = o->script;
	d->src = o->source;
	struct kernel_view_opts ko = {.packets = o->packets,
				      .capture_device = o->capture_device,
				      .pcap_file = o->pcap_file,
				      .table = o->table,
				      .watch_port = o->watch_port};
	kernel_view_init(&d->kv, &ko, push_cb, d);
	forget_session(d);
	return d;
}

void director_add_sink(struct director *d, director_sink fn, void *ctx)
{
	if (d->nsinks < SINKS_MAX)
		d->sinks[d->nsinks++] = (struct sink){fn, ctx};
}

void director_remove_sink(struct director *d, director_sink fn, void *ctx)
{
	for (int i = 0; i < d->nsinks; i++)
		if (d->sinks[i].fn == fn && d->sinks[i].ctx == ctx) {
			memmove(&d->sinks[i], &d->sinks[i + 1],
				(size_t)(d->nsinks - i - 1) * sizeof d->sinks[0]);
			d->nsinks--;
			return;
		}
}

int director_start(struct director *d, char *err, size_t errsz)
{
	struct source_sink sink = {on_event, d};
	struct source_status st;

	d->t0 = event_clock_now();
	track(d, 1);
	for (int i = 0; i < 2; i++)
		if (d->o.start_notes[i])
			note(d, 0, NULL, "%s", d->o.start_notes[i]);
	/* before the source: its processes and the capture live in it */
	if (d->o.private_net && netns_enter(err, errsz) < 0)
		return -1;
	if (d->src->ops->start(d->src->self, d->t0, &sink, err, errsz) < 0)
		return -1;
	d->src->ops->status(d->src->self, &st);
	d->total = d->sc ? script_total(d->sc) : st.nsteps;
	kernel_view_start(&d->kv, d->t0, !verbatim(d));
	return 0;
}

/* Move past step idx (granted or skipped); 1 if none is left. */
static int advance(struct director *d, int idx)
{
	d->granted++;
	script_cursor_advance(&d->cur, d->sc, idx);
	return d->granted >= d->total;
}

/* The step to grant next, past the steps skipped (on-error: skip N);
 * -1 if none is left. */
static int next_index(struct director *d)
{
	int idx = d->cur.pc;
	struct watch *w = &d->watches[d->sc->steps[idx].actor];

	while (w->skip > 0 && w->inflight < 0) {
		w->skip--;
		if (advance(d, idx))
			return -1;
		idx = d->cur.pc;
		w = &d->watches[d->sc->steps[idx].actor];
	}
	return idx;
}

/* Predict, then step: 1 while step idx waits for the learner's answer
 * (the question is put once). */
static int awaits_answer(struct director *d, int idx)
{
	const struct ss_step *st = &d->sc->steps[idx];
	struct ss_event ev;
	int put;

	if (!quiz_round_waits(&d->quiz, st->ask, d->granted + 1, &put))
		return 0;
	if (put) {
		event_init(&ev, SS_EV_QUESTION);
		ev.t = now_t(d);
		ev.step = idx + 1;
		snprintf(ev.actor, sizeof ev.actor, "%s", d->sc->actors[st->actor]);
		ev.u.note.index = d->quiz.asked + 1;
		snprintf(ev.u.note.text, sizeof ev.u.note.text, "%s", st->ask);
		push(d, &ev);
		merge_flush(&d->merge, now_t(d), 1);
	}
	return 1;
}

/* Step idx begins at t: its event. */
static void push_step(struct director *d, int idx, double t)
{
	const struct ss_step *st = &d->sc->steps[idx];
	struct ss_event ev;

	event_init(&ev, SS_EV_STEP);
	ev.t = t;
	ev.step = idx + 1;
	snprintf(ev.actor, sizeof ev.actor, "%s", d->sc->actors[st->actor]);
	ev.u.note.index = d->granted + 1;
	ev.u.note.count = d->total;
	snprintf(ev.u.note.text, sizeof ev.u.note.text, "%s", st->say);
	push(d, &ev);
}

/* Step idx is under way: the director follows it. */
static void follow_step(struct director *d, struct watch *w, int idx)
{
	w->inflight = idx;
	w->blocked = w->have_call = w->extra = 0;
	d->last = idx;
	advance(d, idx);
}

/* References ("client.k") are resolved late: the address the kernel gave.
 * A socket that was never bound nor connected has none (0.0.0.0:0):
 * the call would quietly get the wildcard and port 0, so say so. */
static void resolve_reference(struct director *d, const struct ss_step *st,
			      char *ref, size_t refsz)
{
	snprintf(ref, refsz, "-");
	/* Only bind, connect and sendto take an address; addr holds an
	 * option's name or poll's sockets for others. */
	if (st->call != SS_CALL_BIND && st->call != SS_CALL_CONNECT &&
	    st->call != SS_CALL_SENDTO)
		return;
	if (st->addr[0] == '\0' || st->target.kind != SS_ADDR_NONE)
		return;
	if (registry_resolve(&d->kv.reg, st->addr, ref, refsz) == 0 &&
	    event_addr_port(ref) != 0)
		return;
	if (strcmp(ref, "-"))
		note(d, 1, d->sc->actors[st->actor],
		     _("%s has no address yet (never bound or connected): this call gets %s"),
		     st->addr, ref);
	else
		note(d, 1, d->sc->actors[st->actor],
		     _("%s has no address yet (never bound or connected): this call gets no address"),
		     st->addr);
}

/* The script's next step, in its order. */
static int next_scripted(struct director *d)
{
	const struct ss_step *st;
	struct watch *w;
	char ref[SS_ADDR_MAX];
	int idx;

	if (d->finished || d->granted >= d->total || d->fr.on)
		return 1;
	/* Headless, nothing the director does between two steps can change
	 * the next: the script runs free (actor.h). */
	if (d->o.run_free && d->granted == 0 && script_runs_free(d->sc, d->quiz.on)) {
		struct source_grant g = {.index = d->cur.pc, .run_free = 1};
		if (d->src->ops->grant(d->src->self, &g) != 0)
			return -1;
		d->fr.on = d->kv.exact = 1;
		return 0;
	}
	if (d->last >= 0) {
		const struct watch *lw = &d->watches[d->sc->steps[d->last].actor];
		if (lw->inflight == d->last && !lw->blocked)
			return 1; /* busy: neither returned nor blocked yet */
	}
	idx = next_index(d);
	if (idx < 0)
		return 1;
	st = &d->sc->steps[idx];
	w = &d->watches[st->actor];
	if (w->inflight >= 0)
		return 1; /* that actor is still inside its previous call */
	if (awaits_answer(d, idx))
		return 1;
	const char *prediction = quiz_round_prediction(&d->quiz, st->ask, d->granted + 1);
	w->check_prediction = prediction != NULL;
	if (prediction)
		snprintf(w->prediction, sizeof w->prediction, "%s", prediction);

	resolve_reference(d, st, ref, sizeof ref);
	if (st->call == SS_CALL_CONNECT || st->call == SS_CALL_SENDTO)
		kernel_view_add_port(&d->kv, strcmp(ref, "-") ? event_addr_port(ref) : st->target.port);
	push_step(d, idx, now_t(d));
	struct source_grant g = {.index = idx, .actor = d->sc->actors[st->actor], .addr = ref};
	int rc = d->src->ops->grant(d->src->self, &g);
	/* A traced program may not be at a call yet: granted once it is. */
	if (rc < 0 || (rc > 0 && !d->o.match_calls))
		return -1;
	follow_step(d, w, idx);
	w->regrant = rc > 0;
	return 0;
}

int director_next(struct director *d)
{
	return director_next_for(d, NULL);
}

int director_next_for(struct director *d, const char *actor)
{
	struct source_grant g = {.index = -1, .actor = actor};
	int rc;

	if (d->sc)
		return next_scripted(d);
	if (d->finished)
		return 1;
	rc = d->src->ops->grant(d->src->self, &g);
	/* A finished stream's notes pass as recorded, so its own level-2
	 * note (a bad line met in playback) is not counted on the way: the
	 * failed grant is. */
	if (rc < 0 && verbatim(d))
		d->failures++;
	return rc;
}

static int any_blocked(const struct director *d)
{
	if (own_steps(d)) {
		struct source_status st;
		d->src->ops->status(d->src->self, &st);
		return st.blocked > 0;
	}
	for (int i = 0; i < SCRIPT_MAX_ACTORS; i++)
		if (d->watches[i].blocked && d->watches[i].inflight >= 0)
			return 1;
	return 0;
}

static int all_idle(const struct director *d)
{
	struct source_status st;

	/* Real programs (match_calls) may wait in calls no step is about (a
	 * parent back in accept): idle is every step having ended. */
	if (d->o.match_calls) {
		for (int i = 0; i < SCRIPT_MAX_ACTORS; i++)
			if (d->watches[i].inflight >= 0)
				return 0;
		return 1;
	}

	d->src->ops->status(d->src->self, &st);
	return st.inflight == 0;
}

/* The source settled (every process idle or asleep in its call, its
 * reports read): no report older than upto can still come, and a packet
 * sent before upto is in the capture's buffer already (loopback is
 * captured as it is sent).  What waits for ordering is in order now: a
 * step's frame need not wait out the merge's hold. */
static void release_settled(struct director *d)
{
	double upto = now_t(d);

	if (d->sc == NULL || verbatim(d) || !merge_pending(&d->merge) ||
	    d->src->ops->settled == NULL || !d->src->ops->settled(d->src->self))
		return;
	kernel_view_read_packets(&d->kv, 0);
	merge_release(&d->merge, upto);
}

/* The last word of a session: what the close left in the kernel. */
static void wind_up(struct director *d)
{
	d->src->ops->read(d->src->self);
	kernel_view_read_packets(&d->kv, 1);
	if (kernel_view_snapshot(&d->kv) == 0) {
		kernel_view_emit(&d->kv, 0, 1);
		narrate_table(d, NULL);
	}
	if (d->quiz.asked)
		note(d, 0, NULL, _("quiz: %d of %d predictions right"), d->quiz.right,
		     d->quiz.asked);
	merge_flush(&d->merge, now_t(d), 1);
	d->done = 1;
}

int director_wait_ms(const struct director *d, int max_ms)
{
	double due = merge_due(&d->merge);
	struct source_status st;

	/* A step under way may block: look every CHECK_MS (blocked
	 * detection); otherwise the caller's own tick. */
	d->src->ops->status(d->src->self, &st);
	if (st.busy && (max_ms < 0 || max_ms > CHECK_MS))
		max_ms = CHECK_MS;
	if (due >= 0) {
		double ms = (due - now_t(d)) * 1000.0;
		int wait = ms <= 0 ? 0 : (int)ms + 1;
		if (max_ms < 0 || wait < max_ms)
			max_ms = wait;
	}
	return max_ms;
}

static int wait_for_events(struct director *d, int timeout_ms)
{
	struct pollfd fds[8];
	int nfds = director_pollfds(d, fds, 8);

	/* Short waits while something may need the clock (merging, blocked
	 * detection); the caller's timeout otherwise. */
	timeout_ms = director_wait_ms(d, timeout_ms);
	if (nfds == 0)
		return 0; /* nothing can arrive: do not sleep */
	timeout_ms = free_run_pace(&d->fr, d->finished, timeout_ms);
	if (poll(fds, (nfds_t)nfds, timeout_ms) < 0 && errno != EINTR)
		return -1;
	return 0;
}

/* After the last step, while someone watches (the UI pumps on): ask the
 * kernel once a second, so TIME_WAIT counts down and its row goes, and say
 * when the port it held is free again. */
static void table_after(struct director *d)
{
	if (verbatim(d) || !kernel_view_after_end(&d->kv))
		return;
	merge_flush(&d->merge, now_t(d), 1);
}

int director_pump(struct director *d, int timeout_ms)
{
	if (d->done) {
		table_after(d);
		return 0;
	}
	if (wait_for_events(d, timeout_ms) < 0)
		return -1;
	free_run_read_begins(&d->fr);
	d->src->ops->read(d->src->self);
	free_run_read_ends(&d->fr);
	kernel_view_read_packets(&d->kv, 0);
	for (int i = 0; d->o.match_calls && i < SCRIPT_MAX_ACTORS; i++)
		if (d->watches[i].regrant)
			regrant(d, &d->watches[i]);
	if (!d->finished && d->sc && d->granted >= d->total && all_idle(d))
		finish(d, 0);

	/* Live table while an actor waits in the kernel. */
	if (any_blocked(d))
		kernel_view_live(&d->kv, LIVE_TABLE_EVERY);
	if ((d->finished || d->sc == NULL) && d->src->ops->done(d->src->self)) {
		wind_up(d);
		return 0;
	}
	release_settled(d);
	merge_flush(&d->merge, now_t(d), 0);
	return 0;
}

const char *director_first_failure(const struct director *d)
{
	return d->first_failure[0] ? d->first_failure : NULL;
}

void director_set_quiz(struct director *d, int on)
{
	d->quiz.on = on;
}

int director_question(const struct director *d, char *text, size_t textsz)
{
	const struct ss_step *st;

	if (d->sc == NULL || !quiz_round_open(&d->quiz, d->granted + 1))
		return 0;
	st = &d->sc->steps[d->cur.pc];
	if (text)
		snprintf(text, textsz, "%s", st->ask);
	return 1;
}

void director_answer(struct director *d, const char *answer)
{
	if (d->sc)
		quiz_round_answer(&d->quiz, d->granted + 1, answer);
}

int director_pollfds(struct director *d, struct pollfd *fds, int max)
{
	int n = d->src->ops->pollfds(d->src->self, fds, max);

	if (n < max && kernel_view_fd(&d->kv) >= 0) {
		fds[n].fd = kernel_view_fd(&d->kv);
		fds[n++].events = POLLIN;
	}
	return n;
}

void director_status(const struct director *d, struct director_status *st)
{
	memset(st, 0, sizeof *st);
	st->step = d->granted;
	st->nsteps = d->total;
	st->done = d->done || (verbatim(d) && d->src->ops->done(d->src->self));
	st->failures = d->failures;
	st->packets_ok = d->kv.cap != NULL;
	st->question = director_question(d, NULL, 0);
	st->asked = d->quiz.asked;
	st->right = d->quiz.right;
	if (d->sc && d->last >= 0) {
		const struct watch *lw = &d->watches[d->sc->steps[d->last].actor];
		st->busy = lw->inflight == d->last && !lw->blocked;
	}
	for (int i = 0; i < SCRIPT_MAX_ACTORS; i++)
		st->blocked += d->watches[i].blocked && d->watches[i].inflight >= 0;
	if (own_steps(d)) {
		struct source_status ss;
		d->src->ops->status(d->src->self, &ss);
		st->busy = ss.busy;
		st->blocked = ss.blocked;
	}
}

/* Stop the source's processes and remove the socket files they made. */
static void stop_session(struct director *d)
{
	d->src->ops->stop(d->src->self);
	kernel_view_stop(&d->kv);
}

int director_restart(struct director *d, char *err, size_t errsz)
{
	stop_session(d);
	forget_session(d);
	return director_start(d, err, errsz);
}

void director_free(struct director *d)
{
	if (d == NULL)
		return;
	stop_session(d);
	track(d, 0);
	source_free(d->src);
	free(d);
}

void director_kill_all(void)
{
	for (int i = 0; i < DIRECTORS_MAX; i++) {
		struct director *d = live_directors[i];
		if (d == NULL)
			continue;
		if (d->src->ops->kill)
			d->src->ops->kill(d->src->self);
		kernel_view_unlink(&d->kv);
	}
}
