/* i18n: select the locale and find the message catalogs. */
#include "sockstep/i18n.h"

#include <limits.h>
#include <locale.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef SOCKSTEP_LOCALEDIR
#define SOCKSTEP_LOCALEDIR "/usr/local/share/locale"
#endif

static char localedir[PATH_MAX];

static int is_dir(const char *p)
{
	struct stat st;

	return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

/* build/sockstep -> build/locale (the catalogs `make` compiles);
 * PREFIX/bin/sockstep -> PREFIX/share/locale (installed elsewhere than
 * the PREFIX it was built for). */
static int find_beside_binary(char *out, size_t outsz)
{
	char exe[PATH_MAX - 64];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	char *slash;

	if (n <= 0)
		return -1;
	exe[n] = '\0';
	slash = strrchr(exe, '/');
	if (!slash)
		return -1;
	*slash = '\0';
	snprintf(out, outsz, "%s/locale", exe);
	if (is_dir(out))
		return 0;
	snprintf(out, outsz, "%s/../share/locale/zh_CN/LC_MESSAGES/%s.mo", exe,
		 SOCKSTEP_TEXTDOMAIN);
	if (access(out, R_OK) == 0) {
		snprintf(out, outsz, "%s/../share/locale", exe);
		return 0;
	}
	return -1;
}

void i18n_init(void)
{
	/* Messages and character classes from the environment; numbers stay
	 * in the C locale so a recorded trace never gets decimal commas. */
	setlocale(LC_ALL, "");
	setlocale(LC_NUMERIC, "C");
	if (find_beside_binary(localedir, sizeof localedir) != 0)
		snprintf(localedir, sizeof localedir, "%s", SOCKSTEP_LOCALEDIR);
	bindtextdomain(SOCKSTEP_TEXTDOMAIN, localedir);
	textdomain(SOCKSTEP_TEXTDOMAIN);
}

const char *i18n_localedir(void)
{
	return localedir;
}

const char *i18n_language(void)
{
	/* The catalog's own header names its language; an untranslated
	 * locale gets the msgid back, the empty header string. */
	static const char header_msgid[] = "";
	const char *header = gettext(header_msgid);

	if (header && strstr(header, "Language: zh_CN"))
		return "zh_CN";
	return "en";
}
