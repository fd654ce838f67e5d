/*
 * director: the policy of a session.  Which step may be taken next (the
 * script's order, repetitions, on-error skips, a question waiting for the
 * learner), what happens when a step ends (in which order the table is
 * taken, the step judged and the table said; an unplanned failure stopping
 * the session) and when the session is done.  Everything else is a module
 * of its own: the source of events (source.h), the event stream to the
 * sinks (stream.h: merge, notes), what the kernel says (kernel_view.h:
 * registry, table, capture), when the table is taken (snapshots.h), a step
 * judged (step_judge.h: expectations, prediction, failure), the STEP and
 * QUESTION events (step_events.h), the quiz's round (quiz_round.h), a free
 * run's walk (free_run.h), a traced program's own steps (own_steps.h),
 * steps held against real calls (call_match.h), when the narration may
 * say "before accept()" (accept_order.h).
 */
#include "sockstep/director.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sockstep/accept_order.h"
#include "sockstep/call_match.h"
#include "sockstep/explain.h"
#include "sockstep/free_run.h"
#include "sockstep/i18n.h"
#include "sockstep/kernel_view.h"
#include "sockstep/netns.h"
#include "sockstep/own_steps.h"
#include "sockstep/quiz_round.h"
#include "sockstep/snapshots.h"
#include "sockstep/source.h"
#include "sockstep/step_events.h"
#include "sockstep/step_judge.h"
#include "sockstep/stream.h"

#define CHECK_MS 5

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

struct director {
	struct director_opts o;
	const struct ss_script *sc; /* NULL: the source takes its own steps */
	struct source *src;
	struct stream out; /* the merge and the sinks (stream.h) */
	struct watch watches[SCRIPT_MAX_ACTORS];
	/* each actor's latest accept(), to say "before accept()" only from
	 * what was seen (same index as watches) */
	struct accept_order accepts[SCRIPT_MAX_ACTORS];

	struct script_cursor cur; /* the next step to grant: cur.pc */
	int granted;     /* steps granted so far */
	int total;       /* steps with repetitions */
	int last;        /* index of the last granted step, -1 */
	int finished;    /* the source was told to end */
	struct free_run fr; /* the script runs free (free_run.h) */
	int done;
	int failures;

	struct own_steps own; /* no script: a traced program's calls as steps */

	struct kernel_view kv; /* registry, table, capture (kernel_view.h) */
	struct snapshots snaps; /* when the table is taken (snapshots.h) */
	struct step_judge judge; /* a step judged (step_judge.h) */

	struct quiz_round quiz; /* predict, then step (quiz_round.h) */
	char first_failure[SS_TEXT_MAX * 2]; /* "file:line: step N ..." */
};

static double now_t(const struct director *d)
{
	return stream_now(&d->out);
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

static void push(struct director *d, const struct ss_event *ev)
{
	stream_push(&d->out, ev);
}

static void push_cb(void *ctx, const struct ss_event *ev)
{
	push(ctx, ev);
}

/* No more grants; force: also stop what is blocked in a call. */
static void finish(struct director *d, int force)
{
	d->src->ops->end(d->src->self, force);
	d->finished = 1;
}

/* What the director saw of w's step, for the judge. */
static struct judged_step judged(const struct watch *w)
{
	return (struct judged_step){w->inflight, w->have_call ? &w->call : NULL,
				    w->blocked};
}

/* A failed call nobody planned for ends the session (step_judge.h);
 * on-error: skip N skips instead. */
static void judge_failure(struct director *d, struct watch *w, struct judged_step js)
{
	switch (step_judge_failure(&d->judge, &js, &w->skip)) {
	case STEP_FAILURE_PLANNED:
	case STEP_FAILURE_SKIP:
		return;
	case STEP_FAILURE_STOP:
		d->failures++;
		finish(d, 1);
	}
}

static void step_ended(struct director *d, struct watch *w)
{
	const struct ss_step *st = &d->sc->steps[w->inflight];
	struct judged_step js = judged(w);
	int taken = snapshots_after_step(&d->snaps, d->sc->repeat_count, st->nexpect);

	d->failures += step_judge_expectations(&d->judge, &js, d->first_failure,
					       sizeof d->first_failure);
	if (w->check_prediction)
		quiz_round_scored(&d->quiz, step_judge_prediction(&d->judge, &js,
								  w->prediction));
	w->check_prediction = 0;
	if (taken)
		snapshots_say(&d->snaps, w->inflight + 1, js.call);
	w->inflight = -1;
	w->blocked = w->have_call = 0;
	if (js.call && js.call->u.call.ret < 0)
		judge_failure(d, w, js);
}

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
		stream_note(&d->out, 0, ev->actor, "%s", why);
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

/* A traced program's step is over: the kernel's table after it. */
static void own_step_ended(void *ctx, const struct ss_event *last)
{
	snapshots_after_call(&((struct director *)ctx)->snaps, last);
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
		stream_deliver(&d->out, ev);
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

static void forget_session(struct director *d)
{
	memset(&d->cur, 0, sizeof d->cur);
	d->granted = 0;
	d->last = -1;
	d->finished = d->done = d->failures = 0;
	free_run_init(&d->fr);
	stream_reset(&d->out);
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
	stream_init(&d->out);
	d->sc = o->script;
	d->src = o->source;
	struct kernel_view_opts ko = {.packets = o->packets,
				      .capture_device = o->capture_device,
				      .pcap_file = o->pcap_file,
				      .table = o->table,
				      .watch_port = o->watch_port};
	kernel_view_init(&d->kv, &ko, stream_push_cb, &d->out);
	d->snaps = (struct snapshots){&d->kv, d->accepts, d->sc ? d->sc->nactors : 0};
	d->judge = (struct step_judge){d->sc, &d->kv, &d->out};
	forget_session(d);
	return d;
}

void director_add_sink(struct director *d, director_sink fn, void *ctx)
{
	stream_add_sink(&d->out, fn, ctx);
}

void director_remove_sink(struct director *d, director_sink fn, void *ctx)
{
	stream_remove_sink(&d->out, fn, ctx);
}

int director_start(struct director *d, char *err, size_t errsz)
{
	struct source_sink sink = {on_event, d};
	struct source_status st;

	stream_start(&d->out);
	for (int i = 0; i < 2; i++)
		if (d->o.start_notes[i])
			stream_note(&d->out, 0, NULL, "%s", d->o.start_notes[i]);
	/* before the source: its processes and the capture live in it */
	if (d->o.private_net && netns_enter(err, errsz) < 0)
		return -1;
	if (d->src->ops->start(d->src->self, d->out.t0, &sink, err, errsz) < 0)
		return -1;
	d->src->ops->status(d->src->self, &st);
	d->total = d->sc ? script_total(d->sc) : st.nsteps;
	kernel_view_start(&d->kv, d->out.t0, !verbatim(d));
	/* Headless, nobody looks between a traced program's snapshots: its
	 * own sockets by exact lookups from the first table on (the live one
	 * while it waits in accept too), not a dump of the machine's, which
	 * walks every TIME_WAIT left on the host: ~30 ms of CPU with 100 000
	 * of them.  (A watched port's earlier holders, above, need the dump;
	 * the UI keeps it: a connection queued on a listener shows there.) */
	d->kv.exact = own_steps(d) && d->o.run_free;
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
	struct ss_event ev;
	int put;

	if (!quiz_round_waits(&d->quiz, d->sc->steps[idx].ask, d->granted + 1, &put))
		return 0;
	if (put) {
		step_events_question(d->sc, idx, d->quiz.asked + 1, now_t(d), &ev);
		push(d, &ev);
		stream_flush(&d->out, 1);
	}
	return 1;
}

/* Step idx begins at t: its event. */
static void push_step(struct director *d, int idx, double t)
{
	struct ss_event ev;

	step_events_step(d->sc, idx, d->granted + 1, d->total, t, &ev);
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

/* The address step st's call is given when the script names a socket
 * ("client.k"): resolved late, when the kernel has given it one; "-"
 * when the step names none. */
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
	kernel_view_reference(&d->kv, d->sc->actors[st->actor], st->addr, ref, refsz);
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

	if (d->sc == NULL || verbatim(d) || !merge_pending(&d->out.merge) ||
	    d->src->ops->settled == NULL || !d->src->ops->settled(d->src->self))
		return;
	kernel_view_read_packets(&d->kv, 0);
	merge_release(&d->out.merge, upto);
}

/* The last word of a session: what the close left in the kernel. */
static void wind_up(struct director *d)
{
	d->src->ops->read(d->src->self);
	kernel_view_read_packets(&d->kv, 1);
	snapshots_final(&d->snaps);
	if (d->quiz.asked)
		stream_note(&d->out, 0, NULL, _("quiz: %d of %d predictions right"), d->quiz.right,
		     d->quiz.asked);
	stream_flush(&d->out, 1);
	d->done = 1;
}

int director_wait_ms(const struct director *d, int max_ms)
{
	double due = merge_due(&d->out.merge);
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
	stream_flush(&d->out, 1);
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
		snapshots_live(&d->snaps);
	if ((d->finished || d->sc == NULL) && d->src->ops->done(d->src->self)) {
		wind_up(d);
		return 0;
	}
	release_settled(d);
	stream_flush(&d->out, 0);
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
	source_free(d->src);
	free(d);
}
