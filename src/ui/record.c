/* record: the UI's record of the session for its export key (see
 * record.h). */
#include "sockstep/record.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sockstep/export.h"
#include "sockstep/export_html.h"
#include "sockstep/i18n.h"
#include "sockstep/output.h"

void record_open(struct record *r)
{
	const char *dir = getenv("TMPDIR");
	char path[512];
	int fd;

	r->f = NULL;
	r->events = 0;
	snprintf(path, sizeof path, "%s/sockstep-ui-XXXXXX",
		 dir && dir[0] ? dir : "/tmp");
	fd = mkstemp(path);
	if (fd < 0)
		return;
	unlink(path);
	/* appends stay at the end while the export reads from the start */
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_APPEND);
	r->f = fdopen(fd, "a");
	if (r->f == NULL)
		close(fd);
}

void record_add(struct record *r, const struct ss_event *ev)
{
	if (r->f && r->events < RECORD_EVENTS) {
		output_jsonl_write(r->f, ev);
		r->events++;
	}
}

void record_reset(struct record *r)
{
	if (r->f == NULL)
		return;
	fflush(r->f);
	if (ftruncate(fileno(r->f), 0) < 0) {
		fclose(r->f);
		r->f = NULL;
	}
	r->events = 0;
}

void record_close(struct record *r)
{
	if (r->f)
		fclose(r->f);
	r->f = NULL;
}

/* The record, read again from its start through /proc (the FILE appends),
 * drawn as fmt into name.  0 or -1 with msg. */
static int record_write(struct record *r, const char *title, const struct filter *f,
			enum export_format fmt, const char *name, char *msg,
			size_t msgsz)
{
	char proc[64], err[256];
	FILE *in, *out;
	int rc;

	snprintf(proc, sizeof proc, "/proc/self/fd/%d", fileno(r->f));
	in = fopen(proc, "r");
	out = fopen(name, "w");
	if (in == NULL || out == NULL) {
		snprintf(msg, msgsz, _("export: cannot write %s: %s"), name, strerror(errno));
		if (in)
			fclose(in);
		if (out)
			fclose(out);
		return -1;
	}
	if (fmt == EXPORT_HTML)
		rc = export_html(in, title, f, out, err, sizeof err);
	else
		rc = export_trace(in, title, fmt, f, out, err, sizeof err);
	fclose(in);
	if (fclose(out) != 0 && rc == 0) {
		snprintf(err, sizeof err, "%s: %s", name, strerror(errno));
		rc = -1;
	}
	if (rc < 0)
		snprintf(msg, msgsz, _("export: %.180s"), err);
	return rc;
}

int record_export(struct record *r, const char *title, const struct filter *f,
		  char *msg, size_t msgsz)
{
	static const struct {
		enum export_format fmt;
		const char *ext;
	} outs[] = {{EXPORT_SVG, "svg"}, {EXPORT_MERMAID, "mmd"}, {EXPORT_HTML, "html"}};
	char name[3][64];

	if (r->f == NULL) {
		snprintf(msg, msgsz, "%s", _("export: no temporary file for the session (check TMPDIR)"));
		return -1;
	}
	if (r->events >= RECORD_EVENTS) {
		snprintf(msg, msgsz, "%s",
			 _("export: the session is too long for the UI: use --record and sockstep export --filter"));
		return -1;
	}
	fflush(r->f);
	for (int i = 0; i < 3; i++) {
		snprintf(name[i], sizeof name[i], "sockstep-%d.%s", (int)getpid(), outs[i].ext);
		if (record_write(r, title, f, outs[i].fmt, name[i], msg, msgsz) < 0)
			return -1;
	}
	snprintf(msg, msgsz, f ? _("wrote %s, %s and %s (filtered)") : _("wrote %s, %s and %s"),
		 name[0], name[1], name[2]);
	return 0;
}
