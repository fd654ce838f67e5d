/* tracefile: one reader of recorded traces (see tracefile.h). */
#include "sockstep/tracefile.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "sockstep/escape.h"
#include "sockstep/i18n.h"
#include "sockstep/files.h"
#include "sockstep/jsonl.h"

static int blank(const char *p)
{
	while (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n')
		p++;
	return *p == '\0';
}

#define BLOCK_SIZE (64 * 1024)

struct tracefile {
	FILE *in;
	int owned;       /* opened here: closed by tracefile_close */
	char name[256];  /* escaped, for messages */
	char *line;      /* TRACEFILE_LINE_MAX + 1 bytes */
	char *cur;       /* the line read last: in block, or line */
	char *block;     /* BLOCK_SIZE bytes read ahead */
	size_t pos, len; /* unread part of block */
	int eof, failed;
	long lineno;
};

/* The next line at tf->cur (NUL-terminated, the newline dropped).  Its
 * length; -1 at the end of the file; -2 for a line longer than
 * TRACEFILE_LINE_MAX bytes, of which no more is read: one endless line
 * (/dev/zero, a 1 GB line) is refused after the cap, whatever its length.
 * A NUL byte is kept in the count, so the caller sees it.  Lines are cut
 * with memchr in blocks from fread: a million lines in a fraction of the
 * time one getc per byte takes.  A line whole inside the block is used
 * where it lies (its newline made its end), not copied. */
static long next_line(struct tracefile *tf)
{
	size_t n = 0;

	tf->cur = tf->line;

	for (;;) {
		const char *start, *nl;
		size_t take;

		if (tf->pos == tf->len) {
			if (tf->eof)
				break;
			tf->pos = 0;
			tf->len = fread(tf->block, 1, BLOCK_SIZE, tf->in);
			if (tf->len == 0) {
				tf->eof = 1;
				break;
			}
		}
		start = tf->block + tf->pos;
		nl = memchr(start, '\n', tf->len - tf->pos);
		take = nl ? (size_t)(nl - start) : tf->len - tf->pos;
		if (n + take > TRACEFILE_LINE_MAX)
			return -2;
		if (nl && n == 0) {
			tf->cur = tf->block + tf->pos;
			tf->cur[take] = '\0';
			tf->pos += take + 1;
			return (long)take;
		}
		memcpy(tf->line + n, start, take);
		n += take;
		tf->pos += take;
		if (nl) {
			tf->pos++;
			break;
		}
	}
	if (n == 0 && tf->eof)
		return -1;
	tf->line[n] = '\0';
	return (long)n;
}

/* One line: 1 an event in *ev, 0 nothing (blank, a kind we do not know),
 * or -1 with err. */
static int take_line(struct tracefile *tf, long len, struct ss_event *ev, char *err,
		     size_t errsz)
{
	char why[200];
	enum jsonl_status st;

	if (len == -2) {
		snprintf(err, errsz, _("%s:%ld: line longer than %d bytes"), tf->name,
			 tf->lineno, TRACEFILE_LINE_MAX);
		return -1;
	}
	if ((size_t)len != strlen(tf->cur)) {
		snprintf(err, errsz, _("%s:%ld: a NUL byte: not a JSONL trace"), tf->name,
			 tf->lineno);
		return -1;
	}
	if (blank(tf->cur))
		return 0;
	st = jsonl_parse_status(tf->cur, ev, why, sizeof why);
	/* Newer traces may hold kinds we do not know: skip them. */
	if (st == JSONL_UNKNOWN_KIND)
		return 0;
	if (st != JSONL_OK) {
		snprintf(err, errsz, "%s:%ld: %s", tf->name, tf->lineno, why);
		return -1;
	}
	return 1;
}

struct tracefile *tracefile_stream(FILE *in, const char *name, char *err,
				   size_t errsz)
{
	struct tracefile *tf = calloc(1, sizeof *tf);

	if (tf == NULL) {
		snprintf(err, errsz, "%s", _("out of memory"));
		return NULL;
	}
	escape_text(tf->name, sizeof tf->name, name);
	tf->line = malloc(TRACEFILE_LINE_MAX + 1);
	tf->block = malloc(BLOCK_SIZE);
	if (tf->line == NULL || tf->block == NULL) {
		snprintf(err, errsz, _("%s: out of memory"), tf->name);
		tracefile_close(tf);
		return NULL;
	}
	tf->in = in;
	return tf;
}

struct tracefile *tracefile_open(const char *path, char *err, size_t errsz)
{
	/* a regular file: a FIFO would hang, /dev/zero never end */
	FILE *f = files_read(path, err, errsz);
	struct tracefile *tf;

	if (f == NULL)
		return NULL;
	tf = tracefile_stream(f, path, err, errsz);
	if (tf == NULL) {
		fclose(f);
		return NULL;
	}
	tf->owned = 1;
	return tf;
}

int tracefile_next(struct tracefile *tf, struct ss_event *ev, char *err,
		   size_t errsz)
{
	int rc = 0;

	if (tf->failed) {
		snprintf(err, errsz, _("%s:%ld: read stopped at an error"), tf->name,
			 tf->lineno);
		return -1;
	}
	while (rc == 0) {
		long len = next_line(tf);
		if (len == -1)
			break;
		tf->lineno++;
		rc = take_line(tf, len, ev, err, errsz);
	}
	if (rc == 0 && ferror(tf->in)) {
		snprintf(err, errsz, "%s: %s", tf->name, strerror(errno));
		rc = -1;
	}
	tf->failed = rc < 0;
	return rc;
}

long tracefile_lineno(const struct tracefile *tf)
{
	return tf->lineno;
}

int tracefile_rewind(struct tracefile *tf, char *err, size_t errsz)
{
	if (fseek(tf->in, 0, SEEK_SET) != 0) {
		snprintf(err, errsz, _("%s: cannot rewind: %s"), tf->name, strerror(errno));
		return -1;
	}
	clearerr(tf->in);
	tf->pos = tf->len = 0;
	tf->eof = tf->failed = 0;
	tf->lineno = 0;
	return 0;
}

void tracefile_close(struct tracefile *tf)
{
	if (tf == NULL)
		return;
	if (tf->owned && tf->in)
		fclose(tf->in);
	free(tf->line);
	free(tf->block);
	free(tf);
}

int tracefile_read(FILE *in, const char *name, tracefile_fn fn, void *ctx,
		   char *err, size_t errsz)
{
	/* One reader for the whole file: its memory is this, the events the
	 * callback keeps are the caller's to bound. */
	struct tracefile *tf = tracefile_stream(in, name, err, errsz);
	struct ss_event ev;
	int rc;

	if (tf == NULL)
		return -1;
	while ((rc = tracefile_next(tf, &ev, err, errsz)) == 1)
		if (fn(ctx, &ev, tf->lineno, err, errsz) < 0) {
			rc = -1;
			break;
		}
	tracefile_close(tf);
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
		snprintf(err, errsz, _("%s:%ld: more than %d events"), l->path, lineno, l->max);
		return -1;
	}
	if (l->n == l->cap) {
		int cap = l->cap ? (l->cap > l->max / 2 ? l->max : l->cap * 2) : 256;
		struct ss_event *p = realloc(l->evs, (size_t)cap * sizeof *p);
		if (p == NULL) {
			snprintf(err, errsz, _("%s: out of memory"), l->path);
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
	escape_text(l.path, sizeof l.path, path);
	rc = tracefile_read(f, path, keep, &l, err, errsz);
	fclose(f);
	if (rc == 0 && l.n == 0) {
		snprintf(err, errsz, _("%s: no events"), l.path);
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
