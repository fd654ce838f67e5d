/* export_text: the items of an export as Mermaid and PlantUML text
 * diagrams (rendered by repository pages and note tools), each label
 * escaped for its syntax. */
#include "sockstep/export_model.h"

#include <string.h>

#include "sockstep/escape.h"

/* ---- Mermaid ------------------------------------------------------------ */

/* Mermaid reads ; and # as syntax, <...> as HTML, and a few more in
 * places; its entity codes (#59;) are decoded only when drawing, so every
 * character that is not plainly text is written as one.  A UTF-8
 * character escape_text keeps (a Chinese word) is plainly text: Mermaid
 * reads UTF-8. */
static void mermaid_text(FILE *out, const char *s)
{
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		size_t n = escape_text_char(s);
		if (n > 0) {
			fwrite(s, 1, n, out);
			s += n - 1;
		} else if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		    strchr(" .,:()/_=+?!@$", c) != NULL)
			fputc(c, out);
		else
			fprintf(out, "#%d;", c);
	}
}

static void mermaid_label(FILE *out, const struct item *it)
{
	mermaid_text(out, it->line1);
	if (it->line2[0]) {
		fputs("<br/>", out);
		mermaid_text(out, it->line2);
	}
}

static void mermaid_head(struct exporter *x, FILE *out)
{
	fputs("sequenceDiagram\n    title sockstep: ", out);
	mermaid_text(out, x->name);
	fputc('\n', out);
	for (int p = 0; p < x->nlines; p++) {
		fprintf(out, "    participant A%d as ", x->order[p]);
		mermaid_text(out, x->actors[x->order[p]].name);
		fputc('\n', out);
	}
}

static void mermaid_item(struct exporter *x, const struct item *it, FILE *out)
{
	(void)x;
	if (it->kind == IT_PACKET) {
		fprintf(out, "    A%d%s>>A%d: ", it->from, it->pc == PC_ACK ? "--" : "-", it->to);
	} else {
		if (it->error)
			fputs("    rect rgb(255, 221, 221)\n    ", out);
		fprintf(out, "    Note over A%d: ", it->from);
	}
	mermaid_label(out, it);
	fputc('\n', out);
	if (it->kind != IT_PACKET && it->error)
		fputs("    end\n", out);
}

static void mermaid_tail(struct exporter *x, FILE *out)
{
	(void)x;
	(void)out;
}

const struct export_writer *export_mermaid_writer(void)
{
	static const struct export_writer w = {mermaid_head, mermaid_item, mermaid_tail};

	return &w;
}

/* ---- PlantUML ----------------------------------------------------------- */

/* PlantUML reads creole markup (**, //, --, __, ""), <tags>, [[links]],
 * and \n in labels.  Numeric entities (&#42;) are decoded after markup
 * but backslash cannot be one (PlantUML 1.2020 throws on &#92;), so a
 * backslash is doubled instead.  PlantUML reads UTF-8: a character
 * escape_text keeps is written as it is. */
static void plantuml_text(FILE *out, const char *s)
{
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		size_t n = escape_text_char(s);
		if (n > 0) {
			fwrite(s, 1, n, out);
			s += n - 1;
		} else if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		    strchr(" .,:()?+$", c) != NULL)
			fputc(c, out);
		else if (c == '\\')
			fputs("\\\\", out);
		else
			fprintf(out, "&#%d;", c);
	}
}

static void plantuml_label(FILE *out, const struct item *it)
{
	plantuml_text(out, it->line1);
	if (it->line2[0]) {
		fputs("\\n", out);
		plantuml_text(out, it->line2);
	}
}

static void plantuml_head(struct exporter *x, FILE *out)
{
	fputs("@startuml\ntitle sockstep: ", out);
	plantuml_text(out, x->name);
	fputs("\nskinparam defaultFontName monospace\n", out);
	for (int p = 0; p < x->nlines; p++) {
		fputs("participant \"", out);
		plantuml_text(out, x->actors[x->order[p]].name);
		fprintf(out, "\" as A%d\n", x->order[p]);
	}
}

static void plantuml_item(struct exporter *x, const struct item *it, FILE *out)
{
	(void)x;
	if (it->kind == IT_PACKET)
		fprintf(out, "A%d %s> A%d : ", it->from, it->pc == PC_ACK ? "--" : "-", it->to);
	else
		fprintf(out, "note over A%d%s : ", it->from,
			it->error ? " #FFDDDD" : it->kind == IT_BLOCKED ? " #EEEEEE" : "");
	plantuml_label(out, it);
	fputc('\n', out);
}

static void plantuml_tail(struct exporter *x, FILE *out)
{
	(void)x;
	fputs("@enduml\n", out);
}

const struct export_writer *export_plantuml_writer(void)
{
	static const struct export_writer w = {plantuml_head, plantuml_item, plantuml_tail};

	return &w;
}
