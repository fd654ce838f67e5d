/*
 * i18n: the words a person reads, in the language the locale asks for.
 *
 * Every string a learner or teacher reads goes through _() (gettext,
 * glibc's libintl; catalogs in po/).  N_() marks a string kept in a table
 * and translated where it is shown.  The kernel's own names (calls, TCP
 * states, errno names, flags, addresses) and the JSONL trace's kinds and
 * fields are never translated; a trace records the narration and notes
 * as they were shown (docs/trace-format.md, "Language").
 *
 * English is the source language and the default: without a catalog for
 * the locale, _() returns its argument unchanged.
 */
#ifndef SOCKSTEP_I18N_H
#define SOCKSTEP_I18N_H

#include <libintl.h>

#define SOCKSTEP_TEXTDOMAIN "sockstep"

#define _(msgid) gettext(msgid)
#define N_(msgid) (msgid)

/* Take the locale from the environment (LC_ALL, LC_MESSAGES, LANG, and
 * LANGUAGE for the message language), numbers kept in the C locale, and
 * find the catalogs: beside the binary first (build/locale, so sockstep
 * run from the build tree speaks the locale's language without being
 * installed), then SOCKSTEP_LOCALEDIR.  argv0 is unused when
 * /proc/self/exe can be read. */
void i18n_init(void);

/* The directory the catalogs were found in ("" when none was). */
const char *i18n_localedir(void);

/* The language messages are shown in: "zh_CN" when the catalog of the
 * locale's language was found and is in use, "en" otherwise.  Used to
 * pick a lesson file in the same language as the messages around it. */
const char *i18n_language(void);

#endif
