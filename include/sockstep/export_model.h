/*
 * export_model: what the diagram writers of export share (internal to
 * src/sinks/export*.c).  export.c reads a trace into a `struct exporter`
 * (who owns which address, the lifelines in order) and turns each kept
 * event into a `struct item` (a note on one lifeline or an arrow between
 * two, its label plain ASCII); each writer escapes the labels for its own
 * syntax.  The exporter owns its items; a writer only reads them.
 */
#ifndef SOCKSTEP_EXPORT_MODEL_H
#define SOCKSTEP_EXPORT_MODEL_H

#include <stddef.h>
#include <stdio.h>

#include "sockstep/event.h"
#include "sockstep/export.h"

#define LABEL_MAX 240
#define MAP_MAX 512
/* An address nobody in the trace owns (a peer sockstep did not run, such
 * as nc talking to `sockstep server`) gets this lifeline. */
#define REMOTE_NAME "remote"

enum item_kind { IT_CALL, IT_BLOCKED, IT_PACKET };

/* Packet arrows are coloured by what the segment does. */
enum pkt_class { PC_SYN, PC_FIN, PC_RST, PC_DATA, PC_ACK, PC_COUNT };

struct item {
	enum item_kind kind;
	double t;
	size_t seq; /* position in the trace: keeps the sort stable */
	int from, to; /* actor indexes; equal for notes */
	int error;    /* a failed call */
	enum pkt_class pc;
	char line1[LABEL_MAX];
	char line2[LABEL_MAX]; /* "" for one-line labels */
};

struct actor {
	char name[SS_NAME_MAX];
	int used; /* has an item: gets a lifeline */
};

struct owner {
	char local[SS_ADDR_MAX];
	char peer[SS_ADDR_MAX];
	int actor;
};

struct exporter {
	const char *name;
	struct actor actors[EXPORT_ACTORS_MAX];
	int nactors;
	struct owner map[MAP_MAX];
	int nmap;
	struct ss_event *evs; /* kept events, in trace order */
	size_t nevs, cap;
	struct item *items;
	size_t nitems;
	int order[EXPORT_ACTORS_MAX]; /* lifeline position -> actor */
	int pos[EXPORT_ACTORS_MAX];   /* actor -> lifeline position */
	int nlines;
};

/* -1, with the message in err (the export writers' one error path). */
int export_fail(char *err, size_t errsz, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* The SVG sequence diagram of x's items (export_svg.c). */
void export_write_svg(const struct exporter *x, FILE *out);

#endif
