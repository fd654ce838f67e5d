/* seed: the seed tutorial's exchange as lesson text (see seed.h). */
#include "sockstep/seed.h"

#include <stdio.h>
#include <string.h>

#include "sockstep/i18n.h"

/* One step of the seed: its script line, its narration (a sentence of
 * the catalog, translated when the script is assembled: the script
 * lines themselves are the grammar's and never translated) and what
 * follows the narration (an on-error line).  A part ends with a step
 * whose line is NULL. */
struct seed_step {
	const char *line;
	const char *say;
	const char *after;
};

/* The seed tutorial's exchange, step for step (see ../shared/seed). */
static const struct seed_step classic_socket[] = {
	{"server: s = socket(${family}, SOCK_STREAM)",
	 N_("The server asks the kernel for a TCP socket; it gets a file descriptor, with no address yet."), NULL},
	{NULL, NULL, NULL}};
/* Only on the host network, where an earlier run's TIME_WAIT may hold the
 * port: ${reuse} says what the kernel showed (see porthold.h, network.c:
 * already in the learner's language). */
static const struct seed_step classic_reuse[] = {
	{"server: setsockopt(s, SO_REUSEADDR, 1)", "${reuse}", NULL},
	{NULL, NULL, NULL}};
static const struct seed_step classic_server[] = {
	{"server: bind(s, ${local})",
	 N_("bind() gives the socket its local address and port: the one clients will dial."), NULL},
	{"server: listen(s, 5)",
	 N_("listen() turns it into a listening socket; the kernel will finish handshakes and queue up to backlog + 1 = 6 finished connections until accept() takes them."), NULL},
	{NULL, NULL, NULL}};
/* The tutorial says accept() gives the connection "a new port": it does
 * not, and the narration says so. */
static const struct seed_step classic_accept[] = {
	{"server: c = accept(s)",
	 N_("accept() waits until the kernel has a finished connection in the queue, then returns a NEW socket for it: new fd, same local port."), NULL},
	{NULL, NULL, NULL}};
static const struct seed_step classic_client_open[] = {
	{"client: k = socket(${family}, SOCK_STREAM)",
	 N_("The client makes its own socket. It has no port yet."), NULL},
	{"client: connect(k, ${target})",
	 N_("connect() makes the kernel pick an ephemeral port and do the three-way handshake (SYN, SYN-ACK, ACK)."), NULL},
	{NULL, NULL, NULL}};
static const struct seed_step classic_server_serve[] = {
	{"server: setsockopt(c, SO_RCVTIMEO, 5)",
	 N_("The tutorial sets a 5-second timeout on the connection: a recv() with no data fails with EAGAIN after 5 s."), NULL},
	{"server: recv(c, 1024)",
	 N_("recv() blocks until data arrives (or the timeout fires); it returns at most 1024 bytes."),
	 "  on-error: skip 1\n"},
	{NULL, NULL, NULL}};
static const struct seed_step classic_client_send[] = {
	{"client: sleep(${pause})",
	 N_("The tutorial's client sleeps before sending, so you can watch the server wait in recv()."), NULL},
	{"client: send(k, \"${send}\")",
	 N_("send() copies the bytes into the kernel's send buffer; TCP carries them to the server."), NULL},
	{NULL, NULL, NULL}};
static const struct seed_step classic_server_reply[] = {
	{"server: send(c, @seed-reply)",
	 N_("The tutorial's protocol: if the client sent 1, answer 'welcome to server!', else 'please go out!'."), NULL},
	{NULL, NULL, NULL}};
/* Client mode talks to a server that is not ours: one that never answers
 * must not hold the session forever (the tutorial server's timeout, here). */
static const struct seed_step client_timeout[] = {
	{"client: setsockopt(k, SO_RCVTIMEO, 5)",
	 N_("A 5-second timeout, as the tutorial's server sets: if this server never answers, recv() fails with EAGAIN instead of waiting forever."), NULL},
	{NULL, NULL, NULL}};
static const struct seed_step classic_client_recv[] = {
	{"client: recv(k, 1024)", N_("The client reads the reply."), NULL},
	{NULL, NULL, NULL}};
static const struct seed_step classic_server_close[] = {
	{"server: close(c)",
	 N_("Closing the connection socket sends a FIN; the side that closes first ends up in TIME_WAIT."), NULL},
	{NULL, NULL, NULL}};
static const struct seed_step classic_server_end[] = {
	{"server: close(s)",
	 N_("Closing the listening socket: no new connections; existing ones are unaffected."), NULL},
	{NULL, NULL, NULL}};
static const struct seed_step classic_client_close[] = {
	{"client: close(k)",
	 N_("The client closes its socket; the server's FIN already arrived, so this completes the close."), NULL},
	{NULL, NULL, NULL}};

/* A non-empty ${reuse}: the SO_REUSEADDR step and its narration. */
static int wants_reuse(const struct script_var *vars, size_t nvars)
{
	for (size_t i = 0; i < nvars; i++)
		if (strcmp(vars[i].name, "reuse") == 0 && vars[i].value[0])
			return 1;
	return 0;
}

/* A narration on one line of the script: a translation cannot end the
 * say: line early or start a script line of its own. */
static void one_line(char *s)
{
	for (; *s; s++)
		if (*s == '\n' || *s == '\r')
			*s = ' ';
}

static int seed_build(struct ss_script *sc, const char *title,
		      const struct seed_step *const *parts,
		      const struct script_var *vars, size_t nvars, char *err,
		      size_t errsz)
{
	char text[12288];
	char say[1024];
	size_t n = 0;

	n += (size_t)snprintf(text + n, sizeof text - n, "# %s\n```sockstep\n", title);
	for (; *parts; parts++)
		for (const struct seed_step *st = *parts; st->line && n < sizeof text; st++) {
			/* "${reuse}" is a variable, not a sentence: kept */
			snprintf(say, sizeof say, "%s",
				 st->say[0] == '$' ? st->say : _(st->say));
			one_line(say);
			n += (size_t)snprintf(text + n, sizeof text - n, "%s\n  say: %s\n%s",
					      st->line, say, st->after ? st->after : "");
		}
	if (n >= sizeof text) {
		snprintf(err, errsz, "%s", _("the built-in script is too long"));
		return -1;
	}
	snprintf(text + n, sizeof text - n, "```\n");
	return lesson_parse(sc, text, "built-in", vars, nvars, err, errsz);
}

/* The value of a variable, or its default. */
static const char *var_value(const struct script_var *vars, size_t nvars,
			     const char *name, const char *dflt)
{
	for (size_t i = 0; i < nvars; i++)
		if (strcmp(vars[i].name, name) == 0)
			return vars[i].value;
	return dflt;
}

/* host:port as the address vocabulary reads it: [v6%scope]:port. */
static void host_port(const struct script_var *vars, size_t nvars, char *out,
		      size_t outsz)
{
	const char *host = var_value(vars, nvars, "host", "127.0.0.1");

	snprintf(out, outsz, strchr(host, ':') ? "[%s]:%s" : "%s:%s", host,
		 var_value(vars, nvars, "port", "9001"));
}

/* Extend vars with the defaults the seed scripts use, the server's
 * address as ${local} (in local, SS_ADDR_MAX) and ${target}. */
static size_t seed_vars(const struct script_var *vars, size_t nvars,
			struct script_var *out, const char *target, char *local)
{
	static const struct script_var defaults[] = {
		{"host", "127.0.0.1"}, {"port", "9001"}, {"pause", "2"},
		{"send", "1"}, {"family", "AF_INET"}};
	size_t n = 0;

	for (size_t i = 0; i < nvars && n < 12; i++)
		out[n++] = vars[i];
	for (size_t d = 0; d < sizeof defaults / sizeof defaults[0]; d++) {
		size_t i;
		for (i = 0; i < nvars; i++)
			if (strcmp(vars[i].name, defaults[d].name) == 0)
				break;
		if (i == nvars)
			out[n++] = defaults[d];
	}
	host_port(vars, nvars, local, SS_ADDR_MAX);
	out[n].name = "local";
	out[n++].value = local;
	out[n].name = "target";
	out[n].value = target;
	return n + 1;
}

int seed_classic(struct ss_script *sc, const struct script_var *vars,
		   size_t nvars, char *err, size_t errsz)
{
	/* The order a teacher walks through: the server blocks in accept()
	 * until the client connects; the server blocks in recv() while the
	 * client sleeps. */
	const struct seed_step *parts[] = {
		classic_socket,	      classic_reuse,	    classic_server,
		classic_accept,	      classic_client_open,  classic_server_serve,
		classic_client_send,  classic_server_reply, classic_client_recv,
		classic_server_close, classic_server_end,   classic_client_close,
		NULL};
	struct script_var all[20];
	char local[SS_ADDR_MAX];
	size_t n = seed_vars(vars, nvars, all, "server.s", local);

	if (!wants_reuse(vars, nvars)) /* the seed exactly: no SO_REUSEADDR */
		memmove(&parts[1], &parts[2], sizeof parts - 2 * sizeof parts[0]);

	if (seed_build(sc, _("The classic exchange (the tutorial)"), parts, all, n,
		  err, errsz) < 0)
		return -1;
	snprintf(sc->summary, sizeof sc->summary,
		 "%s", _("The tutorial's server and client: socket, bind, listen, accept, connect, send/recv, close."));
	return 0;
}

int seed_server(struct ss_script *sc, const struct script_var *vars,
		       size_t nvars, int count, char *err, size_t errsz)
{
	const struct seed_step *parts[] = {classic_socket,	     classic_reuse,
			       classic_server,	     classic_accept,
			       classic_server_serve, classic_server_reply,
			       classic_server_close, classic_server_end,
			       NULL};
	struct script_var all[20];
	char local[SS_ADDR_MAX];
	size_t n = seed_vars(vars, nvars, all, "", local);
	int reuse = wants_reuse(vars, nvars);

	if (!reuse) /* the seed exactly: no SO_REUSEADDR */
		memmove(&parts[1], &parts[2], sizeof parts - 2 * sizeof parts[0]);
	if (seed_build(sc, _("The tutorial's server"), parts, all, n, err, errsz) < 0)
		return -1;
	/* accept .. close(c) is served once per client */
	sc->repeat_from = 3 + reuse;
	sc->repeat_to = 7 + reuse;
	sc->repeat_count = count;
	return 0;
}

int seed_client(struct ss_script *sc, const struct script_var *vars,
		       size_t nvars, char *err, size_t errsz)
{
	static const struct seed_step *const parts[] = {classic_client_open,
					    classic_client_send,
					    client_timeout,
					    classic_client_recv,
					    classic_client_close, NULL};
	struct script_var all[20];
	char target[SS_ADDR_MAX], local[SS_ADDR_MAX];

	host_port(vars, nvars, target, sizeof target);
	size_t n = seed_vars(vars, nvars, all, target, local);
	if (seed_build(sc, _("The tutorial's client"), parts, all, n, err, errsz) < 0)
		return -1;
	return 0;
}
