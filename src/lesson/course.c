/* course: find and list the lessons, each in the learner's language when
 * it has been translated (see course.h). */
#include "sockstep/course.h"

#include <ctype.h>
#include <dirent.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int is_dir(const char *p)
{
	struct stat st;
	return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

int course_dir(const char *argv0, char *out, size_t outsz)
{
	const char *env = getenv("SOCKSTEP_LESSONS");
	char exe[PATH_MAX];
	ssize_t n;

	if (env && is_dir(env)) {
		snprintf(out, outsz, "%s", env);
		return 0;
	}
	if (is_dir("lessons")) {
		snprintf(out, outsz, "lessons");
		return 0;
	}
	/* beside the binary: build/sockstep -> lessons/ */
	n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	if (n > 0) {
		char *slash;
		exe[n] = '\0';
		slash = strrchr(exe, '/');
		if (slash) {
			*slash = '\0';
			snprintf(out, outsz, "%s/../lessons", exe);
			if (is_dir(out))
				return 0;
			/* installed under another PREFIX than it was built
			 * for: PREFIX/bin/sockstep -> PREFIX/share/... */
			snprintf(out, outsz, "%s/../share/sockstep/lessons", exe);
			if (is_dir(out))
				return 0;
		}
	}
	(void)argv0;
	snprintf(out, outsz, "%s/lessons", SOCKSTEP_DATADIR);
	return is_dir(out) ? 0 : -1;
}

static int by_number(const void *a, const void *b)
{
	const struct course_entry *x = a, *y = b;
	return x->number - y->number;
}

/* The translation of entry e in dir/lang/, same file name, if it exists:
 * the English is the course, a translation only replaces what it has. */
static void translate(struct course_entry *e, const char *dir,
		      const char *lang)
{
	char path[COURSE_PATH_MAX + 64];
	const char *file = strrchr(e->path, '/');
	struct stat st;

	if (lang == NULL || strcmp(lang, "en") == 0 || file == NULL)
		return;
	snprintf(path, sizeof path, "%s/%s%s", dir, lang, file);
	if (strlen(path) >= sizeof e->path || stat(path, &st) != 0 ||
	    !S_ISREG(st.st_mode))
		return;
	snprintf(e->path, sizeof e->path, "%s", path);
	e->translated = 1;
}

int course_list(const char *dir, const char *lang, struct course_entry *out,
		int max)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	int n = 0;

	if (d == NULL)
		return 0;
	while ((de = readdir(d)) != NULL && n < max) {
		const char *f = de->d_name;
		size_t len = strlen(f);
		char *end;
		long num;

		if (!isdigit((unsigned char)f[0]) || len < 5 ||
		    strcmp(f + len - 3, ".md") != 0)
			continue;
		num = strtol(f, &end, 10);
		if (*end != '-' || num <= 0 || num > 999)
			continue;
		out[n].number = (int)num;
		snprintf(out[n].name, sizeof out[n].name, "%.*s",
			 (int)(len - 3 - (size_t)(end + 1 - f)), end + 1);
		snprintf(out[n].path, sizeof out[n].path, "%s/%s", dir, f);
		out[n].translated = 0;
		translate(&out[n], dir, lang);
		n++;
	}
	closedir(d);
	qsort(out, (size_t)n, sizeof *out, by_number);
	return n;
}

int course_find(const char *dir, const char *lang, const char *what,
		char *path, size_t pathsz)
{
	struct course_entry list[COURSE_MAX];
	int n;
	char *end;
	long num;

	if (strchr(what, '/') || (strlen(what) > 3 &&
				  strcmp(what + strlen(what) - 3, ".md") == 0)) {
		/* a path: loading it says why it cannot be read (missing,
		 * unreadable, a directory), better than "no lesson" */
		snprintf(path, pathsz, "%s", what);
		return 0;
	}
	n = course_list(dir, lang, list, COURSE_MAX);
	num = strtol(what, &end, 10);
	for (int i = 0; i < n; i++) {
		if ((*end == '\0' && end != what && list[i].number == num) ||
		    strcmp(list[i].name, what) == 0) {
			snprintf(path, pathsz, "%s", list[i].path);
			return 0;
		}
	}
	return -1;
}

int course_index(const struct course_entry *list, int n, const char *path)
{
	for (int i = 0; i < n; i++)
		if (strcmp(list[i].path, path) == 0)
			return i;
	return -1;
}
