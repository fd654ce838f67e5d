/* export: a recorded classic exchange (the binary's own trace, with
 * packets) drawn as Mermaid, PlantUML and SVG; and hostile text from a
 * trace never reaching any of them as syntax. */
#include <check.h>
#include <stdio.h>
#include <locale.h>
#include <stdlib.h>
#include <string.h>

#include "sockstep/export.h"

/* `sockstep --headless --format jsonl --port 0 --pause 0 --packets`, run as
 * root; socket-table rows and most narration left out. */
static const char *const classic_lines[] = {
	"{\"t\":0.009899,\"kind\":\"step\",\"actor\":\"server\",\"step\":1,\"index\":1,\"count\":15,\"text\":\"The server asks the kernel for a TCP socket; it gets a file descriptor, with no address yet.\"}\n",
	"{\"t\":0.009986,\"kind\":\"call\",\"actor\":\"server\",\"step\":1,\"call\":\"socket\",\"sock\":null,\"newsock\":\"s\",\"args\":\"AF_INET, SOCK_STREAM\",\"fd\":null,\"ret\":3,\"errno\":null,\"error\":null,\"local\":\"0.0.0.0:0\",\"peer\":null,\"state\":\"CLOSE\",\"queue\":null,\"backlog\":null,\"bytes\":null,\"unread\":null,\"trunc\":false,\"data\":null,\"inode\":16236,\"family\":\"AF_INET\",\"type\":\"SOCK_STREAM\"}\n",
	"{\"t\":0.010022,\"kind\":\"step\",\"actor\":\"server\",\"step\":2,\"index\":2,\"count\":15,\"text\":\"bind() gives the socket its local address and port: the one clients will dial.\"}\n",
	"{\"t\":0.010065,\"kind\":\"call\",\"actor\":\"server\",\"step\":2,\"call\":\"bind\",\"sock\":\"s\",\"newsock\":null,\"args\":\"127.0.0.1:0\",\"fd\":3,\"ret\":0,\"errno\":null,\"error\":null,\"local\":\"127.0.0.1:41665\",\"peer\":null,\"state\":\"CLOSE\",\"queue\":null,\"backlog\":null,\"bytes\":null,\"unread\":null,\"trunc\":false,\"data\":null,\"inode\":16236,\"family\":\"AF_INET\",\"type\":\"SOCK_STREAM\"}\n",
	"{\"t\":0.010573,\"kind\":\"socket\",\"actor\":\"kernel\",\"step\":2,\"local\":\"127.0.0.1:41665\",\"peer\":\"0.0.0.0:0\",\"state\":\"CLOSE\",\"recv_q\":0,\"send_q\":0,\"timer\":null,\"timer_ms\":null,\"inode\":16236,\"owner\":{\"actor\":\"server\",\"fd\":3},\"snapshot\":1,\"rows\":1}\n",
	"{\"t\":0.010612,\"kind\":\"call\",\"actor\":\"server\",\"step\":3,\"call\":\"listen\",\"sock\":\"s\",\"newsock\":null,\"args\":\"backlog=5\",\"fd\":3,\"ret\":0,\"errno\":null,\"error\":null,\"local\":\"127.0.0.1:41665\",\"peer\":null,\"state\":\"LISTEN\",\"queue\":0,\"backlog\":5,\"bytes\":null,\"unread\":null,\"trunc\":false,\"data\":null,\"inode\":16236,\"family\":\"AF_INET\",\"type\":\"SOCK_STREAM\"}\n",
	"{\"t\":0.018177,\"kind\":\"blocked\",\"actor\":\"server\",\"step\":4,\"call\":\"accept\",\"sock\":\"s\",\"newsock\":\"c\",\"args\":null,\"fd\":3,\"ret\":null,\"errno\":null,\"error\":null,\"local\":null,\"peer\":null,\"state\":null,\"queue\":null,\"backlog\":null,\"bytes\":null,\"unread\":null,\"trunc\":false,\"data\":null,\"inode\":null,\"family\":null,\"type\":null}\n",
	"{\"t\":0.018237,\"kind\":\"call\",\"actor\":\"client\",\"step\":5,\"call\":\"socket\",\"sock\":null,\"newsock\":\"k\",\"args\":\"AF_INET, SOCK_STREAM\",\"fd\":null,\"ret\":3,\"errno\":null,\"error\":null,\"local\":\"0.0.0.0:0\",\"peer\":null,\"state\":\"CLOSE\",\"queue\":null,\"backlog\":null,\"bytes\":null,\"unread\":null,\"trunc\":false,\"data\":null,\"inode\":16238,\"family\":\"AF_INET\",\"type\":\"SOCK_STREAM\"}\n",
	"{\"t\":0.018656,\"kind\":\"packet\",\"actor\":\"kernel\",\"step\":null,\"src\":\"127.0.0.1:49556\",\"dst\":\"127.0.0.1:41665\",\"flags\":\"S\",\"seq\":876098867,\"ack\":0,\"rel_seq\":0,\"rel_ack\":0,\"len\":0,\"win\":65495}\n",
	"{\"t\":0.018674,\"kind\":\"packet\",\"actor\":\"kernel\",\"step\":null,\"src\":\"127.0.0.1:41665\",\"dst\":\"127.0.0.1:49556\",\"flags\":\"S.\",\"seq\":2793241264,\"ack\":876098868,\"rel_seq\":0,\"rel_ack\":1,\"len\":0,\"win\":65483}\n",
	"{\"t\":0.018693,\"kind\":\"packet\",\"actor\":\"kernel\",\"step\":null,\"src\":\"127.0.0.1:49556\",\"dst\":\"127.0.0.1:41665\",\"flags\":\".\",\"seq\":876098868,\"ack\":2793241265,\"rel_seq\":1,\"rel_ack\":1,\"len\":0,\"win\":64}\n",
	"{\"t\":0.018708,\"kind\":\"call\",\"actor\":\"client\",\"step\":6,\"call\":\"connect\",\"sock\":\"k\",\"newsock\":null,\"args\":\"127.0.0.1:41665\",\"fd\":3,\"ret\":0,\"errno\":null,\"error\":null,\"local\":\"127.0.0.1:49556\",\"peer\":\"127.0.0.1:41665\",\"state\":\"ESTABLISHED\",\"queue\":null,\"backlog\":null,\"bytes\":null,\"unread\":null,\"trunc\":false,\"data\":null,\"inode\":16238,\"family\":\"AF_INET\",\"type\":\"SOCK_STREAM\"}\n",
	"{\"t\":0.018723,\"kind\":\"call\",\"actor\":\"server\",\"step\":4,\"call\":\"accept\",\"sock\":\"s\",\"newsock\":\"c\",\"args\":null,\"fd\":3,\"ret\":6,\"errno\":null,\"error\":null,\"local\":\"127.0.0.1:41665\",\"peer\":\"127.0.0.1:49556\",\"state\":\"ESTABLISHED\",\"queue\":0,\"backlog\":5,\"bytes\":null,\"unread\":null,\"trunc\":false,\"data\":null,\"inode\":16237,\"family\":\"AF_INET\",\"type\":\"SOCK_STREAM\"}\n",
	"{\"t\":0.019440,\"kind\":\"call\",\"actor\":\"server\",\"step\":7,\"call\":\"setsockopt\",\"sock\":\"c\",\"newsock\":null,\"args\":\"SO_RCVTIMEO, 5s\",\"fd\":6,\"ret\":0,\"errno\":null,\"error\":null,\"local\":\"127.0.0.1:41665\",\"peer\":\"127.0.0.1:49556\",\"state\":\"ESTABLISHED\",\"queue\":null,\"backlog\":null,\"bytes\":null,\"unread\":null,\"trunc\":false,\"data\":null,\"inode\":16237,\"family\":\"AF_INET\",\"type\":\"SOCK_STREAM\"}\n",
	"{\"t\":0.026981,\"kind\":\"blocked\",\"actor\":\"server\",\"step\":8,\"call\":\"recv\",\"sock\":\"c\",\"newsock\":null,\"args\":\"len=1024\",\"fd\":6,\"ret\":null,\"errno\":null,\"error\":null,\"local\":null,\"peer\":null,\"state\":null,\"queue\":null,\"backlog\":null,\"bytes\":null,\"unread\":null,\"trunc\":false,\"data\":null,\"inode\":null,\"family\":null,\"type\":null}\n",
	"{\"t\":0.027120,\"kind\":\"call\",\"actor\":\"client\",\"step\":9,\"call\":\"sleep\",\"sock\":null,\"newsock\":null,\"args\":\"0s\",\"fd\":null,\"ret\":0,\"errno\":null,\"error\":null,\"local\":null,\"peer\":null,\"state\":null,\"queue\":null,\"backlog\":null,\"bytes\":null,\"unread\":null,\"trunc\":false,\"data\":null,\"inode\":null,\"family\":null,\"type\":null}\n",
	"{\"t\":0.027515,\"kind\":\"packet\",\"actor\":\"kernel\",\"step\":null,\"src\":\"127.0.0.1:49556\",\"dst\":\"127.0.0.1:41665\",\"flags\":\"P.\",\"seq\":876098868,\"ack\":2793241265,\"rel_seq\":1,\"rel_ack\":1,\"len\":1,\"win\":64}\n",
	"{\"t\":0.027523,\"kind\":\"packet\",\"actor\":\"kernel\",\"step\":null,\"src\":\"127.0.0.1:41665\",\"dst\":\"127.0.0.1:49556\",\"flags\":\".\",\"seq\":2793241265,\"ack\":876098869,\"rel_seq\":1,\"rel_ack\":2,\"len\":0,\"win\":64}\n",
	"{\"t\":0.027532,\"kind\":\"call\",\"actor\":\"client\",\"step\":10,\"call\":\"send\",\"sock\":\"k\",\"newsock\":null,\"args\":\"len=1\",\"fd\":3,\"ret\":1,\"errno\":null,\"error\":null,\"local\":\"127.0.0.1:49556\",\"peer\":\"127.0.0.1:41665\",\"state\":\"ESTABLISHED\",\"queue\":null,\"backlog\":null,\"bytes\":1,\"unread\":0,\"trunc\":false,\"data\":\"1\",\"inode\":16238,\"family\":\"AF_INET\",\"type\":\"SOCK_STREAM\"}\n",
	"{\"t\":0.027547,\"kind\":\"call\",\"actor\":\"server\",\"step\":8,\"call\":\"recv\",\"sock\":\"c\",\"newsock\":null,\"args\":\"len=1024\",\"fd\":6,\"ret\":1,\"errno\":null,\"error\":null,\"local\":\"127.0.0.1:41665\",\"peer\":\"127.0.0.1:49556\",\"state\":\"ESTABLISHED\",\"queue\":null,\"backlog\":null,\"bytes\":1,\"unread\":0,\"trunc\":false,\"data\":\"1\",\"inode\":16237,\"family\":\"AF_INET\",\"type\":\"SOCK_STREAM\"}\n",
	"{\"t\":0.028255,\"kind\":\"packet\",\"actor\":\"kernel\",\"step\":null,\"src\":\"127.0.0.1:41665\",\"dst\":\"127.0.0.1:49556\",\"flags\":\"P.\",\"seq\":2793241265,\"ack\":876098869,\"rel_seq\":1,\"rel_ack\":2,\"len\":18,\"win\":64}\n",
	"{\"t\":0.028259,\"kind\":\"packet\",\"actor\":\"kernel\",\"step\":null,\"src\":\"127.0.0.1:49556\",\"dst\":\"127.0.0.1:41665\",\"flags\":\".\",\"seq\":876098869,\"ack\":2793241283,\"rel_seq\":2,\"rel_ack\":19,\"len\":0,\"win\":64}\n",
	"{\"t\":0.028265,\"kind\":\"call\",\"actor\":\"server\",\"step\":11,\"call\":\"send\",\"sock\":\"c\",\"newsock\":null,\"args\":\"len=18\",\"fd\":6,\"ret\":18,\"errno\":null,\"error\":null,\"local\":\"127.0.0.1:41665\",\"peer\":\"127.0.0.1:49556\",\"state\":\"ESTABLISHED\",\"queue\":null,\"backlog\":null,\"bytes\":18,\"unread\":0,\"trunc\":false,\"data\":\"welcome to server!\",\"inode\":16237,\"family\":\"AF_INET\",\"type\":\"SOCK_STREAM\"}\n",
	"{\"t\":0.028636,\"kind\":\"call\",\"actor\":\"client\",\"step\":12,\"call\":\"recv\",\"sock\":\"k\",\"newsock\":null,\"args\":\"len=1024\",\"fd\":3,\"ret\":18,\"errno\":null,\"error\":null,\"local\":\"127.0.0.1:49556\",\"peer\":\"127.0.0.1:41665\",\"state\":\"ESTABLISHED\",\"queue\":null,\"backlog\":null,\"bytes\":18,\"unread\":0,\"trunc\":false,\"data\":\"welcome to server!\",\"inode\":16238,\"family\":\"AF_INET\",\"type\":\"SOCK_STREAM\"}\n",
	"{\"t\":0.029011,\"kind\":\"packet\",\"actor\":\"kernel\",\"step\":null,\"src\":\"127.0.0.1:41665\",\"dst\":\"127.0.0.1:49556\",\"flags\":\"F.\",\"seq\":2793241283,\"ack\":876098869,\"rel_seq\":19,\"rel_ack\":2,\"len\":0,\"win\":64}\n",
	"{\"t\":0.029018,\"kind\":\"call\",\"actor\":\"server\",\"step\":13,\"call\":\"close\",\"sock\":\"c\",\"newsock\":null,\"args\":null,\"fd\":6,\"ret\":0,\"errno\":null,\"error\":null,\"local\":\"127.0.0.1:41665\",\"peer\":\"127.0.0.1:49556\",\"state\":null,\"queue\":null,\"backlog\":null,\"bytes\":null,\"unread\":null,\"trunc\":false,\"data\":null,\"inode\":16237,\"family\":\"AF_INET\",\"type\":\"SOCK_STREAM\"}\n",
	"{\"t\":0.029365,\"kind\":\"note\",\"actor\":\"kernel\",\"step\":null,\"level\":\"info\",\"text\":\"client 127.0.0.1:49556 <-> 127.0.0.1:41665 is in CLOSE_WAIT: the peer closed (its FIN arrived); recv() returns 0 and this side must close() too\"}\n",
	"{\"t\":0.029400,\"kind\":\"call\",\"actor\":\"server\",\"step\":14,\"call\":\"close\",\"sock\":\"s\",\"newsock\":null,\"args\":null,\"fd\":3,\"ret\":0,\"errno\":null,\"error\":null,\"local\":\"127.0.0.1:41665\",\"peer\":null,\"state\":null,\"queue\":null,\"backlog\":null,\"bytes\":null,\"unread\":null,\"trunc\":false,\"data\":null,\"inode\":16236,\"family\":\"AF_INET\",\"type\":\"SOCK_STREAM\"}\n",
	"{\"t\":0.029794,\"kind\":\"packet\",\"actor\":\"kernel\",\"step\":null,\"src\":\"127.0.0.1:49556\",\"dst\":\"127.0.0.1:41665\",\"flags\":\"F.\",\"seq\":876098869,\"ack\":2793241284,\"rel_seq\":2,\"rel_ack\":20,\"len\":0,\"win\":64}\n",
	"{\"t\":0.029802,\"kind\":\"packet\",\"actor\":\"kernel\",\"step\":null,\"src\":\"127.0.0.1:41665\",\"dst\":\"127.0.0.1:49556\",\"flags\":\".\",\"seq\":2793241284,\"ack\":876098870,\"rel_seq\":20,\"rel_ack\":3,\"len\":0,\"win\":64}\n",
	"{\"t\":0.029815,\"kind\":\"call\",\"actor\":\"client\",\"step\":15,\"call\":\"close\",\"sock\":\"k\",\"newsock\":null,\"args\":null,\"fd\":3,\"ret\":0,\"errno\":null,\"error\":null,\"local\":\"127.0.0.1:49556\",\"peer\":\"127.0.0.1:41665\",\"state\":null,\"queue\":null,\"backlog\":null,\"bytes\":null,\"unread\":null,\"trunc\":false,\"data\":null,\"inode\":16238,\"family\":\"AF_INET\",\"type\":\"SOCK_STREAM\"}\n",
	"{\"t\":0.030149,\"kind\":\"note\",\"actor\":\"kernel\",\"step\":null,\"level\":\"info\",\"text\":\"server 127.0.0.1:41665 <-> 127.0.0.1:49556 is in TIME_WAIT: that side closed first; the kernel keeps it 60 s more so late packets cannot reach a new connection\"}\n",
};
static char classic[16384];

/* Peer data and arguments can hold anything: diagram syntax, markup,
 * quotes, a newline (JSON \n decodes to a real one). */
static const char hostile[] =
	"{\"t\":0.5,\"kind\":\"call\",\"actor\":\"client\",\"step\":3,\"call\":\"send\",\"sock\":\"k\","
	"\"newsock\":null,\"args\":\"--> ; # <script>alert('x')</script> \\\"q\\\" & %%{init}%% \\n@enduml\","
	"\"fd\":3,\"ret\":-1,\"errno\":\"EPIPE\",\"local\":\"127.0.0.1:5000\",\"peer\":\"127.0.0.1:9001\"}\n"
	"{\"t\":0.6,\"kind\":\"call\",\"actor\":\"server\",\"step\":4,\"call\":\"recv\",\"sock\":\"c\","
	"\"args\":\"len=64\",\"fd\":4,\"ret\":20,\"bytes\":20,\"unread\":0,"
	"\"data\":\"-->;#<b>**x**</b>\\\\x1b\",\"local\":\"127.0.0.1:9001\",\"peer\":\"127.0.0.1:5000\"}\n"
	"{\"t\":0.7,\"kind\":\"call\",\"actor\":\"x<y>;\\\"z\",\"step\":5,\"call\":\"close\",\"sock\":\"q\","
	"\"fd\":5,\"ret\":0}\n";

static char *export_text(const char *trace, enum export_format fmt, const char *filter_expr,
			 int *rc, char *err, size_t errsz)
{
	FILE *in = fmemopen((void *)trace, strlen(trace), "r");
	char *buf = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);
	struct filter f;

	ck_assert_ptr_nonnull(in);
	ck_assert_ptr_nonnull(out);
	filter_init(&f);
	if (filter_expr)
		ck_assert_int_eq(filter_parse(&f, filter_expr, err, errsz), 0);
	*rc = export_trace(in, "classic.jsonl", fmt, &f, out, err, errsz);
	fclose(in);
	fclose(out);
	return buf;
}

static char *export_ok(const char *trace, enum export_format fmt, const char *filter_expr)
{
	char err[256] = "";
	int rc;
	char *s = export_text(trace, fmt, filter_expr, &rc, err, sizeof err);

	ck_assert_msg(rc == 0, "export failed: %s", err);
	return s;
}

static long count_of(const char *hay, const char *needle)
{
	long n = 0;
	for (const char *p = hay; (p = strstr(p, needle)) != NULL; p++)
		n++;
	return n;
}

static long pos_of(const char *hay, const char *needle)
{
	const char *p = strstr(hay, needle);
	ck_assert_msg(p != NULL, "'%s' not found", needle);
	return p - hay;
}

static void setup(void)
{
	classic[0] = '\0';
	for (size_t i = 0; i < sizeof classic_lines / sizeof classic_lines[0]; i++)
		strcat(classic, classic_lines[i]);
}

START_TEST(format_names)
{
	ck_assert_int_eq(export_format_from_name("mermaid"), EXPORT_MERMAID);
	ck_assert_int_eq(export_format_from_name("plantuml"), EXPORT_PLANTUML);
	ck_assert_int_eq(export_format_from_name("svg"), EXPORT_SVG);
	ck_assert_int_eq(export_format_from_name("png"), -1);
	ck_assert_int_eq(export_format_from_name(NULL), -1);
}
END_TEST

START_TEST(mermaid_has_client_and_server_lifelines)
{
	char *m = export_ok(classic, EXPORT_MERMAID, NULL);

	ck_assert_msg(strncmp(m, "sequenceDiagram\n", 16) == 0, "%.40s", m);
	/* The server on the left, as in the UI (issue 13). */
	ck_assert(strstr(m, "    participant A0 as server\n    participant A1 as client\n"));
	free(m);
}
END_TEST

START_TEST(handshake_packets_are_arrows_from_the_sockets_owners)
{
	char *m = export_ok(classic, EXPORT_MERMAID, NULL);

	/* Addresses matched against the calls: the SYN leaves the client's
	 * ephemeral port for the server's listening one. */
	ck_assert(strstr(m, "A1->>A0: S seq 0  (49556 to 41665)\n"));
	ck_assert(strstr(m, "A0->>A1: S. seq 0 ack 1  (41665 to 49556)\n"));
	ck_assert(strstr(m, "A1-->>A0: . ack 1  (49556 to 41665)\n"));
	ck_assert(strstr(m, "A1->>A0: P. 1:2 ack 1 len 1  (49556 to 41665)\n"));
	ck_assert(strstr(m, "A0->>A1: F. seq 19 ack 2"));
	free(m);
}
END_TEST

START_TEST(calls_and_packets_are_interleaved_in_time_order)
{
	char *m = export_ok(classic, EXPORT_MERMAID, NULL);
	long listen = pos_of(m, "Note over A0: listen(s, backlog=5) = 0");
	long syn = pos_of(m, "S seq 0");
	long ack = pos_of(m, ". ack 1 ");
	long connect = pos_of(m, "Note over A1: connect(k, 127.0.0.1:41665) = 0");
	long accept = pos_of(m, "Note over A0: c = accept(s) = 6 (new fd)");

	ck_assert(listen < syn && syn < ack && ack < connect && connect < accept);
	/* Ports and fds as the UI shows them. */
	ck_assert(strstr(m, "connect(k, 127.0.0.1:41665) = 0<br/>fd 3  local 127.0.0.1:49556  "
			    "peer 127.0.0.1:41665  ESTABLISHED\n"));
	/* Issue 13: the accepted socket's 4-tuple beside the new fd (6), the
	 * listener (fd 3) named as such, its queue too. */
	ck_assert(strstr(m, "c = accept(s) = 6 (new fd)<br/>listener fd 3  new fd 6  "
			    "local 127.0.0.1:41665  peer 127.0.0.1:49556  ESTABLISHED  "
			    "listener queue 0/5\n"));
	ck_assert(strstr(m, "<br/>fd 3  local 127.0.0.1:41665  peer 127.0.0.1:49556") == NULL);
	free(m);
}
END_TEST

START_TEST(plantuml_is_one_diagram)
{
	char *p = export_ok(classic, EXPORT_PLANTUML, NULL);
	size_t n = strlen(p);

	ck_assert_msg(strncmp(p, "@startuml\n", 10) == 0, "%.40s", p);
	ck_assert(n > 8 && strcmp(p + n - 8, "@enduml\n") == 0);
	ck_assert_int_eq(count_of(p, "@startuml"), 1);
	ck_assert_int_eq(count_of(p, "@enduml"), 1);
	ck_assert(strstr(p, "participant \"server\" as A0\nparticipant \"client\" as A1\n"));
	ck_assert(strstr(p, "A1 -> A1") == NULL);
	ck_assert(strstr(p, "A1 -> A0 : S seq 0  (49556 to 41665)\n"));
	ck_assert(strstr(p, "A1 --> A0 : &#46; ack 1") || strstr(p, "A1 --> A0 : . ack 1"));
	free(p);
}
END_TEST

START_TEST(svg_draws_both_lifelines_and_the_handshake)
{
	char *s = export_ok(classic, EXPORT_SVG, NULL);

	static const char head[] =
		"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\"";

	ck_assert(strncmp(s, head, strlen(head)) == 0);
	ck_assert(strstr(s, "</svg>\n"));
	ck_assert_int_eq(count_of(s, "class=\"life\""), 2);
	ck_assert(strstr(s, ">client</text>"));
	ck_assert(strstr(s, ">server</text>"));
	ck_assert(strstr(s, ">S seq 0  (49556 to 41665)</text>"));
	ck_assert(strstr(s, ">S. seq 0 ack 1  (41665 to 49556)</text>"));
	ck_assert(strstr(s, ">. ack 1  (49556 to 41665)</text>"));
	ck_assert(strstr(s, "marker-end=\"url(#h-syn)\""));
	/* Quotes from the data arrive as XML entities. */
	ck_assert(strstr(s, "send(k, &quot;1&quot;) = 1"));
	free(s);
}
END_TEST

START_TEST(filter_limits_what_is_drawn)
{
	char *m = export_ok(classic, EXPORT_MERMAID, "kind=packet flags=S");

	ck_assert_int_eq(count_of(m, "->>"), 1);
	ck_assert_int_eq(count_of(m, "Note over"), 0);
	ck_assert(strstr(m, "S seq 0"));
	free(m);
	m = export_ok(classic, EXPORT_MERMAID, "actor=client");
	ck_assert_int_eq(count_of(m, "->>"), 0);
	ck_assert(strstr(m, "participant A1 as client"));
	ck_assert(strstr(m, "as server") == NULL);
	free(m);
}
END_TEST

/* Only our own syntax may appear outside the label text. */
static void check_label_clean(const char *label, const char *forbidden, const char *line)
{
	for (const char *c = label; *c; c++) {
		if (strncmp(c, "<br/>", 5) == 0) {
			c += 4;
			continue;
		}
		ck_assert_msg(strchr(forbidden, *c) == NULL, "'%c' unescaped in: %s", *c, line);
	}
}

START_TEST(hostile_text_is_escaped_for_mermaid)
{
	char *m = export_ok(hostile, EXPORT_MERMAID, NULL);
	char *save = NULL;

	ck_assert(strstr(m, "<script") == NULL);
	ck_assert(strstr(m, "%%{") == NULL);
	for (char *line = strtok_r(m, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		const char *label = strstr(line, ": ");
		if (strncmp(line, "    participant ", 16) == 0)
			label = strstr(line, " as ") + 4;
		if (label == NULL)
			continue;
		/* ; and # only as entity codes (#59;), no markup, no arrows. */
		for (const char *c = label; *c; c++)
			if (*c == '#') {
				const char *d = c + 1;
				while (*d >= '0' && *d <= '9')
					d++;
				ck_assert_msg(d > c + 1 && *d == ';', "bare # in: %s", line);
				c = d;
			} else if (*c == ';') {
				ck_abort_msg("bare ; in: %s", line);
			}
		check_label_clean(label, "<>\"'&%{}-`\\|[]~", line);
	}
	free(m);
}
END_TEST

START_TEST(hostile_text_is_escaped_for_plantuml)
{
	char *p = export_ok(hostile, EXPORT_PLANTUML, NULL);
	char *save = NULL;
	int lines = 0;

	ck_assert_int_eq(count_of(p, "@enduml"), 1); /* the one we wrote */
	for (char *line = strtok_r(p, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		const char *label = strstr(line, " : ");
		lines++;
		if (strncmp(line, "participant \"", 13) == 0) {
			char *end = strrchr(line, '"');
			*end = '\0';
			check_label_clean(line + 13, "\"<>[]*/_-~=|", line);
			continue;
		}
		if (label == NULL)
			continue;
		check_label_clean(label + 3, "\"<>[]*/_-~=|", line);
		/* A backslash only doubled, so "\n" in the data stays text. */
		for (const char *c = label; *c; c++)
			if (*c == '\\') {
				ck_assert_msg(c[1] == '\\' || (c[1] == 'n' && c > label && c[-1] != '\\'),
					      "lone backslash in: %s", line);
				if (c[1] == '\\')
					c++;
			}
	}
	/* header, title, skinparam, 3 participants, 3 notes, footer */
	ck_assert_int_eq(lines, 10);
	free(p);
}
END_TEST

START_TEST(hostile_text_is_escaped_for_svg)
{
	char *s = export_ok(hostile, EXPORT_SVG, NULL);

	ck_assert(strstr(s, "<script") == NULL);
	ck_assert(strstr(s, "&lt;script&gt;alert(&apos;x&apos;)&lt;/script&gt;"));
	ck_assert(strstr(s, "&quot;q&quot; &amp;"));
	ck_assert(strstr(s, ">x&lt;y&gt;;&quot;z</text>"));
	/* The decoded newline is shown as an escape, never as a raw line break
	 * inside a text element. */
	ck_assert(strstr(s, "\\x0a@enduml"));
	free(s);
}
END_TEST

/* One call whose arguments are n copies of ch (UTF-8), as a trace line. */
static void wide_trace(char *out, size_t outsz, const char *ch, int n)
{
	char args[SS_ARGS_MAX] = "";

	for (int i = 0; i < n; i++)
		strcat(args, ch);
	snprintf(out, outsz,
		 "{\"t\":0.1,\"kind\":\"call\",\"actor\":\"server\",\"step\":1,\"call\":\"send\","
		 "\"sock\":\"s\",\"args\":\"%s\",\"fd\":3,\"ret\":1}\n",
		 args);
}

static long note_width(const char *svg)
{
	const char *r = strstr(svg, "<rect class=\"note\"");
	const char *w = r ? strstr(r, "width=\"") : NULL;

	ck_assert_ptr_nonnull(w);
	return strtol(w + 7, NULL, 10);
}

/* A Chinese character takes two columns, three bytes: the SVG's note is
 * as wide as its columns, and every format keeps the characters. */
START_TEST(chinese_labels_are_kept_and_measured_in_columns)
{
	char zh[512], ascii[512];
	char *s, *a;

	ck_assert_ptr_nonnull(setlocale(LC_CTYPE, "C.UTF-8"));
	wide_trace(zh, sizeof zh, "\xe4\xb8\xad", 20);   /* 中: 40 columns, 60 bytes */
	wide_trace(ascii, sizeof ascii, "ab", 20);	   /* 40 columns, 40 bytes */
	s = export_ok(zh, EXPORT_SVG, NULL);
	a = export_ok(ascii, EXPORT_SVG, NULL);
	ck_assert_ptr_nonnull(strstr(s, "send(s, \xe4\xb8\xad\xe4\xb8\xad"));
	ck_assert_int_eq(note_width(s), note_width(a));
	free(s);
	free(a);
	for (int fmt = EXPORT_MERMAID; fmt <= EXPORT_PLANTUML; fmt++) {
		s = export_ok(zh, (enum export_format)fmt, NULL);
		ck_assert_ptr_nonnull(strstr(s, "\xe4\xb8\xad\xe4\xb8\xad"));
		free(s);
	}
	setlocale(LC_CTYPE, "C");
}
END_TEST

START_TEST(a_bad_line_is_reported_with_its_number)
{
	char err[256] = "";
	int rc;
	char *s = export_text("{\"t\":0,\"kind\":\"note\",\"actor\":null,\"step\":null,\"level\":\"info\",\"text\":\"hi\"}\n"
			      "\n{\"t\":1,\"kind\":\"call\",\n",
			      EXPORT_MERMAID, NULL, &rc, err, sizeof err);

	ck_assert_int_eq(rc, -1);
	ck_assert_msg(strncmp(err, "classic.jsonl:3: ", 17) == 0, "%s", err);
	free(s);
}
END_TEST

START_TEST(unknown_kinds_are_skipped_and_strangers_are_remote)
{
	const char trace[] =
		"{\"t\":0.1,\"kind\":\"hologram\",\"actor\":null,\"step\":null,\"x\":1}\n"
		"{\"t\":0.2,\"kind\":\"call\",\"actor\":\"server\",\"step\":1,\"call\":\"listen\",\"sock\":\"s\","
		"\"args\":\"backlog=5\",\"fd\":3,\"ret\":0,\"local\":\"0.0.0.0:9001\"}\n"
		"{\"t\":0.3,\"kind\":\"packet\",\"actor\":\"kernel\",\"step\":null,\"src\":\"127.0.0.1:40000\","
		"\"dst\":\"127.0.0.1:9001\",\"flags\":\"S\",\"seq\":5,\"ack\":0,\"rel_seq\":0,\"rel_ack\":0,\"len\":0,\"win\":1}\n";
	char *m = export_ok(trace, EXPORT_MERMAID, NULL);

	/* nc talking to `sockstep server`: its port belongs to no actor. */
	ck_assert(strstr(m, "participant A0 as server\n    participant A1 as remote\n"));
	ck_assert(strstr(m, "A1->>A0: S seq 0  (40000 to 9001)"));
	free(m);
}
END_TEST

START_TEST(an_empty_trace_is_an_empty_diagram)
{
	char *m = export_ok("", EXPORT_MERMAID, NULL);
	char *s = export_ok("\n", EXPORT_SVG, NULL);

	ck_assert(strncmp(m, "sequenceDiagram\n", 16) == 0);
	ck_assert(strstr(s, "</svg>"));
	free(m);
	free(s);
}
END_TEST

/* A stream that cannot seek, as a pipe: the diagram is drawn from
 * memory. */
struct unseekable {
	const char *text;
	size_t pos, len;
};

static ssize_t unseekable_read(void *cookie, char *buf, size_t size)
{
	struct unseekable *u = cookie;
	size_t n = u->len - u->pos < size ? u->len - u->pos : size;

	memcpy(buf, u->text + u->pos, n);
	u->pos += n;
	return (ssize_t)n;
}

static char *export_unseekable(const char *trace, enum export_format fmt)
{
	struct unseekable u = {trace, 0, strlen(trace)};
	cookie_io_functions_t io = {.read = unseekable_read};
	FILE *in = fopencookie(&u, "r", io);
	char *buf = NULL, err[256] = "";
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);

	ck_assert_ptr_nonnull(in);
	ck_assert_ptr_nonnull(out);
	ck_assert_int_lt(ftell(in), 0);
	ck_assert_msg(export_trace(in, "classic.jsonl", fmt, NULL, out, err, sizeof err) == 0, "%s", err);
	fclose(in);
	fclose(out);
	return buf;
}

/* A file is read twice and nothing kept (the SVG's widths and height
 * learnt by the first pass); a pipe is kept whole: the same bytes. */
START_TEST(a_streamed_diagram_is_the_one_drawn_from_memory)
{
	static const enum export_format fmts[] = {EXPORT_MERMAID, EXPORT_PLANTUML, EXPORT_SVG};

	for (size_t i = 0; i < sizeof fmts / sizeof fmts[0]; i++) {
		char *streamed = export_ok(classic, fmts[i], NULL);
		char *kept = export_unseekable(classic, fmts[i]);

		ck_assert_str_eq(streamed, kept);
		free(streamed);
		free(kept);
	}
}
END_TEST

Suite *test_suite(void)
{
	Suite *s = suite_create("export");
	TCase *tc = tcase_create("export");

	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_test(tc, format_names);
	tcase_add_test(tc, mermaid_has_client_and_server_lifelines);
	tcase_add_test(tc, handshake_packets_are_arrows_from_the_sockets_owners);
	tcase_add_test(tc, calls_and_packets_are_interleaved_in_time_order);
	tcase_add_test(tc, plantuml_is_one_diagram);
	tcase_add_test(tc, svg_draws_both_lifelines_and_the_handshake);
	tcase_add_test(tc, filter_limits_what_is_drawn);
	tcase_add_test(tc, hostile_text_is_escaped_for_mermaid);
	tcase_add_test(tc, hostile_text_is_escaped_for_plantuml);
	tcase_add_test(tc, hostile_text_is_escaped_for_svg);
	tcase_add_test(tc, chinese_labels_are_kept_and_measured_in_columns);
	tcase_add_test(tc, a_bad_line_is_reported_with_its_number);
	tcase_add_test(tc, unknown_kinds_are_skipped_and_strangers_are_remote);
	tcase_add_test(tc, an_empty_trace_is_an_empty_diagram);
	tcase_add_test(tc, a_streamed_diagram_is_the_one_drawn_from_memory);
	suite_add_tcase(s, tc);
	return s;
}
