/*
 * director: the policy of a session.  It holds one source of events
 * (source.h: scripted actors, a recording, traced programs), lets it take
 * one step at a time, and merges everything the source and the kernel
 * report into one time-ordered event stream handed to sinks (UI, text,
 * JSONL, recorder).
 *
 * With a script, the director walks it: the next step is granted when the
 * previous one returned or is blocked in the kernel; after each step it
 * snapshots the kernel's socket table (snapshots.h), checks the lesson's
 * expectations and the learner's prediction (step_judge.h), and an
 * unplanned failure ends the session.  Events reach the sinks through one
 * stream (stream.h: the merge's time order).  Without one, the source takes
 * its own next step at each grant.  Packets are captured when permitted
 * (kernel/capture.c).
 */
#ifndef SOCKSTEP_DIRECTOR_H
#define SOCKSTEP_DIRECTOR_H

#include <poll.h>
#include "sockstep/capture.h"
#include "sockstep/event.h"
#include "sockstep/script.h"
#include "sockstep/source.h"

typedef void (*director_sink)(void *ctx, const struct ss_event *ev);

struct director_opts {
	/* The source of events; the director owns it from director_new on
	 * (director_free frees it, even when director_new fails). */
	struct source *source;
	/* The script the source plays, walked by the director; NULL when the
	 * source takes its own steps.  Must outlive the director. */
	const struct ss_script *script;
	int packets;       /* try to capture packets */
	const char *capture_device; /* "lo" (default), or "any" off loopback */
	int table;         /* sock_diag snapshots after each step */
	/* Nobody steps (headless): a script of one actor with no expectation,
	 * question or reference runs free, with no grant per step (actor.h). */
	int run_free;
	/* Each start (and restart) enters a fresh private network (netns.h)
	 * before the source starts: no socket of an earlier run is left. */
	int private_net;
	/* said first, in order: which network and why, who holds the port */
	const char *start_notes[2];
	/* a port whose earlier holders (TIME_WAIT, LISTEN) the table shows
	 * from the start, though no script socket has them; 0: none */
	int watch_port;
	struct capture_file *pcap_file; /* --pcap; must outlive the director */
	/* The source's calls are real programs' (a lesson with trace-server:):
	 * a step is held against the next call of its actor that does what
	 * it says; the calls in between pass. */
	int match_calls;
};

struct director_status {
	int step;     /* steps granted so far (1-based index of the last) */
	int nsteps;   /* steps in the script (with repetitions) */
	int busy;     /* a granted step has neither returned nor blocked */
	int done;     /* every step ran and the actors have exited */
	int failures; /* failed expectations + actor errors */
	int blocked;  /* actors currently blocked in a call */
	int packets_ok; /* packets are being captured */
	int question;   /* the next step waits for the learner's prediction */
	int asked;      /* predictions checked so far */
	int right;      /* of which the kernel agreed with */
};

struct director;

struct director *director_new(const struct director_opts *o, char *err,
			      size_t errsz);
/* A sink receives every event until removed; ctx is the caller's and must
 * outlive the sink's registration. */
void director_add_sink(struct director *d, director_sink fn, void *ctx);
/* Remove the sink added with fn and ctx (no-op if there is none). */
void director_remove_sink(struct director *d, director_sink fn, void *ctx);
/* Start the source (fork the actors, open the recording).  0 or -1 with err. */
int director_start(struct director *d, char *err, size_t errsz);
/* Grant the next step.  Returns 0, 1 when there is nothing to grant
 * (busy or done), -1 on error. */
int director_next(struct director *d);
/* The same, for one actor's next call when the source takes its own steps
 * (traced programs: each waits at its own next call); NULL: the oldest. */
int director_next_for(struct director *d, const char *actor);
/* Wait up to timeout_ms for reports, handle them, deliver events to sinks.
 * Returns 0, or -1 on a fatal error. */
int director_pump(struct director *d, int timeout_ms);
/* How long a caller may sleep in its poll before director_pump has work
 * due (an event held for ordering is ready, a call may have blocked):
 * max_ms at most, 0 if due now.  A frame then follows a step's result by
 * the merge's hold, not by the hold plus the caller's tick. */
int director_wait_ms(const struct director *d, int max_ms);
/* File descriptors to add to a caller's poll (at most max). */
int director_pollfds(struct director *d, struct pollfd *fds, int max);
void director_status(const struct director *d, struct director_status *st);
/* "file:line: step N (actor call): expectation failed: ..." for the first
 * expectation that did not hold, or NULL. */
const char *director_first_failure(const struct director *d);

/* Predict, then step: steps with "ask:" wait for director_answer before
 * they run (quiz on) or run without asking (quiz off, the default). */
void director_set_quiz(struct director *d, int on);
/* 1 and the question (with its choices) if the next step waits for an
 * answer, else 0. */
int director_question(const struct director *d, char *text, size_t textsz);
/* The learner's prediction for the waiting question; NULL skips it. */
void director_answer(struct director *d, const char *answer);

/* Stop the source, forget the session and start again. */
int director_restart(struct director *d, char *err, size_t errsz);
/* Stop the source (SIGTERM, then SIGKILL), reap, free everything. */
void director_free(struct director *d);

#endif
