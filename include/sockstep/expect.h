/*
 * expect: a lesson's expectations, checked against what the kernel
 * actually reported for a step.
 *
 *     ok                              the call succeeded (ret >= 0)
 *     fails EADDRINUSE                the call failed with that errno
 *     blocks                          the actor slept inside the call
 *     ret == 5      queue == 1        fields of this step's call event
 *     state == ESTABLISHED            (ret errno state queue backlog bytes
 *     data == "welcome to server!"     unread data fd local peer local.port
 *     trunc == true                    peer.port trunc optval cred.pid
 *     cred.uid == ${uid}               cred.uid cred.gid)
 *     peer.port ephemeral             in ip_local_port_range
 *     local.port == server.s.local.port   another socket's latest values
 *     kstate == TIME_WAIT             the kernel table (sock_diag) row of
 *     client.k.kstate == TIME_WAIT    the socket's 4-tuple: kstate, krecv_q,
 *                                     ksend_q, ktimer (ms left); kstate is
 *                                     "none" when the table has no such row
 * Operators: == != < <= > >=.  A missing value ("nothing") equals nothing
 * but itself; ordering compares numbers only.
 */
#ifndef SOCKSTEP_EXPECT_H
#define SOCKSTEP_EXPECT_H

#include <stddef.h>
#include "sockstep/event.h"
#include "sockstep/script.h"

struct expect_env {
	const struct ss_event *call; /* this step's call event, NULL if none */
	int blocked;                 /* the step blocked in the kernel */
	/* Latest call event about actor's socket named sock, or NULL. */
	const struct ss_event *(*sock_event)(void *ctx, const char *actor,
					     const char *sock);
	void *ctx;
	const struct ss_event *rows; /* latest kernel table */
	int nrows;
	int eph_lo, eph_hi; /* ephemeral port range */
};

/* 0 if text is a well-formed expectation for script sc, else -1 and why. */
int expect_check_syntax(const struct ss_script *sc, const char *text,
			char *why, size_t whysz);

/* The actor.sock references in text (at most max): the parser checks each
 * names a socket an earlier step made.  Returns how many were found. */
int expect_refs(const struct ss_script *sc, const char *text,
		char actor[][SS_NAME_MAX], char sock[][SS_NAME_MAX], int max);

/* Evaluate text.  Returns 1 (holds), 0 (does not), -1 (cannot be
 * evaluated); report says what was compared with the kernel's values. */
int expect_eval(const struct ss_script *sc, const char *text,
		const struct expect_env *env, char *report, size_t reportsz);

/* The kernel's value of a field ("local.port", "state",
 * "server.s.local.port") for env, as text.  0, or -1 if not reported. */
int expect_field_text(const struct ss_script *sc, const char *field,
		      const struct expect_env *env, char *out, size_t outsz);

/* The kernel's ephemeral port range (defaults 32768..60999 if unreadable). */
void expect_ephemeral_range(int *lo, int *hi);

/* Does the kernel table row describe the socket seen in call event c? */
int expect_row_matches(const struct ss_event *row, const struct ss_event *c);

#endif
