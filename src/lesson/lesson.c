/* lesson: the lesson file: fences, title, ${variables} (see lesson.h).
 * The lines inside a block are the grammar's (grammar.c). */
#include "sockstep/lesson.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sockstep/escape.h"
#include "sockstep/files.h"
#include "sockstep/grammar.h"

#define LINE_MAX_LEN 1024
#define SCRIPT_TEXT_MAX (256 * 1024)

/* Values for variables the caller did not pass, so that a lesson loads the
 * same way for `sockstep lessons` (no variables) as for a run. */
/* The example programs built beside the binary (make examples puts them in
 * build/examples/): what a lesson about real programs runs, ${examples}. */
static const char *examples_dir(char *buf, size_t bufsz)
{
	char exe[512];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	char *slash;

	exe[n > 0 ? n : 0] = '\0';
	slash = strrchr(exe, '/');
	if (slash)
		*slash = '\0';
	snprintf(buf, bufsz, "%s/examples", slash ? exe : ".");
	return buf;
}

static const char *default_var(const char *name, size_t len, char *buf,
			       size_t bufsz)
{
	static const struct script_var defaults[] = {
		{"host", "127.0.0.1"}, {"port", "0"},	 {"pause", "2"},
		{"send", "1"},	       {"family", "AF_INET"}};

	for (size_t i = 0; i < sizeof defaults / sizeof defaults[0]; i++)
		if (strlen(defaults[i].name) == len &&
		    strncmp(defaults[i].name, name, len) == 0)
			return defaults[i].value;
	if (len == 3 && strncmp(name, "pid", 3) == 0) {
		snprintf(buf, bufsz, "%ld", (long)getpid());
		return buf;
	}
	if (len == 3 && strncmp(name, "uid", 3) == 0) {
		snprintf(buf, bufsz, "%ld", (long)getuid());
		return buf;
	}
	if (len == 8 && strncmp(name, "examples", 8) == 0)
		return examples_dir(buf, bufsz);
	return NULL;
}

/* Replace ${name} by its value; unknown names are an error. */
static int substitute(struct grammar *p, const char *in, char *out, size_t outsz,
		      const struct script_var *vars, size_t nvars)
{
	size_t n = 0;
	char num[600]; /* a number, or the examples folder's path */

	while (*in) {
		if (in[0] == '$' && in[1] == '{') {
			const char *end = strchr(in, '}');
			size_t i;
			if (end == NULL)
				return grammar_fail(p, "unterminated ${");
			for (i = 0; i < nvars; i++)
				if (strlen(vars[i].name) == (size_t)(end - in - 2) &&
				    strncmp(vars[i].name, in + 2, (size_t)(end - in - 2)) == 0)
					break;
			const char *val = i < nvars ? vars[i].value
				: default_var(in + 2, (size_t)(end - in - 2), num, sizeof num);
			if (val == NULL)
				return grammar_fail(p, "unknown variable '%.*s' (host, port, pause, send, family, pid, uid, examples)",
					    (int)(end - in - 2), in + 2);
			size_t vl = strlen(val);
			if (n + vl >= outsz)
				return grammar_fail(p, "line too long");
			memcpy(out + n, val, vl);
			n += vl;
			in = end + 1;
			continue;
		}
		if (n + 1 >= outsz)
			return grammar_fail(p, "line too long");
		out[n++] = *in++;
	}
	out[n] = '\0';
	return 0;
}

int lesson_parse(struct ss_script *sc, const char *text, const char *name,
		 const struct script_var *vars, size_t nvars, char *err,
		 size_t errsz)
{
	struct grammar p;
	int in_block = 0;
	int blocks = 0;
	const char *s = text;

	memset(sc, 0, sizeof *sc);
	memset(&p, 0, sizeof p);
	p.sc = sc;
	p.name = name;
	p.err = err;
	p.errsz = errsz;
	sc->steps = calloc(SCRIPT_MAX_STEPS, sizeof *sc->steps);
	if (sc->steps == NULL) {
		snprintf(err, errsz, "%s: out of memory", name);
		return -1;
	}
	while (*s) {
		char raw[LINE_MAX_LEN];
		char line[LINE_MAX_LEN];
		const char *nl = strchr(s, '\n');
		size_t len = nl ? (size_t)(nl - s) : strlen(s);

		p.line++;
		/* The limit is the grammar's: prose a person reads may run
		 * on (only a title is kept, cut to its field). */
		if (len >= sizeof raw && in_block) {
			grammar_fail(&p, "line longer than %d characters", LINE_MAX_LEN - 1);
			goto bad;
		}
		const char *start = s;

		s += len + (nl ? 1 : 0);
		if (len >= sizeof raw)
			len = sizeof raw - 1; /* prose: the rest is not needed */
		memcpy(raw, start, len);
		raw[len] = '\0';
		if (len && raw[len - 1] == '\r')
			raw[len - 1] = '\0';

		if (strncmp(raw, "```", 3) == 0) {
			if (!in_block && strcmp(grammar_trim(raw + 3), "sockstep") == 0) {
				in_block = 1;
				blocks++;
			} else if (in_block) {
				in_block = 0;
			}
			continue;
		}
		if (!in_block) {
			if (sc->title[0] == '\0' && strncmp(raw, "# ", 2) == 0)
				snprintf(sc->title, sizeof sc->title, "%s", grammar_trim(raw + 2));
			continue;
		}
		if (substitute(&p, raw, line, sizeof line, vars, nvars) < 0)
			goto bad;
		if (grammar_line(&p, line, isspace((unsigned char)line[0])) < 0)
			goto bad;
	}
	if (in_block) {
		grammar_fail(&p, "the sockstep block is not closed with ```");
		goto bad;
	}
	if (blocks == 0 || sc->nsteps == 0) {
		grammar_fail(&p, "no steps: a lesson needs a ```sockstep block");
		goto bad;
	}
	if (grammar_finish(&p) < 0)
		goto bad;
	if (sc->title[0] == '\0')
		snprintf(sc->title, sizeof sc->title, "%s", name);
	return 0;
bad:
	script_free(sc);
	return -1;
}

int lesson_load(struct ss_script *sc, const char *path,
		const struct script_var *vars, size_t nvars, char *err,
		size_t errsz)
{
	/* a regular file: a FIFO would hang, /dev/zero never end */
	FILE *f = files_read(path, err, errsz);
	char *text, shown[256];
	size_t n;
	int rc;

	if (f == NULL)
		return -1;
	escape_string(shown, sizeof shown, path);
	text = malloc(SCRIPT_TEXT_MAX + 1);
	if (text == NULL) {
		fclose(f);
		snprintf(err, errsz, "%s: out of memory", shown);
		return -1;
	}
	n = fread(text, 1, SCRIPT_TEXT_MAX + 1, f);
	fclose(f);
	if (n > SCRIPT_TEXT_MAX) {
		free(text);
		snprintf(err, errsz, "%s: larger than %d KiB", shown, SCRIPT_TEXT_MAX / 1024);
		return -1;
	}
	if (memchr(text, '\0', n)) {
		free(text);
		snprintf(err, errsz, "%s: not a text file (NUL byte)", shown);
		return -1;
	}
	text[n] = '\0';
	rc = lesson_parse(sc, text, path, vars, nvars, err, errsz);
	if (rc == 0)
		snprintf(sc->path, sizeof sc->path, "%s", path);
	free(text);
	return rc;
}
