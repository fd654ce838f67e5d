/* tracefile: one reader of recorded traces (see tracefile.h). */
#include "sockstep/tracefile.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "sockstep/jsonl.h"

static int blank(const char *p)
{
	while (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n')
		p++;
	return *p == '\0';
}

int tracefile_read(FILE *in, const char *name, tracefile_fn fn, void *ctx,
		   char *err, size_t errsz)
{
	char *line = NULL;
	size_t linecap = 0;
	ssize_t len;
	long lineno = 0;
	int rc = 0;

	while (rc == 0 && (len = getline(&line, &linecap, in)) >= 0) {
		struct ss_event ev;
		char why[200];

		lineno++;
		if (len > TRACEFILE_LINE_MAX) {
			snprintf(err, errsz, "%s:%ld: line longer than %d bytes", name,
				 lineno, TRACEFILE_LINE_MAX);
			rc = -1;
		} else if (blank(line)) {
			continue;
		} else {
			enum jsonl_status st = jsonl_parse_status(line, &ev, why, sizeof why);
			/* Newer traces may hold kinds we do not know: skip them. */
			if (st == JSONL_UNKNOWN_KIND)
				continue;
			if (st != JSONL_OK) {
				snprintf(err, errsz, "%s:%ld: %s", name, lineno, why);
				rc = -1;
			} else {
				rc = fn(ctx, &ev, lineno, err, errsz);
			}
		}
	}
	if (rc == 0 && ferror(in)) {
		snprintf(err, errsz, "%s: %s", name, strerror(errno));
		rc = -1;
	}
	free(line);
	return rc;
}

struct loading {
	const char *path;
	struct ss_event *evs;
	int n, max;
};

static int keep(void *ctx, const struct ss_event *ev, long lineno, char *err,
		size_t errsz)
{
	struct loading *l = ctx;

	if (l->n == l->max) {
		snprintf(err, errsz, "%s: more than %d events", l->path, l->max);
		return -1;
	}
	l->evs[l->n++] = *ev;
	return 0;
}

int tracefile_load(const char *path, int max, struct ss_event **evs, int *n,
		   char *err, size_t errsz)
{
	struct loading l = {.path = path, .max = max};
	FILE *f = fopen(path, "r");
	int rc;

	*evs = NULL;
	*n = 0;
	if (f == NULL) {
		snprintf(err, errsz, "%s: %s", path, strerror(errno));
		return -1;
	}
	l.evs = calloc((size_t)max, sizeof *l.evs);
	if (l.evs == NULL) {
		fclose(f);
		snprintf(err, errsz, "out of memory");
		return -1;
	}
	rc = tracefile_read(f, path, keep, &l, err, errsz);
	fclose(f);
	if (rc == 0 && l.n == 0) {
		snprintf(err, errsz, "%s: no events", path);
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
