/*
 * options: the command line, parsed into a struct options.
 *
 * Pure: no output and no exit; a bad command line leaves a one-line reason
 * (escaped: it quotes what the user typed) in o->error.  Resolving the host
 * is a separate step because it may ask DNS.  Fuzzed in fuzz/.
 */
#ifndef SOCKSTEP_OPTIONS_H
#define SOCKSTEP_OPTIONS_H

#include <stdio.h>
#include "sockstep/filter.h"

enum mode { MODE_CLASSIC, MODE_SERVER, MODE_CLIENT, MODE_LESSON, MODE_LESSONS, MODE_REPLAY,
	    MODE_TRACE };

struct options {
	enum mode mode;
	const char *what; /* lesson name/number/path, or replay file */
	int headless;
	int jsonl;
	char host[64];
	char family[16];
	char port[8];
	char pause[16];
	int count;
	char send[512];
	int packets; /* -1: default */
	int table;
	const char *record;
	const char *pcap;  /* --pcap: the captured packets as a capture file */
	int host_net;      /* --host-net: no private network for the session */
	double step_limit;
	int no_trace; /* benchmarks' baseline: the calls without the tracing */
	struct filter filter; /* --filter: what headless output prints */
	int no_quiz;
	int present; /* UI: presenter layout for a projector */
	/* headless predictions for the lesson's questions, in order */
	char answers[32][64];
	int nanswers;
	/* sockstep trace: two command lines (--server, --client), or one
	 * command and its arguments (pointers into argv, NULL-terminated) */
	const char *trace_server;
	const char *trace_client;
	char **trace_argv;
	int trace_argc;
	char host_arg[256]; /* --host as given, before resolving */
	char error[512];    /* why parsing failed */
};

enum options_result {
	OPTIONS_OK,
	OPTIONS_HELP,    /* --help: print options_usage, exit 0 */
	OPTIONS_VERSION, /* --version */
	OPTIONS_USAGE,   /* bad command line: o->error says why, exit 2 */
};

enum options_result options_parse(int argc, char **argv, struct options *o);

/* Resolve o->host_arg to a numeric address in o->host (and o->family).
 * 0, or -1 with o->error. */
int options_resolve_host(struct options *o);

void options_usage(FILE *out);

#endif
