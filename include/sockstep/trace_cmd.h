/*
 * trace_cmd: what `sockstep trace` adds to a session (cli/main.c runs it
 * as any other, the trace source (trace_source.h) behind the director):
 * the source's spec from the command line, and how the programs ended,
 * gathered from the events: one line a program that failed, was killed or
 * never used a socket, and the exit status (0 every program exited 0 after socket calls; 1 a program failed,
 * was killed by a signal or made no socket call; 2 it could not be run or
 * traced; 130 interrupted).
 */
#ifndef SOCKSTEP_TRACE_CMD_H
#define SOCKSTEP_TRACE_CMD_H

#include <stdio.h>
#include "sockstep/event.h"
#include "sockstep/options.h"
#include "sockstep/trace_source.h"

/* What the session said about its programs, gathered from its events. */
struct trace_summary {
	struct {
		char actor[SS_NAME_MAX];
		int pid;     /* the first process, as started */
		int exited;
		int status;  /* exit status, -1 */
		int signal;  /* killed by, 0 */
		int calls;   /* socket calls of any of its processes */
	} prog[2];
	int nprog;
	char cannot[SS_TEXT_MAX]; /* the tracer's first error, "" if none */
};

void trace_summary_init(struct trace_summary *s);
/* A sink (director_sink shape) that fills the summary. */
void trace_summary_sink(void *ctx, const struct ss_event *ev);
/* Print one line a program that did not end well on err; the exit status. */
int trace_summary_report(const struct trace_summary *s, FILE *err);

/* The trace source's spec from the command line (pointers into o). */
void trace_cmd_spec(const struct options *o, struct trace_spec *spec);

#endif
