/*
 * export_model: what the diagram writers of export share (internal to
 * src/sinks/export*.c).  export.c reads a trace into a `struct exporter`
 * (who owns which address, the lifelines in order) and turns each kept
 * event into a `struct item` (a note on one lifeline or an arrow between
 * two, its label text without a control byte: printable ASCII and the
 * UTF-8 characters escape_text keeps); each writer escapes the labels for its own
 * syntax.  The exporter owns its items; a writer only reads them.
 *
 * A writer is three calls: head (the lifelines), one item at a time in
 * time order, tail.  Items come from memory, or (a seekable file whose
 * drawn events are in time order) straight from a second pass over the
 * file, so a diagram of any length is written in constant memory: what a
 * head needs of the items (the SVG's column widths and height) is learnt
 * by the first pass, in `struct svg_plan`.
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

/* An arrow's label that may widen the gaps between two lifelines. */
struct svg_span {
	int from, to;
	size_t len; /* columns */
};

/* What the SVG's head needs of all its items (export_svg.c fills it):
 * how wide each lifeline's notes are, the arrows' labels that may widen
 * a gap (in item order: gaps grow one after the other, so order counts;
 * a label no longer than an earlier one between the same two actors
 * cannot widen anything and is not kept), and the height of them all. */
struct svg_plan {
	int need[EXPORT_ACTORS_MAX]; /* half-width the actor's notes need */
	size_t longest[EXPORT_ACTORS_MAX][EXPORT_ACTORS_MAX];
	struct svg_span *spans;
	size_t nspans, cap;
	long body; /* the items' height */
	/* while writing */
	int xs[EXPORT_ACTORS_MAX];
	long y, height;
};

struct exporter {
	char name[256]; /* cleaned as a label, for titles and messages */
	enum export_format fmt;
	const struct filter *f;
	int inline_svg; /* in a page: no XML declaration */
	int streamed;   /* the items are read again from the file at start */
	long start;
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
	struct svg_plan svg;
};

/* A diagram's syntax: the head once, each item in time order, the tail. */
struct export_writer {
	void (*head)(struct exporter *x, FILE *out);
	void (*item)(struct exporter *x, const struct item *it, FILE *out);
	void (*tail)(struct exporter *x, FILE *out);
};

/* -1, with the message in err (the export writers' one error path). */
int export_fail(char *err, size_t errsz, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* A new exporter of the trace called name (cleaned as a label) to fmt, the
 * events f matches (f may be NULL; it must outlive the exporter).  NULL
 * when out of memory.  export_free frees it and everything it holds. */
struct exporter *export_new(const char *name, enum export_format fmt,
			    const struct filter *f);
void export_free(struct exporter *x);
/* Read in once (from where it stands) and learn all the head needs: the
 * whole file is checked here, before anything is written.  0, or -1
 * with err. */
int export_prepare(struct exporter *x, FILE *in, char *err, size_t errsz);
/* Write the prepared diagram to out, reading the items from in again
 * when they were not kept.  0, or -1 with err. */
int export_write(struct exporter *x, FILE *in, FILE *out, char *err, size_t errsz);

/* The writers (export_text.c, export_svg.c). */
const struct export_writer *export_mermaid_writer(void);
const struct export_writer *export_plantuml_writer(void);
const struct export_writer *export_svg_writer(void);

/* The SVG plan, item by item or (streamed packets) pair by pair: count
 * packets from -> to whose longest label is longest columns wide; then
 * each label that may widen a gap, in item order.  -1 when out of
 * memory. */
void export_svg_plan_note(struct svg_plan *p, const struct item *it);
void export_svg_plan_packets(struct svg_plan *p, int from, int to, long count,
			     size_t longest);
int export_svg_plan_span(struct svg_plan *p, int from, int to, size_t len);
/* The content of the SVG's <style> element (a page hashes it). */
void export_svg_style(FILE *out);

#endif
