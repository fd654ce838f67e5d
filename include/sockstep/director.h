/*
 * director: runs a script's actors as real processes, one step at a time,
 * and merges everything they and the kernel report into one time-ordered
 * event stream handed to sinks (UI, text, JSONL, recorder).
 *
 * Each actor is a forked child executing the steps the director grants it
 * (actor.c); the director moves to the next step when the previous one
 * returned or is blocked in the kernel (the actor sleeps inside the call,
 * seen in /proc/PID/stat).  After each step it snapshots the kernel's socket
 * table (diag.c) and, when permitted, captures the packets (capture.c).
 * A replay source plays a recorded JSONL trace through the same interface.
 */
#ifndef SOCKSTEP_DIRECTOR_H
#define SOCKSTEP_DIRECTOR_H

#include <poll.h>
#include "sockstep/event.h"
#include "sockstep/script.h"

typedef void (*director_sink)(void *ctx, const struct ss_event *ev);

struct director_opts {
	const struct ss_script *script; /* live run (NULL with replay_path) */
	const char *replay_path;        /* play this JSONL trace instead */
	int packets;       /* try to capture packets */
	const char *capture_device; /* "lo" (default), or "any" off loopback */
	int table;         /* sock_diag snapshots after each step */
	int tracing;       /* 0: actors make the calls without events (bench) */
	double step_limit; /* seconds a step may take to begin; 0 = 30 */
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
/* Fork the actors (or open the recording).  0 or -1 with err. */
int director_start(struct director *d, char *err, size_t errsz);
/* Grant the next step.  Returns 0, 1 when there is nothing to grant
 * (busy or done), -1 on error. */
int director_next(struct director *d);
/* Wait up to timeout_ms for reports, handle them, deliver events to sinks.
 * Returns 0, or -1 on a fatal error. */
int director_pump(struct director *d, int timeout_ms);
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

/* Kill and reap the actors, forget the session and start again. */
int director_restart(struct director *d, char *err, size_t errsz);
/* Stop the actors (SIGTERM, then SIGKILL), reap them, free everything. */
void director_free(struct director *d);

/* Reap every actor of every director; safe in a signal-exit path. */
void director_kill_all(void);

#endif
