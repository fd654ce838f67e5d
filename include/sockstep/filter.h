/*
 * filter: which events to show, in a small language shared by headless
 * output (--filter), `sockstep export` and the UI.
 *
 * An expression is one or more clauses separated by spaces; every clause
 * must hold (AND), and so must every expression added to the same filter.
 * A clause is KEY, KEY=V1,V2 (any of the values), KEY~V (contains) or
 * KEY!=V / KEY!~V / !KEY (the clause does not hold):
 *
 *   actor=client         the event's actor (packets are "kernel")
 *   call=connect,accept  call events (also blocked/begin) of these calls
 *   errno                failed calls;  errno=ECONNREFUSED  failed with it
 *   kind=packet          call, blocked, socket (or table), packet, step, ...
 *   flags=S              packets whose flags are exactly S
 *   flags~F              packets whose flags hold every letter given (F)
 *   port=9001            local/peer (call, socket row) or src/dst (packet)
 *   fd=4                 calls on fd 4 or returning it (accept, socket),
 *                        socket-table rows held as fd 4
 *   sock=c               calls on (or creating) the script's socket c
 *   state=TIME_WAIT      calls and socket-table rows in that TCP state
 *   step=3,4             events caused by those script steps
 *   pid=4242             events of that process of a traced program
 *
 * Names compare without regard to case; ports, fds and steps are numbers.
 */
#ifndef SOCKSTEP_FILTER_H
#define SOCKSTEP_FILTER_H

#include <stddef.h>
#include "sockstep/event.h"

#define FILTER_CLAUSES_MAX 16
#define FILTER_VALUES_MAX 8
#define FILTER_VALUE_MAX 24 /* longest value: an errno or state name */

enum filter_key {
	FILTER_ACTOR,
	FILTER_CALL,
	FILTER_ERRNO,
	FILTER_KIND,
	FILTER_FLAGS,
	FILTER_PORT,
	FILTER_FD,
	FILTER_SOCK,
	FILTER_STATE,
	FILTER_STEP,
	FILTER_PID,
	FILTER_KEY_COUNT
};

enum filter_op {
	FILTER_PRESENT, /* KEY alone (only errno: the call failed) */
	FILTER_EQ,      /* KEY=V,... */
	FILTER_HAS,     /* KEY~V: contains (flags: every letter) */
};

struct filter_clause {
	enum filter_key key;
	enum filter_op op;
	int negate;
	int nvalues;
	char values[FILTER_VALUES_MAX][FILTER_VALUE_MAX];
	long nums[FILTER_VALUES_MAX]; /* numeric keys and errno/state/kind codes */
};

struct filter {
	int nclauses; /* 0: every event matches */
	struct filter_clause clauses[FILTER_CLAUSES_MAX];
};

/* An empty filter: everything matches. */
void filter_init(struct filter *f);

/* Add the clauses of expr to f.  Returns 0, or -1 with a one-line reason
 * in err (f is then unchanged). */
int filter_parse(struct filter *f, const char *expr, char *err, size_t errsz);

/* 1 if ev passes every clause of f, else 0.  A NULL or empty filter
 * matches everything. */
int filter_match(const struct filter *f, const struct ss_event *ev);

/* A sink that passes on only the events its filter matches: headless
 * output with --filter adds filter_sink with a struct filter_sink as ctx. */
struct filter_sink {
	const struct filter *filter;
	void (*sink)(void *ctx, const struct ss_event *ev); /* a director_sink */
	void *ctx;
};
void filter_sink(void *ctx, const struct ss_event *ev);

/* The filter written back as an expression ("actor=client errno"), for a
 * status line; "" when empty. */
void filter_describe(const struct filter *f, char *out, size_t outsz);

/* The event as one line of text, the way the text output shows it
 * ("client connect(k, 127.0.0.1:9001) = 0 127.0.0.1:45678 -> ..."). */
void filter_event_text(const struct ss_event *ev, char *out, size_t outsz);

/* 1 if needle occurs, ignoring case, in ev's text (filter_event_text);
 * an empty needle matches every event.  For the UI's "/" search. */
int filter_search_text(const struct ss_event *ev, const char *needle);

#endif
