/*
 * fuzz_tracefile: the one reader of recordings (replay, export) on any
 * file never crashes or leaks; what it refuses it says in printable ASCII;
 * every event it passes on is shown by the text output (replay --headless)
 * as printable ASCII, and drawn by every export format without a control
 * byte.  The seeds (fuzz/corpus/tracefile) hold control bytes and long
 * values in every field.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sockstep/escape.h"
#include "sockstep/export.h"
#include "sockstep/export_html.h"
#include "sockstep/filter.h"
#include "sockstep/output.h"
#include "sockstep/tracefile.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Printable text: ASCII, or whole safe characters (escape_text keeps a
 * lesson's or a translation's UTF-8), line by line. */
static void printable(const char *s, size_t n, int newlines)
{
	size_t start = 0;

	for (size_t i = 0; i <= n; i++) {
		if (i < n && !(s[i] == '\n' && newlines))
			continue;
		char *line = strndup(s + start, i - start);
		if (line == NULL)
			abort();
		if (strlen(line) != i - start || !escape_text_clean(line))
			abort();
		free(line);
		start = i + 1;
	}
}

/* No C0 control but newline and tab, no DEL: an export may hold UTF-8
 * text of its own (the HTML page), never a control byte from the file. */
static void no_control(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if ((c < 0x20 && c != '\n' && c != '\t') || c == 0x7f)
			abort();
	}
}

static int show(void *ctx, const struct ss_event *ev, long lineno, char *err,
		size_t errsz)
{
	output_text_sink(ctx, ev);
	return 0;
}

static void replay_text(FILE *in)
{
	struct output_text o;
	char err[512], *buf = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);

	if (out == NULL)
		return;
	output_text_init(&o, out);
	if (tracefile_read(in, "fuzz\x1b[2J.jsonl", show, &o, err, sizeof err) < 0)
		printable(err, strlen(err), 0);
	output_text_flush(&o);
	fclose(out);
	printable(buf, len, 1);
	free(buf);
}

/* The streaming reader (replay's) yields what the callback reader does,
 * and the same again after a rewind (replay's restart). */
static long stream_events(struct tracefile *tf, int *end)
{
	struct ss_event ev;
	char err[512];
	long n = 0;

	while ((*end = tracefile_next(tf, &ev, err, sizeof err)) == 1)
		n++;
	if (*end < 0)
		printable(err, strlen(err), 0);
	return n;
}

static void stream_twice(FILE *in)
{
	char err[512];
	struct tracefile *tf;
	int end1, end2;
	long n1;

	rewind(in);
	tf = tracefile_stream(in, "fuzz\x1b[2J.jsonl", err, sizeof err);
	if (tf == NULL)
		return;
	n1 = stream_events(tf, &end1);
	if (tracefile_rewind(tf, err, sizeof err) < 0)
		abort(); /* a memory file always rewinds */
	if (stream_events(tf, &end2) != n1 || end1 != end2)
		abort();
	tracefile_close(tf);
}

static void export_all(FILE *in)
{
	static const enum export_format fmts[] = {EXPORT_MERMAID, EXPORT_PLANTUML,
						  EXPORT_SVG, EXPORT_HTML};
	struct filter f;

	filter_init(&f);
	for (size_t i = 0; i < sizeof fmts / sizeof fmts[0]; i++) {
		char err[512], *buf = NULL;
		size_t len = 0;
		FILE *out = open_memstream(&buf, &len);
		int rc;

		if (out == NULL)
			return;
		rewind(in);
		rc = fmts[i] == EXPORT_HTML
			     ? export_html(in, "fuzz.jsonl", &f, out, err, sizeof err)
			     : export_trace(in, "fuzz.jsonl", fmts[i], &f, out, err, sizeof err);
		fclose(out);
		if (rc < 0)
			printable(err, strlen(err), 0);
		else if (fmts[i] == EXPORT_HTML)
			no_control(buf, len); /* its data block is JSON: any character */
		else
			printable(buf, len, 1); /* a diagram: only what escape_text keeps */
		free(buf);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	FILE *in;

	if (size == 0)
		return 0; /* fmemopen refuses an empty buffer */
	in = fmemopen((void *)data, size, "r");
	if (in == NULL)
		return 0;
	replay_text(in);
	stream_twice(in);
	export_all(in);
	fclose(in);
	return 0;
}
