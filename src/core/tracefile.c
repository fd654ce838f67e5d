/* tracefile: one reader of recorded traces (see tracefile.h). */
#include "sockstep/tracefile.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "sockstep/escape.h"
#include "sockstep/files.h"
#include "sockstep/jsonl.h"

static int blank(const char *p)
{
	while (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n')
		p++;
	return *p == '\0';
}

/* The next line of in into buf (at most cap bytes, NUL-terminated, the
 * newline dropped).  Its length; -1 at the end of the file; -2 for a
 * line longer than cap - 1 bytes, of which no more is read: one endless
 * line (/dev/zero, a 1 GB line) is refused after cap bytes, whatever
 * its length.  A NUL byte is kept in the count, so the caller sees it. */
static long next_line(FILE *in, char *buf, size_t cap)
{
	size_t n = 0;
	int c;

	while ((c = getc(in)) != EOF && c != '\n') {
		if (n + 1 >= cap)
			return -2;
		buf[n++] = (char)c;
	}
	if (c == EOF && n == 0)
		return -1;
	buf[n] = '\0';
	return (long)n;
}

/* One line: 0 (read on), or -1 with err. */
static int take_line(const char *line, long len, const char *name, long lineno,
		     tracefile_fn fn, void *ctx, char *err, size_t errsz)
{
	struct ss_event ev;
	char why[200];
	enum jsonl_status st;

	if (len == -2) {
		snprintf(err, errsz, "%s:%ld: line longer than %d bytes", name, lineno,
			 TRACEFILE_LINE_MAX);
		return -1;
	}
	if ((size_t)len != strlen(line)) {
		snprintf(err, errsz, "%s:%ld: a NUL byte: not a JSONL trace", name, lineno);
		return -1;
	}
	if (blank(line))
		return 0;
	st = jsonl_parse_status(line, &ev, why, sizeof why);
	/* Newer traces may hold kinds we do not know: skip them. */
	if (st == JSONL_UNKNOWN_KIND)
		return 0;
	if (st != JSONL_OK) {
		snprintf(err, errsz, "%s:%ld: %s", name, lineno, why);
		return -1;
	}
	return fn(ctx, &ev, lineno, err, errsz);
}

int tracefile_read(FILE *in, const char *name, tracefile_fn fn, void *ctx,
		   char *err, size_t errsz)
{
	/* One buffer for the whole file: the reader's memory is this, the
	 * events the callback keeps are the caller's to bound. */
	char *line = malloc(TRACEFILE_LINE_MAX + 1);
	char shown[256];
	long len, lineno = 0;
	int rc = 0;

	escape_string(shown, sizeof shown, name);
	if (line == NULL) {
		snprintf(err, errsz, "%s: out of memory", shown);
		return -1;
	}
	while (rc == 0 && (len = next_line(in, line, TRACEFILE_LINE_MAX + 1)) != -1)
		rc = take_line(line, len, shown, ++lineno, fn, ctx, err, errsz);
	if (rc == 0 && ferror(in)) {
		snprintf(err, errsz, "%s: %s", shown, strerror(errno));
		rc = -1;
	}
	free(line);
	return rc;
}

struct loading {
	char path[256]; /* escaped, for messages */
	struct ss_event *evs;
	int n, cap, max;
};

/* Keep one more event; the store grows as the file goes (a short trace
 * takes little memory), never past max. */
static int keep(void *ctx, const struct ss_event *ev, long lineno, char *err,
		size_t errsz)
{
	struct loading *l = ctx;

	if (l->n == l->max) {
		snprintf(err, errsz, "%s:%ld: more than %d events", l->path, lineno, l->max);
		return -1;
	}
	if (l->n == l->cap) {
		int cap = l->cap ? (l->cap > l->max / 2 ? l->max : l->cap * 2) : 256;
		struct ss_event *p = realloc(l->evs, (size_t)cap * sizeof *p);
		if (p == NULL) {
			snprintf(err, errsz, "%s: out of memory", l->path);
			return -1;
		}
		l->evs = p;
		l->cap = cap;
	}
	l->evs[l->n++] = *ev;
	return 0;
}

int tracefile_load(const char *path, int max, struct ss_event **evs, int *n,
		   char *err, size_t errsz)
{
	struct loading l = {.max = max};
	/* a regular file: a FIFO would hang, /dev/zero never end */
	FILE *f = files_read(path, err, errsz);
	int rc;

	*evs = NULL;
	*n = 0;
	if (f == NULL)
		return -1;
	escape_string(l.path, sizeof l.path, path);
	rc = tracefile_read(f, path, keep, &l, err, errsz);
	fclose(f);
	if (rc == 0 && l.n == 0) {
		snprintf(err, errsz, "%s: no events", l.path);
		rc = -1;
	}
	if (rc < 0) {
		free(l.evs);
		return -1;
	}
	*evs = l.evs;
	*n = l.n;
	return 0;
}
