/*
 * export_html: a JSONL trace as one self-contained page to step through.
 *
 * The trace is read twice and nothing is kept per event: once to check
 * it and learn what the diagram's head needs, once to draw the sequence
 * diagram (the SVG export, export_model.h) and, from the same events
 * (x->tap), to write them as one JSON array through jsonl_format, each
 * call with the line the text output prints for it and the explanation
 * the UI shows (so the page says what the terminal says, from the same
 * code).  The array goes to the page's data block as it is made; the
 * diagram, shown after it, waits in a temporary file.  The page is
 * written around them; its script (export_html_page.c) does the stepping.
 * A pipe is read into memory first (bounded), to be read again.  The CSP
 * hashes are computed here from the exact bytes written.
 */
#include "sockstep/export_html.h"
#include "sockstep/export_model.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "sockstep/escape.h"
#include "sockstep/explain.h"
#include "sockstep/i18n.h"
#include "sockstep/export.h"
#include "sockstep/jsonl.h"
#include "sockstep/tracefile.h"
#include "sockstep/output.h"
#include "sockstep/sha256.h"

#ifndef SOCKSTEP_VERSION
#define SOCKSTEP_VERSION "?"
#endif

/* A growing text built with stdio (open_memstream). */
struct text {
	char *buf;
	size_t len;
	FILE *f;
};


static int text_open(struct text *t)
{
	t->buf = NULL;
	t->len = 0;
	t->f = open_memstream(&t->buf, &t->len);
	return t->f ? 0 : -1;
}

/* Close the stream; the text stays in t->buf (NUL-terminated). */
static int text_close(struct text *t)
{
	int bad = ferror(t->f);

	if (fclose(t->f) != 0 || bad) {
		t->f = NULL;
		return -1;
	}
	t->f = NULL;
	return 0;
}

static void text_free(struct text *t)
{
	if (t->f)
		fclose(t->f);
	free(t->buf);
	t->buf = NULL;
}

/* The whole input, with a '\n' appended (so an empty trace is one blank
 * line, and the last line always ends). */
static int slurp(FILE *in, const char *name, struct text *t, char *err, size_t errsz)
{
	char chunk[65536];
	size_t n;

	if (text_open(t) < 0)
		return export_fail(err, errsz, _("out of memory"));
	while ((n = fread(chunk, 1, sizeof chunk, in)) > 0) {
		if (ftell(t->f) + (long)n > EXPORT_HTML_INPUT_MAX)
			return export_fail(err, errsz, _("%s: longer than %ld MB: too long for one page"),
				    name, EXPORT_HTML_INPUT_MAX >> 20);
		fwrite(chunk, 1, n, t->f);
	}
	if (ferror(in))
		return export_fail(err, errsz, "%s: %s", name, strerror(errno));
	fputc('\n', t->f);
	if (text_close(t) < 0)
		return export_fail(err, errsz, _("out of memory"));
	return 0;
}

/* A JSON string of text sockstep made (a call's line, an explanation, a
 * word of the page, maybe translated): printable ASCII and the UTF-8
 * characters escape_text keeps as they are, every other byte as the
 * visible \xNN the terminal shows. */
static void json_string(FILE *out, const char *s)
{
	const unsigned char *p = (const unsigned char *)s, *run = p;

	fputc('"', out);
	while (*p) {
		size_t n = escape_text_char((const char *)p);
		if (n == 0 && *p >= 0x20 && *p < 0x7f && *p != '"' && *p != '\\')
			n = 1;
		if (n > 0) { /* kept as it is: written a run at a time */
			p += n;
			continue;
		}
		fwrite(run, 1, (size_t)(p - run), out);
		if (*p == '"' || *p == '\\')
			fprintf(out, "\\%c", *p);
		else
			fprintf(out, "\\\\x%02x", *p);
		run = ++p;
	}
	fwrite(run, 1, (size_t)(p - run), out);
	fputc('"', out);
}

/* One event as its JSONL object, a call with "line" and "why" added. */
static void event_json(FILE *out, const struct ss_event *ev)
{
	char buf[JSONL_LINE_MAX], line[320];
	int n = jsonl_format(ev, buf, sizeof buf);
	const char *why;

	if (n < 2)
		return;
	buf[n - 2] = '\0'; /* drop "}\n" */
	fputs(buf, out);
	if (ev->kind == SS_EV_CALL || ev->kind == SS_EV_BLOCKED) {
		if (ev->kind == SS_EV_CALL)
			output_call_line(ev, line, sizeof line);
		else
			output_call_text(ev, line, sizeof line);
		fputs(",\"line\":", out);
		json_string(out, line);
		why = explain_call(ev);
		fputs(",\"why\":", out);
		if (why)
			json_string(out, why);
		else
			fputs("null", out);
	}
	fputc('}', out);
}

/* The page's data block is written one event at a time: each made in
 * one reused memory stream, then escaped for the <script> element.
 * escape_script_json maps bytes and the three bytes of U+2028/9, none of
 * which spans two events (they are joined by ASCII), so the block is the
 * same as the whole array escaped at once. */
struct page_events {
	FILE *out;
	struct text one;
	int first;
};

static int page_event(void *ctx, const struct ss_event *ev, long lineno,
		      char *err, size_t errsz)
{
	struct page_events *p = ctx;
	long n;

	(void)lineno;
	if (ev->kind == SS_EV_BEGIN || ev->kind == SS_EV_END)
		return 0; /* internal to the director: not shown */
	if (fseek(p->one.f, 0, SEEK_SET) != 0)
		return export_fail(err, errsz, _("out of memory"));
	fputs(p->first ? "\n" : ",\n", p->one.f);
	p->first = 0;
	event_json(p->one.f, ev);
	n = ftell(p->one.f);
	if (fflush(p->one.f) != 0 || n < 0)
		return export_fail(err, errsz, _("out of memory"));
	/* glibc ends the text at the end of all written, not at the
	 * position: the buffer holds at least n + 1 bytes */
	p->one.buf[n] = '\0';
	escape_script_json(p->out, p->one.buf);
	return 0;
}

static int page_events_open(struct page_events *p, FILE *out)
{
	p->out = out;
	p->first = 1;
	return text_open(&p->one);
}

/* The events the page steps through, {"events":[...]}, escaped for the
 * data block: read from in at start. */
static int write_events(FILE *in, long start, const char *name, FILE *out, char *err,
			size_t errsz)
{
	struct page_events p;
	int rc;

	if (fseek(in, start, SEEK_SET) != 0)
		return export_fail(err, errsz, "%s: %s", name, strerror(errno));
	if (page_events_open(&p, out) < 0)
		return export_fail(err, errsz, _("out of memory"));
	escape_script_json(out, "{\"events\":[");
	rc = tracefile_read(in, name, page_event, &p, err, errsz);
	escape_script_json(out, "\n]}");
	text_free(&p.one);
	return rc;
}

/* What was held in a temporary file, copied to out as it is. */
static int copy_held(FILE *held, FILE *out, char *err, size_t errsz)
{
	char chunk[65536];
	size_t n;

	if (fflush(held) != 0 || ferror(held) || fseek(held, 0, SEEK_SET) != 0)
		return export_fail(err, errsz, _("cannot write the page: %s"),
				   strerror(errno));
	while ((n = fread(chunk, 1, sizeof chunk, held)) > 0)
		fwrite(chunk, 1, n, out);
	if (ferror(held))
		return export_fail(err, errsz, _("cannot write the page: %s"),
				   strerror(errno));
	return 0;
}

/* The script's words in the locale's language, {"key":"..."}, escaped
 * for their data block. */
static int write_words(FILE *out)
{
	struct text t;

	if (text_open(&t) < 0)
		return -1;
	fputc('{', t.f);
	for (const struct export_html_word *w = export_html_words(); w->key; w++) {
		fprintf(t.f, "%s\"%s\":", w == export_html_words() ? "" : ",", w->key);
		json_string(t.f, _(w->msgid));
	}
	fputc('}', t.f);
	if (text_close(&t) < 0) {
		text_free(&t);
		return -1;
	}
	escape_script_json(out, t.buf);
	text_free(&t);
	return 0;
}

static char *joined(const char *const *lines)
{
	struct text t;

	if (text_open(&t) < 0)
		return NULL;
	for (; *lines; lines++)
		fputs(*lines, t.f);
	if (text_close(&t) < 0) {
		free(t.buf);
		return NULL;
	}
	return t.buf;
}

/* The content of the SVG's <style> element, for its CSP hash. */
static int svg_style_hash(char out[SHA256_BASE64_SIZE])
{
	struct text t;

	if (text_open(&t) < 0)
		return -1;
	export_svg_style(t.f);
	if (text_close(&t) < 0) {
		text_free(&t);
		return -1;
	}
	sha256_base64(t.buf, t.len, out);
	text_free(&t);
	return 0;
}

static void write_head(FILE *out, const char *name, const char *css, const char *js,
		       const char *h_svg)
{
	char h_js[SHA256_BASE64_SIZE], h_css[SHA256_BASE64_SIZE];

	sha256_base64(js, strlen(js), h_js);
	sha256_base64(css, strlen(css), h_css);
	/* Nothing may load or run but what this file holds: the one script
	 * and the two style sheets, by hash.  default-src 'none' covers
	 * fetch, images, fonts, frames; a <meta> CSP cannot set
	 * frame-ancestors, which a file needs no more than it can have. */
	fprintf(out, "<!DOCTYPE html>\n<html lang=\"%s\">\n<head>\n<meta charset=\"utf-8\">\n"
		     "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
		     "script-src 'sha256-%s'; style-src 'sha256-%s' 'sha256-%s'; "
		     "base-uri 'none'; form-action 'none'\">\n"
		     "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
		     "<meta name=\"generator\" content=\"sockstep " SOCKSTEP_VERSION "\">\n<title>sockstep: ",
		strcmp(i18n_language(), "zh_CN") == 0 ? "zh-CN" : "en", h_js, h_css, h_svg);
	escape_html(out, name);
	fprintf(out, "</title>\n<style>%s</style>\n</head>\n", css);
}

/* The page's body up to the diagram: markup as it is, each word
 * between translated and escaped. */
static const struct {
	const char *markup, *msgid;
} body_parts[] = {
	{"</span></div>\n<nav class=\"ss-nav\" aria-label=\"", N_("steps")},
	{"\">\n<button id=\"ss-prev\" type=\"button\" title=\"", N_("previous step (p)")},
	{"\">&#8592; ", N_("Prev")},
	{"</button>\n<span id=\"ss-counter\" aria-live=\"polite\">", N_("Step 0 / 0")},
	{"</span>\n<button id=\"ss-next\" type=\"button\" title=\"", N_("next step (Space, n)")},
	{"\">", N_("Next")},
	{" &#8594;</button>\n<a id=\"ss-link\" href=\"#step-0\" title=\"", N_("a link to this step")},
	{"\">", N_("link")},
	{"</a>\n</nav>\n<div class=\"ss-keys\"><kbd>Space</kbd>/<kbd>n</kbd> ", N_("next")},
	{" &#183; <kbd>p</kbd> ", N_("previous")},
	{" &#183; <kbd>Home</kbd>/<kbd>End</kbd></div>\n</header>\n<main>\n<noscript><p class=\"ss-card\">",
	 N_("Stepping needs JavaScript; the sequence diagram below shows the whole session.")},
	{"</p></noscript>\n"
	 "<section class=\"ss-card ss-narr\" aria-live=\"polite\"><span id=\"ss-who\"></span>"
	 "<span id=\"ss-say\"></span><ul id=\"ss-notes\" hidden></ul></section>\n"
	 "<section id=\"ss-quiz\" hidden></section>\n<div class=\"ss-cols\">\n"
	 "<section class=\"ss-card ss-col\" id=\"ss-left\"><h2 id=\"ss-left-who\">server</h2>"
	 "<div class=\"ss-scroll\"><ol id=\"ss-left-calls\"></ol></div></section>\n"
	 "<section class=\"ss-card ss-col\" id=\"ss-right\"><h2 id=\"ss-right-who\">client</h2>"
	 "<div class=\"ss-scroll\"><ol id=\"ss-right-calls\"></ol></div></section>\n</div>\n"
	 "<section class=\"ss-card\"><h2>", N_("Kernel socket table")},
	{"<span id=\"ss-table-when\"></span></h2>\n"
	 "<div class=\"ss-tablebox\"><table class=\"ss-table\"><thead><tr><th>", N_("Local")},
	{"</th><th>", N_("Peer")},
	{"</th><th>", N_("State")},
	{"</th><th class=\"ss-num\">Recv-Q</th><th class=\"ss-num\">Send-Q</th><th>", N_("Timer")},
	{"</th><th>", N_("Owner")},
	{"</th></tr></thead><tbody id=\"ss-table-body\"></tbody></table></div></section>\n"
	 "<section class=\"ss-card\"><h2>", N_("Sequence diagram")},
	{"</h2><div class=\"ss-diagram\">\n", NULL},
};

static void write_body(FILE *out, const char *name)
{
	fputs("<header class=\"ss-bar\">\n<div class=\"ss-brand\">sockstep<span>", out);
	escape_html(out, name);
	for (size_t i = 0; i < sizeof body_parts / sizeof body_parts[0]; i++) {
		fputs(body_parts[i].markup, out);
		if (body_parts[i].msgid)
			escape_html(out, _(body_parts[i].msgid));
	}
}

/* A streamed diagram's pass hands the page its events too (x->tap), so
 * the file is not read a third time: the events go to the page's data
 * block as they come, and the diagram, which the page shows after them,
 * waits in an unnamed temporary file (constant memory; a quarter of the
 * events' size).  The held file, or NULL (not streamed, or no temporary
 * file): then the events are read again. */
static FILE *tap_events(struct exporter *x, struct page_events *p, FILE *out)
{
	FILE *held;

	if (!x->streamed || (held = tmpfile()) == NULL)
		return NULL;
	if (page_events_open(p, out) < 0) {
		fclose(held);
		return NULL;
	}
	x->tap = page_event;
	x->tap_ctx = p;
	return held;
}

/* The data block, and the diagram into held (or, NULL, out). */
static int write_events_and_diagram(struct exporter *x, FILE *in, const char *name,
				    FILE *held, FILE *out, char *err, size_t errsz)
{
	int rc;

	fputs("<script type=\"application/json\" id=\"ss-data\">", out);
	x->inline_svg = 1;
	if (held) {
		escape_script_json(out, "{\"events\":[");
		rc = export_write(x, in, held, err, errsz);
		escape_script_json(out, "\n]}");
	} else {
		rc = write_events(in, x->start, name, out, err, errsz);
	}
	fputs("</script>\n", out);
	write_body(out, name);
	if (rc == 0)
		rc = held ? copy_held(held, out, err, errsz) : export_write(x, in, out, err, errsz);
	return rc;
}

/* The page's tail: the footer, the words, the script. */
static int write_tail(const char *js, FILE *out, char *err, size_t errsz)
{
	char footer[512];

	snprintf(footer, sizeof footer,
		 _("Recorded with sockstep %s: every number on this page is what the kernel reported."),
		 SOCKSTEP_VERSION);
	fputs("</div></section>\n</main>\n<footer>", out);
	escape_html(out, footer);
	fputs("</footer>\n<script type=\"application/json\" id=\"ss-words\">", out);
	if (write_words(out) < 0)
		return export_fail(err, errsz, "%s", _("out of memory"));
	fprintf(out, "</script>\n<script>%s</script>\n</body>\n</html>\n", js);
	return 0;
}

/* The page: the events' data block first (the script, last, reads it),
 * then the markup around the diagram x (prepared from in). */
static int write_page(struct exporter *x, FILE *in, const char *name, FILE *out,
		      char *err, size_t errsz)
{
	char *css = joined(export_html_style()), *js = joined(export_html_script());
	char h_svg[SHA256_BASE64_SIZE];
	struct page_events tapped = {0};
	FILE *held = NULL;
	int rc = 0;

	if (css == NULL || js == NULL || svg_style_hash(h_svg) < 0)
		rc = export_fail(err, errsz, _("out of memory"));
	if (rc == 0) {
		write_head(out, name, css, js, h_svg);
		fputs("<body>\n", out);
		held = tap_events(x, &tapped, out);
		rc = write_events_and_diagram(x, in, name, held, out, err, errsz);
	}
	if (rc == 0)
		rc = write_tail(js, out, err, errsz);
	if (held) {
		fclose(held);
		text_free(&tapped.one);
		x->tap = NULL;
	}
	free(css);
	free(js);
	return rc;
}

int export_html(FILE *in, const char *name, const struct filter *f, FILE *out, char *err,
		size_t errsz)
{
	struct text trace = {0};
	struct exporter *x = NULL;
	FILE *copy = NULL;
	char clean[256];
	int rc = 0;

	escape_text(clean, sizeof clean, name ? name : "trace"); /* a Chinese title stays Chinese */
	/* a pipe is read whole (bounded) to be read again */
	if (ftell(in) < 0) {
		rc = slurp(in, clean, &trace, err, errsz);
		copy = rc == 0 ? fmemopen(trace.buf, trace.len, "r") : NULL;
		if (rc == 0 && copy == NULL)
			rc = export_fail(err, errsz, _("out of memory"));
		in = copy;
	}
	x = rc == 0 ? export_new(clean, EXPORT_SVG, f) : NULL;
	if (rc == 0 && x == NULL)
		rc = export_fail(err, errsz, _("out of memory"));
	/* the whole trace is checked before the first byte is written */
	if (rc == 0)
		rc = export_prepare(x, in, err, errsz);
	if (rc == 0)
		rc = write_page(x, in, clean, out, err, errsz);
	if (rc == 0 && (fflush(out) != 0 || ferror(out)))
		rc = export_fail(err, errsz, _("cannot write the page: %s"), strerror(errno));
	export_free(x);
	if (copy)
		fclose(copy);
	text_free(&trace);
	return rc;
}
