/*
 * export_html: a recorded session as one self-contained web page that
 * steps through it as the terminal UI does, in any current browser,
 * offline (`sockstep export --format html TRACE.jsonl -o session.html`).
 *
 * The page holds everything inline: the events of the trace as JSON in a
 * <script type="application/json"> data block, the sequence diagram as
 * the SVG export draws it, a style sheet and a small script.  Its
 * Content-Security-Policy allows nothing but that script and those two
 * style sheets, named by their SHA-256: no network, no other script, no
 * inline event handler.  The page's words are in the locale's language
 * (gettext); the trace's own text is shown as it was recorded.  Trace text reaches the page only through
 * escape_html (the title), escape_script_json (the data block) and the
 * script's textContent.  The page grows linearly with the trace; making
 * it takes constant memory.
 */
#ifndef SOCKSTEP_EXPORT_HTML_H
#define SOCKSTEP_EXPORT_HTML_H

#include <stddef.h>
#include <stdio.h>
#include "sockstep/filter.h"

/* A trace from a pipe longer than this is refused: it is read whole, to
 * be read again (a file is read twice where it is, and written to the
 * page one event at a time: any length). */
#define EXPORT_HTML_INPUT_MAX (32L * 1024 * 1024)

/* Read the JSONL trace in (name is used in messages and as the title) and
 * write the page to out.  f (may be NULL) narrows the sequence diagram
 * only; the steps always show the whole session.  Returns 0, or -1 with
 * one line in err ("trace.jsonl:12: column 3: ..."). */
int export_html(FILE *in, const char *name, const struct filter *f, FILE *out, char *err,
		size_t errsz);

/* The page's inline style sheet and script, as NULL-terminated arrays of
 * lines to concatenate (export_html_page.c). */
const char *const *export_html_style(void);
const char *const *export_html_script(void);

/* The words the script shows, by key, English (N_): the page writes each
 * translated (_()) into its "ss-words" data block, so the script stays
 * the same bytes (and CSP hash) in every language.  Ends with {NULL}. */
struct export_html_word {
	const char *key, *msgid;
};
const struct export_html_word *export_html_words(void);

#endif
