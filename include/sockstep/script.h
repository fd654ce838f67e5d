/*
 * script: the steps a session performs, parsed from a lesson's Markdown.
 *
 * A lesson is prose plus one or more fenced blocks tagged `sockstep`; each
 * line of such a block is a step, written like the C call it performs:
 *
 *     server: s = socket(AF_INET, SOCK_STREAM)
 *     server: bind(s, 127.0.0.1:auto)
 *       say: The server claims a port; auto lets the kernel choose one.
 *       expect: ok
 *     client: connect(k, server.s)
 *
 * The format is documented in lessons/README.md.  Steps run in the order
 * written, each actor in its own process.  This header is the data: the
 * lesson file is read by lesson.h, its lines by grammar.h; the built-in
 * exchange of the seed tutorial is a script too (seed.h).
 */
#ifndef SOCKSTEP_SCRIPT_H
#define SOCKSTEP_SCRIPT_H

#include <stddef.h>
#include "sockstep/addr.h"
#include "sockstep/event.h"

#define SCRIPT_MAX_ACTORS 8
#define SCRIPT_MAX_STEPS 256
#define SCRIPT_MAX_EXPECT 6
#define SCRIPT_DATA_MAX 1024
#define SCRIPT_EXPR_MAX 96

enum ss_call {
	SS_CALL_SOCKET,
	SS_CALL_BIND,
	SS_CALL_LISTEN,
	SS_CALL_ACCEPT,
	SS_CALL_CONNECT,
	SS_CALL_SEND,
	SS_CALL_RECV,
	SS_CALL_SENDTO,
	SS_CALL_RECVFROM,
	SS_CALL_SETSOCKOPT,
	SS_CALL_GETSOCKOPT,
	SS_CALL_SHUTDOWN,
	SS_CALL_CLOSE,
	SS_CALL_FIONREAD, /* ioctl(fd, FIONREAD): bytes waiting */
	SS_CALL_SLEEP,    /* the actor pauses (the seed client's sleep) */
	SS_CALL_FCNTL,    /* fcntl(fd, F_SETFL, flags | O_NONBLOCK) */
	SS_CALL_POLL,     /* poll() on up to 4 of the actor's sockets */
	SS_CALL_FORK,     /* fork(): a child holds copies of every fd a while */
	SS_CALL_COUNT
};

/* One expectation, kept as written and checked after the step ran
 * (expect.c): "ok", "fails EADDRINUSE", "ret == 5",
 * "local.port == server.s.local.port", "peer.port ephemeral". */
struct ss_expect {
	int line;
	char text[SCRIPT_EXPR_MAX];
};

/* Marks a data argument that stands for the seed protocol's answer:
 * "welcome to server!" if the actor's last recv got "1", else
 * "please go out!". */
#define SCRIPT_SEED_REPLY "@seed-reply"
/* What a learner writes for it: the tutorial's answer (same meaning). */
#define SCRIPT_TUTORIAL_REPLY "@tutorial-reply"
/* "@fill:N": N bytes of 'x' (at most SCRIPT_FILL_MAX), for sends larger
 * than a quoted string can be: partial sends, full buffers. */
#define SCRIPT_FILL "@fill:"
#define SCRIPT_FILL_MAX (4L << 20)
/* poll(): at most this many sockets, named in ss_step.addr */
#define SCRIPT_POLL_MAX 4

struct ss_step {
	int line;  /* line in the source file (1-based) */
	int actor; /* index into ss_script.actors */
	enum ss_call call;
	char sock[SS_NAME_MAX];   /* the socket operated on ("s") */
	char result[SS_NAME_MAX]; /* name bound to a new socket ("c = accept(s)") */
	int family, type;         /* socket() */
	/* Address argument as written: "127.0.0.1:9001", "[::1]:auto",
	 * "/tmp/x.sock" (AF_UNIX), or "actor.sock" meaning the local address
	 * the kernel gave that socket (resolved by the director). */
	char addr[SS_ADDR_MAX];
	/* That address parsed at load time (addr.h); SS_ADDR_NONE for an
	 * "actor.sock" reference or a call without an address. */
	struct ss_addr target;
	/* poll(): the sockets' names, space-separated, in addr; the events
	 * (POLLIN, POLLOUT) in flags; the timeout in ms in num.
	 * fork(): how long the child holds the fds, in seconds. */
	long num;      /* backlog, buffer size, shutdown how, option value */
	long num2;     /* second option value (SO_LINGER's linger time) */
	int level, optname; /* setsockopt/getsockopt */
	int flags;     /* MSG_* flags of send/recv */
	double seconds; /* sleep, SO_RCVTIMEO */
	unsigned char data[SCRIPT_DATA_MAX]; /* send/sendto payload */
	size_t data_len;
	char say[SS_TEXT_MAX]; /* narration shown at this step */
	/* "on-error: skip N": if the call fails, skip the actor's next N
	 * steps (the seed's server skips its reply after a recv timeout).
	 * A failed call with neither this nor "expect: fails ..." stops the
	 * session, as an exception would stop the seed's Python program. */
	int skip_on_error;
	/* Predict, then step: "ask: question [choice | choice]" is put to the
	 * learner before the step runs; "answer: FIELD" names what the kernel
	 * reports that the answer is checked against (an expect.h field such
	 * as local.port or state, or "ok" for will-it-succeed yes/no);
	 * "explain: text" is shown with the verdict. */
	char ask[SS_TEXT_MAX];
	char answer[SCRIPT_EXPR_MAX];
	char explain[SS_TEXT_MAX];
	int ask_line;
	int nexpect;
	struct ss_expect expect[SCRIPT_MAX_EXPECT];
};

struct ss_script {
	char title[128];
	char summary[SS_TEXT_MAX]; /* one line: what the lesson shows */
	char path[256];            /* file it came from, "" for built-in */
	int nactors;
	char actors[SCRIPT_MAX_ACTORS][SS_NAME_MAX];
	int nsteps;
	struct ss_step *steps; /* nsteps of them, heap */
	/* Steps [repeat_from, repeat_to] (0-based) run repeat_count times (server mode's
	 * --count); repeat_count 0 means no repetition. */
	int repeat_from, repeat_to, repeat_count;
	/* A lesson about real programs (trace-server:, trace-client:): they
	 * run under the tracer, and each step is held against the next call
	 * of its actor that matches it (script_call_matches); "" if none. */
	char trace_server[256];
	char trace_client[256];
};

/* Where a session is in its script: the order its steps run in, with the
 * repetitions of server mode.  One walk, shared by the director that
 * grants steps and an actor that runs free (actor.h). */
struct script_cursor {
	int pc;      /* the next step's index */
	int repeats; /* repetitions done */
	int taken;   /* steps taken so far (run or skipped) */
	int total;   /* steps with repetitions */
};

/* Steps the script runs, with its repetitions. */
int script_total(const struct ss_script *sc);
void script_cursor_init(struct script_cursor *c, const struct ss_script *sc);
/* Move past step idx (run or skipped); 1 if no step is left. */
int script_cursor_advance(struct script_cursor *c, const struct ss_script *sc,
			  int idx);

/* Can the script run free, its actor taking step after step with no grant
 * each?  Only when nothing decided between two steps can change the next:
 * one actor, no expectation, no question (when quiz is on), no
 * "actor.sock" reference to resolve. */
int script_runs_free(const struct ss_script *sc, int quiz);

/* Free the steps of a script made by lesson_parse or seed_*. */
void script_free(struct ss_script *sc);

/* Index of actor name in sc, or -1. */
int script_actor_index(const struct ss_script *sc, const char *name);

/* "socket", "bind", ... */
const char *script_call_name(enum ss_call call);

/* Does a traced program's call named name (as the kernel saw it) do what
 * step call does?  accept4 is an accept, write and sendto are sends, read
 * and recvfrom receives. */
int script_call_matches(enum ss_call call, const char *name);

#endif
