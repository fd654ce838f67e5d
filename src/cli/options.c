/* options: the command line of sockstep. */
#include "sockstep/options.h"

#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <net/if.h>
#include <netdb.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sockstep/escape.h"
#include "sockstep/files.h"
#include "sockstep/i18n.h"

/* In blocks a translator can take whole; the commands, options and
 * their values stay as they are typed. */
void options_usage(FILE *out)
{
	fputs(_("Usage: sockstep [OPTION]...                 the tutorial's exchange, step by step, in the UI\n"
		"  or:  sockstep server [OPTION]...          trace the tutorial's server for any client (nc, Python)\n"
		"  or:  sockstep client [OPTION]...          trace the tutorial's client against any server\n"
		"  or:  sockstep lessons                     list the course\n"
		"  or:  sockstep N | NAME | FILE.md          run a lesson\n"
		"  or:  sockstep replay FILE.jsonl           step through a recorded session\n"
		"  or:  sockstep trace [OPTION]... -- COMMAND [ARG]...   step through a program's socket calls\n"
		"  or:  sockstep trace [OPTION]... --server 'LINE' --client 'LINE'   two programs side by side\n"
		"  or:  sockstep export [--format mermaid|plantuml|svg|html] FILE.jsonl   a diagram, or a page\n"), out);
	fputc('\n', out);
	fputs(_("Every step is a real socket call; what is shown comes from the kernel.\n"), out);
	fputc('\n', out);
	fputs(_("  -H, --headless        no UI: print the trace and exit\n"
		"  -f, --format FMT      headless output: text (default) or jsonl\n"
		"      --host HOST       address to bind or connect to (default 127.0.0.1)\n"
		"  -p, --port N          port, 0 lets the kernel choose (default 9001)\n"
		"      --pause SECONDS   the client's pause before sending (default 2)\n"
		"  -c, --count K         server mode: clients to serve (default 1)\n"
		"      --send MSG        client mode: what to send (default 1)\n"
		"      --packets         capture packets (needs CAP_NET_RAW)\n"
		"      --no-packets      do not capture packets\n"
		"      --no-table        no kernel socket table\n"
		"      --record FILE     write the session's JSONL trace to FILE\n"
		"      --pcap FILE       write the captured packets to FILE (tcpdump -r, Wireshark)\n"
		"      --host-net        stay on the host network (to watch with ss or tcpdump);\n"
		"                        by default the demo and lessons run in a private one\n"
		"      --filter EXPR     headless: print only matching events (actor=client,\n"
		"                        call=connect, errno, kind=packet, flags=S, port=N, fd=N)\n"
		"      --step-limit S    give up when a step cannot begin for S seconds\n"
		"      --no-trace        make the calls without tracing them (benchmark baseline)\n"
		"      --no-quiz         do not ask the lesson's predict-then-step questions\n"
		"      --present         UI: presenter layout (large ports) for a projector\n"
		"      --answer VALUE    headless: answer the next question (repeatable)\n"
		"      --answers FILE    headless: answers, one a line\n"
		"      --server LINE     trace: the server's command line (run by /bin/sh -c)\n"
		"      --client LINE     trace: the client's command line, started once the\n"
		"                        server listens\n"
		"  -h, --help            show this help and exit\n"
		"  -V, --version         show the version and exit\n"), out);
	fputc('\n', out);
	fputs(_("Exit status: 0 all steps ran as expected, 1 a step failed or an\n"
		"expectation did not hold, 2 bad usage, 130 interrupted.\n"
		"Trace format: docs/trace-format.md.  Lessons: lessons/README.md.\n"), out);
}

static enum options_result usage_error(struct options *o, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static enum options_result usage_error(struct options *o, const char *fmt, ...)
{
	va_list ap;
	char msg[sizeof o->error];

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	/* the message quotes what the user typed: never echo control bytes
	 * (the message itself may be Chinese: escape_text keeps it) */
	escape_text(o->error, sizeof o->error, msg);
	return OPTIONS_USAGE;
}

static int parse_port(const char *s, char *out, size_t outsz)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (*s == '\0' || *end || errno || v < 0 || v > 65535)
		return -1;
	snprintf(out, outsz, "%ld", v);
	return 0;
}

/* Resolve the host once, up front, so a typo is a usage error and not a
 * failed step; the numeric address is what every step then shows. */
int options_resolve_host(struct options *o)
{
	struct addrinfo hints, *res = NULL, *ai;
	char num[INET6_ADDRSTRLEN];
	int rc;

	memset(&hints, 0, sizeof hints);
	hints.ai_socktype = SOCK_STREAM;
	rc = getaddrinfo(o->host_arg, NULL, &hints, &res);
	if (rc != 0 || res == NULL) {
		char shown[128];
		escape_text(shown, sizeof shown, o->host_arg);
		snprintf(o->error, sizeof o->error, _("cannot resolve host '%s': %s"),
			 shown, gai_strerror(rc));
		return -1;
	}
	ai = res;
	for (struct addrinfo *a = res; a; a = a->ai_next)
		if (a->ai_family == AF_INET) {
			ai = a;
			break;
		}
	if (ai->ai_family == AF_INET6) {
		const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)ai->ai_addr;
		char scope[IF_NAMESIZE + 1] = "";
		inet_ntop(AF_INET6, &in6->sin6_addr, num, sizeof num);
		/* fe80::1%lo: a link-local address means nothing without
		 * its interface; keep it as addr.h reads it back */
		if (in6->sin6_scope_id &&
		    if_indextoname(in6->sin6_scope_id, scope + 1) == NULL)
			snprintf(scope + 1, sizeof scope - 1, "%u", in6->sin6_scope_id);
		if (in6->sin6_scope_id)
			scope[0] = '%';
		snprintf(o->family, sizeof o->family, "AF_INET6");
		snprintf(o->host, sizeof o->host, "%s%s", num, scope);
	} else {
		inet_ntop(AF_INET, &((struct sockaddr_in *)ai->ai_addr)->sin_addr,
			  num, sizeof num);
		snprintf(o->family, sizeof o->family, "AF_INET");
		snprintf(o->host, sizeof o->host, "%s", num);
	}
	freeaddrinfo(res);
	return 0;
}

/* --send goes inside a quoted string of the script: escape it. */
static int quote_send(const char *in, char *out, size_t outsz)
{
	size_t n = 0;

	for (; *in; in++) {
		unsigned char c = (unsigned char)*in;
		if (n + 5 >= outsz)
			return -1;
		if (c == '"' || c == '\\') {
			out[n++] = '\\';
			out[n++] = (char)c;
		} else if (c < 0x20 || c >= 0x7f) {
			n += (size_t)snprintf(out + n, outsz - n, "\\x%02x", c);
		} else {
			out[n++] = (char)c;
		}
	}
	out[n] = '\0';
	return 0;
}

/* One answer a line; blank lines and # comments are skipped. */
static int read_answers(struct options *o, const char *path)
{
	char why[400];
	char line[256];
	/* a regular file: a FIFO would hang here, /dev/zero never end */
	FILE *f = files_read(path, why, sizeof why);

	if (f == NULL) {
		snprintf(o->error, sizeof o->error, "--answers: %s", why);
		return -1;
	}
	while (fgets(line, sizeof line, f)) {
		line[strcspn(line, "\r\n")] = '\0';
		if (line[0] == '\0' || line[0] == '#')
			continue;
		if (o->nanswers == 32 || strlen(line) >= sizeof o->answers[0]) {
			char shown[200];
			escape_string(shown, sizeof shown, path);
			snprintf(o->error, sizeof o->error,
				 _("%s: too many or too long answers (32 of at most 63 bytes)"),
				 shown);
			fclose(f);
			return -1;
		}
		snprintf(o->answers[o->nanswers++], sizeof o->answers[0], "%s", line);
	}
	fclose(f);
	return 0;
}

/* sockstep trace takes one command, or a server and a client line. */
static enum options_result check_trace(struct options *o)
{
	int lines = (o->trace_server != NULL) + (o->trace_client != NULL);

	if (o->mode != MODE_TRACE) {
		if (lines)
			return usage_error(o, _("--server and --client belong to 'sockstep trace'"));
		return OPTIONS_OK;
	}
	if (lines == 1)
		return usage_error(o, _("trace: %s without %s: give both command lines, or one COMMAND after --"),
				   o->trace_server ? "--server" : "--client",
				   o->trace_server ? "--client" : "--server");
	if (lines == 2 && o->trace_argc > 0)
		return usage_error(o, _("trace: give a COMMAND or --server and --client, not both"));
	if (lines == 0 && o->trace_argc == 0)
		return usage_error(o, _("trace: missing command: sockstep trace -- COMMAND [ARG]..., or --server 'LINE' --client 'LINE'"));
	if (o->trace_argc == 0)
		o->trace_argv = NULL;
	return OPTIONS_OK;
}

/* getopt_long's codes for the options with no short letter. */
enum {
	OPT_HOST = 1, OPT_PAUSE, OPT_SEND, OPT_PACKETS, OPT_NO_PACKETS, OPT_NO_TABLE,
	OPT_RECORD, OPT_STEP_LIMIT, OPT_NO_TRACE, OPT_NO_QUIZ, OPT_ANSWER, OPT_ANSWERS,
	OPT_PRESENT, OPT_PCAP, OPT_HOST_NET, OPT_SERVER, OPT_CLIENT, OPT_FILTER,
	OPT_GO_ON = -2 /* take_value, take_command: taken, go on */
};

static const struct option longopts[] = {
	{"headless", no_argument, NULL, 'H'},
	{"format", required_argument, NULL, 'f'},
	{"host", required_argument, NULL, OPT_HOST},
	{"port", required_argument, NULL, 'p'},
	{"pause", required_argument, NULL, OPT_PAUSE},
	{"count", required_argument, NULL, 'c'},
	{"send", required_argument, NULL, OPT_SEND},
	{"packets", no_argument, NULL, OPT_PACKETS},
	{"no-packets", no_argument, NULL, OPT_NO_PACKETS},
	{"no-table", no_argument, NULL, OPT_NO_TABLE},
	{"record", required_argument, NULL, OPT_RECORD},
	{"step-limit", required_argument, NULL, OPT_STEP_LIMIT},
	{"no-trace", no_argument, NULL, OPT_NO_TRACE},
	{"filter", required_argument, NULL, OPT_FILTER},
	{"no-quiz", no_argument, NULL, OPT_NO_QUIZ},
	{"present", no_argument, NULL, OPT_PRESENT},
	{"pcap", required_argument, NULL, OPT_PCAP},
	{"host-net", no_argument, NULL, OPT_HOST_NET},
	{"answer", required_argument, NULL, OPT_ANSWER},
	{"answers", required_argument, NULL, OPT_ANSWERS},
	{"server", required_argument, NULL, OPT_SERVER},
	{"client", required_argument, NULL, OPT_CLIENT},
	{"help", no_argument, NULL, 'h'},
	{"version", no_argument, NULL, 'V'},
	{NULL, 0, NULL, 0}};

static void options_defaults(struct options *o)
{
	memset(o, 0, sizeof *o);
	o->packets = -1;
	o->table = 1;
	o->count = 1;
	snprintf(o->port, sizeof o->port, "9001");
	snprintf(o->pause, sizeof o->pause, "2");
	snprintf(o->send, sizeof o->send, "1");
	snprintf(o->host_arg, sizeof o->host_arg, "127.0.0.1");
	snprintf(o->family, sizeof o->family, "AF_INET");
	snprintf(o->host, sizeof o->host, "127.0.0.1");
}

/* An option that only switches something on or off: 1 when c was one. */
static int take_switch(struct options *o, int c)
{
	switch (c) {
	case 'H': o->headless = 1; break;
	case OPT_PACKETS: o->packets = 1; break;
	case OPT_NO_PACKETS: o->packets = 0; break;
	case OPT_NO_TABLE: o->table = 0; break;
	case OPT_NO_TRACE: o->no_trace = 1; break;
	case OPT_NO_QUIZ: o->no_quiz = 1; break;
	case OPT_PRESENT: o->present = 1; break;
	case OPT_HOST_NET: o->host_net = 1; break;
	default: return 0;
	}
	return 1;
}

/* A number in [lo, hi] written alone in arg; 0, or -1. */
static int number_in(const char *arg, double lo, double hi, double *out)
{
	char *end;

	*out = strtod(arg, &end);
	return *arg == '\0' || *end || !(*out >= lo && *out <= hi) ? -1 : 0;
}

/* An option with a number for its value. */
static int take_number(struct options *o, int c, const char *arg)
{
	double v;

	switch (c) {
	case OPT_PAUSE:
		if (number_in(arg, 0, 60, &v) < 0)
			return usage_error(o, _("invalid pause '%s': expected seconds from 0 to 60"), arg);
		snprintf(o->pause, sizeof o->pause, "%g", v);
		break;
	case 'c': {
		char *end;
		long k = strtol(arg, &end, 10);
		if (*arg == '\0' || *end || k < 1 || k > 100000)
			return usage_error(o, _("invalid count '%s': expected a number from 1 to 100000"), arg);
		o->count = (int)k;
		break;
	}
	case OPT_STEP_LIMIT:
		if (number_in(arg, 0, 86400, &v) < 0 || v <= 0)
			return usage_error(o, _("invalid step limit '%s': expected seconds"), arg);
		o->step_limit = v;
		break;
	}
	return OPT_GO_ON;
}

/* An option with a value; OPT_GO_ON, or what parsing ends with. */
static int take_value(struct options *o, int c, const char *arg)
{
	char ferr[256];

	switch (c) {
	case 'f':
		if (strcmp(arg, "jsonl") == 0)
			o->jsonl = 1;
		else if (strcmp(arg, "text") != 0)
			return usage_error(o, _("invalid format '%s': expected text or jsonl"), arg);
		break;
	case OPT_HOST:
		if (strlen(arg) >= sizeof o->host_arg)
			return usage_error(o, "%s", _("host name too long"));
		snprintf(o->host_arg, sizeof o->host_arg, "%s", arg);
		break;
	case 'p':
		if (parse_port(arg, o->port, sizeof o->port) < 0)
			return usage_error(o, _("invalid port '%s': expected a number from 0 to 65535"), arg);
		break;
	case OPT_PAUSE:
	case 'c':
	case OPT_STEP_LIMIT:
		return take_number(o, c, arg);
	case OPT_SEND:
		if (strlen(arg) > 100 || quote_send(arg, o->send, sizeof o->send) < 0)
			return usage_error(o, _("message too long: '%.40s...' (at most 100 bytes)"), arg);
		break;
	case OPT_RECORD: o->record = arg; break;
	case OPT_PCAP: o->pcap = arg; break;
	case OPT_FILTER:
		if (filter_parse(&o->filter, arg, ferr, sizeof ferr) < 0)
			return usage_error(o, "%s", ferr);
		break;
	case OPT_ANSWER:
		if (o->nanswers == 32 || strlen(arg) >= sizeof o->answers[0])
			return usage_error(o, "%s", _("too many or too long answers (32 of at most 63 bytes)"));
		snprintf(o->answers[o->nanswers++], sizeof o->answers[0], "%s", arg);
		break;
	case OPT_ANSWERS:
		if (read_answers(o, arg) < 0)
			return OPTIONS_USAGE;
		break;
	case OPT_SERVER:
	case OPT_CLIENT:
		if (arg[strspn(arg, " \t")] == '\0')
			return usage_error(o, _("--%s needs a command line"), c == OPT_SERVER ? "server" : "client");
		*(c == OPT_SERVER ? &o->trace_server : &o->trace_client) = arg;
		break;
	}
	return OPT_GO_ON;
}

/* What getopt_long could not take: a missing argument or an unknown option. */
static enum options_result bad_option(struct options *o, int c, char **argv)
{
	char opt[64];

	/* usage_error escapes the message: once */
	snprintf(opt, sizeof opt, "%s", argv[optind - 1]);
	if (c == ':')
		return usage_error(o, _("option '%s' requires an argument"), opt);
	if (optopt)
		return usage_error(o, _("invalid option -- '%c'"),
				   optopt > 0x20 && optopt < 0x7f ? optopt : '?');
	return usage_error(o, _("unrecognized option '%s'"), opt);
}

/* The command word after the options (server, client, lessons, replay
 * FILE, trace ..., or a lesson). */
static int take_command(struct options *o, int argc, char **argv)
{
	const char *cmd;

	if (optind >= argc)
		return OPT_GO_ON;
	cmd = argv[optind++];
	if (strcmp(cmd, "server") == 0)
		o->mode = MODE_SERVER;
	else if (strcmp(cmd, "client") == 0)
		o->mode = MODE_CLIENT;
	else if (strcmp(cmd, "lessons") == 0)
		o->mode = MODE_LESSONS;
	else if (strcmp(cmd, "replay") == 0) {
		o->mode = MODE_REPLAY;
		if (optind >= argc)
			return usage_error(o, _("%s needs a trace file"), "replay");
		o->what = argv[optind++];
	} else if (strcmp(cmd, "trace") == 0) {
		o->mode = MODE_TRACE;
		o->trace_argv = argv + optind;
		o->trace_argc = argc - optind;
		optind = argc;
	} else {
		o->mode = MODE_LESSON;
		o->what = cmd;
	}
	return OPT_GO_ON;
}

enum options_result options_parse(int argc, char **argv, struct options *o)
{
	int c, r;

	options_defaults(o);
	opterr = 0;
	optind = 0; /* glibc: start afresh (the parser may run more than once) */
	while ((c = getopt_long(argc, argv, ":Hf:p:c:hV", longopts, NULL)) != -1) {
		if (c == 'h')
			return OPTIONS_HELP;
		if (c == 'V')
			return OPTIONS_VERSION;
		if (c == ':' || c == '?')
			return bad_option(o, c, argv);
		if (take_switch(o, c))
			continue;
		if ((r = take_value(o, c, optarg)) != OPT_GO_ON)
			return (enum options_result)r;
	}
	if ((r = take_command(o, argc, argv)) != OPT_GO_ON)
		return (enum options_result)r;
	if (optind < argc)
		return usage_error(o, _("unexpected argument '%s'"), argv[optind]);
	return check_trace(o);
}

