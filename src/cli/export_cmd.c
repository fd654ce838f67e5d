/* export_cmd: `sockstep export`'s command line; the drawing is
 * src/sinks/export.c (export.h). */
#include "sockstep/export_cmd.h"

#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sockstep/escape.h"
#include "sockstep/export.h"
#include "sockstep/files.h"
#include "sockstep/export_html.h"
#include "sockstep/filter.h"
#include "sockstep/i18n.h"

static void export_cmd_usage(FILE *out)
{
	fputs(_("Usage: sockstep export [OPTION]... TRACE.jsonl\n"
		"Draw a recorded run (sockstep --record, or --format jsonl) as a sequence\n"
		"diagram: calls as notes on their actor's lifeline, packets as arrows.\n"
		"\n"
		"  -f, --format FMT    mermaid (default), plantuml, svg, or html (a\n"
		"                      self-contained page that steps through the session);\n"
		"                      -o FILE.svg, .puml, .mmd or .html picks it too\n"
		"      --filter EXPR   draw only the events EXPR matches (repeatable, AND-ed;\n"
		"                      html: the diagram only, the steps show everything):\n"
		"                      actor=client  call=connect,accept  errno[=ECONNREFUSED]\n"
		"                      kind=packet  flags=S  flags~F  port=9001  fd=4\n"
		"  -o, --output FILE   write to FILE instead of standard output\n"
		"  -h, --help          show this help and exit\n"
		"\n"
		"TRACE.jsonl may be - for standard input.\n"),
	      out);
}

static int export_cmd_usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int export_cmd_usage_error(const char *fmt, ...)
{
	char msg[512], shown[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	/* it quotes what was typed: printable only (the message itself may
	 * be Chinese: escape_text keeps it) */
	escape_text(shown, sizeof shown, msg);
	fprintf(stderr, "sockstep: export: %s\n", shown);
	return 2;
}

static int export_cmd_format_from_path(const char *path)
{
	const char *dot = path ? strrchr(path, '.') : NULL;

	if (dot == NULL)
		return -1;
	if (strcmp(dot, ".svg") == 0)
		return EXPORT_SVG;
	if (strcmp(dot, ".puml") == 0 || strcmp(dot, ".plantuml") == 0)
		return EXPORT_PLANTUML;
	if (strcmp(dot, ".mmd") == 0 || strcmp(dot, ".mermaid") == 0)
		return EXPORT_MERMAID;
	if (strcmp(dot, ".html") == 0 || strcmp(dot, ".htm") == 0)
		return EXPORT_HTML;
	return -1;
}

/* After the drawing: close the output and say what failed.  A failed
 * export leaves no half-written diagram to be mistaken for one, but only
 * a file is removed: as root, -o /dev/full must not unlink the device.
 * Returns the exit status. */
static int export_cmd_finish(FILE *out, const char *output, int out_regular,
			     int rc, char *err, size_t errsz)
{
	if (output) {
		if (fclose(out) != 0 && rc == 0) {
			char shown[256];
			escape_string(shown, sizeof shown, output);
			snprintf(err, errsz, _("cannot write %s: %s"), shown, strerror(errno));
			rc = -1;
		}
		if (rc < 0 && out_regular)
			unlink(output);
	} else if (rc == 0 && (fflush(stdout) != 0 || ferror(stdout))) {
		/* `| head -1` went away: quiet, as for sockstep's trace */
		if (errno == EPIPE)
			return 141;
		snprintf(err, errsz, _("cannot write the output: %s"), strerror(errno));
		rc = -1;
	}
	if (rc < 0) {
		fprintf(stderr, "sockstep: export: %s\n", err);
		return 1;
	}
	return 0;
}

/* Draw path ("-": stdin) into output (NULL: stdout).  The input must be a
 * regular file (a FIFO would hang, /dev/zero never end) and the output
 * not the input (opening it would truncate it).  The exit status. */
static int export_cmd_run(const char *path, const char *output, int fmt,
			  const struct filter *f)
{
	const char *name = strcmp(path, "-") == 0 ? "stdin" : path;
	char err[512];
	struct stat st;
	FILE *in, *out;
	int rc;

	in = strcmp(path, "-") == 0 ? stdin : files_read(path, err, sizeof err);
	if (in == NULL) {
		fprintf(stderr, "sockstep: export: %s\n", err);
		return 1;
	}
	out = output ? files_write(output, in == stdin ? "/dev/stdin" : path, err,
				   sizeof err)
		     : stdout;
	if (out == NULL) {
		fprintf(stderr, "sockstep: export: %s\n", err);
		if (in != stdin)
			fclose(in);
		return 1;
	}
	if (fmt == EXPORT_HTML)
		rc = export_html(in, name, f, out, err, sizeof err);
	else
		rc = export_trace(in, name, (enum export_format)fmt, f, out, err, sizeof err);
	if (in != stdin)
		fclose(in);
	return export_cmd_finish(out, output,
				 output && fstat(fileno(out), &st) == 0 && S_ISREG(st.st_mode),
				 rc, err, sizeof err);
}

int export_cmd_main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{"format", required_argument, NULL, 'f'},
		{"filter", required_argument, NULL, 1},
		{"output", required_argument, NULL, 'o'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0}};
	struct filter f;
	int fmt = -1, c;
	const char *output = NULL, *path;
	char err[512];

	filter_init(&f);
	opterr = 0;
	optind = 0; /* GNU getopt: start over, main may have used it */
	while ((c = getopt_long(argc, argv, "f:o:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'f':
			fmt = export_format_from_name(optarg);
			if (fmt < 0)
				return export_cmd_usage_error(_("invalid format '%s': expected mermaid, plantuml, svg or html"),
							  optarg);
			break;
		case 1:
			if (filter_parse(&f, optarg, err, sizeof err) < 0)
				return export_cmd_usage_error("%s", err);
			break;
		case 'o':
			output = optarg;
			break;
		case 'h':
			export_cmd_usage(stdout);
			return 0;
		default:
			if (optopt)
				return export_cmd_usage_error(_("invalid option -- '%c' (see 'sockstep export --help')"),
							  optopt);
			return export_cmd_usage_error(_("unrecognized option '%s' (see 'sockstep export --help')"),
						  argv[optind - 1]);
		}
	}
	if (optind >= argc)
		return export_cmd_usage_error(_("needs a trace file (sockstep export [--format F] TRACE.jsonl)"));
	if (optind + 1 < argc)
		return export_cmd_usage_error(_("unexpected argument '%s'"), argv[optind + 1]);
	path = argv[optind];
	if (fmt < 0)
		fmt = export_cmd_format_from_path(output);
	if (fmt < 0)
		fmt = EXPORT_MERMAID;

	return export_cmd_run(path, output, fmt, &f);
}
