/* seed: the seed tutorial's exchange as lesson text (see seed.h). */
#include "sockstep/seed.h"

#include <stdio.h>
#include <string.h>

/* The seed tutorial's exchange, step for step (see ../shared/seed). */
static const char classic_socket[] =
	"server: s = socket(${family}, SOCK_STREAM)\n"
	"  say: The server asks the kernel for a TCP socket; it gets a file descriptor, with no address yet.\n";
/* Only on the host network, where an earlier run's TIME_WAIT may hold the
 * port: ${reuse} says what the kernel showed (see porthold.h). */
static const char classic_reuse[] =
	"server: setsockopt(s, SO_REUSEADDR, 1)\n"
	"  say: ${reuse}\n";
static const char classic_server[] =
	"server: bind(s, ${local})\n"
	"  say: bind() gives the socket its local address and port: the one clients will dial.\n"
	"server: listen(s, 5)\n"
	"  say: listen() turns it into a listening socket; the kernel will finish handshakes and queue up to backlog + 1 = 6 finished connections until accept() takes them.\n";
static const char classic_accept[] =
	"server: c = accept(s)\n"
	"  say: accept() waits until the kernel has a finished connection in the queue, then returns a NEW socket for it: new fd, same local port.\n";
static const char classic_client_open[] =
	"client: k = socket(${family}, SOCK_STREAM)\n"
	"  say: The client makes its own socket. It has no port yet.\n"
	"client: connect(k, ${target})\n"
	"  say: connect() makes the kernel pick an ephemeral port and do the three-way handshake (SYN, SYN-ACK, ACK).\n";
static const char classic_server_serve[] =
	"server: setsockopt(c, SO_RCVTIMEO, 5)\n"
	"  say: The tutorial sets a 5-second timeout on the connection: a recv() with no data fails with EAGAIN after 5 s.\n"
	"server: recv(c, 1024)\n"
	"  say: recv() blocks until data arrives (or the timeout fires); it returns at most 1024 bytes.\n"
	"  on-error: skip 1\n";
static const char classic_client_send[] =
	"client: sleep(${pause})\n"
	"  say: The tutorial's client sleeps before sending, so you can watch the server wait in recv().\n"
	"client: send(k, \"${send}\")\n"
	"  say: send() copies the bytes into the kernel's send buffer; TCP carries them to the server.\n";
static const char classic_server_reply[] =
	"server: send(c, @seed-reply)\n"
	"  say: The tutorial's protocol: if the client sent 1, answer 'welcome to server!', else 'please go out!'.\n";
/* Client mode talks to a server that is not ours: one that never answers
 * must not hold the session forever (the tutorial server's timeout, here). */
static const char client_timeout[] =
	"client: setsockopt(k, SO_RCVTIMEO, 5)\n"
	"  say: A 5-second timeout, as the tutorial's server sets: if this server never answers, recv() fails with EAGAIN instead of waiting forever.\n";
static const char classic_client_recv[] =
	"client: recv(k, 1024)\n"
	"  say: The client reads the reply.\n";
static const char classic_server_close[] =
	"server: close(c)\n"
	"  say: Closing the connection socket sends a FIN; the side that closes first ends up in TIME_WAIT.\n";
static const char classic_server_end[] =
	"server: close(s)\n"
	"  say: Closing the listening socket: no new connections; existing ones are unaffected.\n";
static const char classic_client_close[] =
	"client: close(k)\n"
	"  say: The client closes its socket; the server's FIN already arrived, so this completes the close.\n";

/* A non-empty ${reuse}: the SO_REUSEADDR step and its narration. */
static int wants_reuse(const struct script_var *vars, size_t nvars)
{
	for (size_t i = 0; i < nvars; i++)
		if (strcmp(vars[i].name, "reuse") == 0 && vars[i].value[0])
			return 1;
	return 0;
}

static int seed_build(struct ss_script *sc, const char *title, const char *const *parts,
		 const struct script_var *vars, size_t nvars, char *err,
		 size_t errsz)
{
	char text[8192];
	size_t n = 0;

	n += (size_t)snprintf(text + n, sizeof text - n, "# %s\n```sockstep\n", title);
	for (; *parts; parts++)
		n += (size_t)snprintf(text + n, sizeof text - n, "%s", *parts);
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
	const char *parts[] = {
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

	if (seed_build(sc, "The classic exchange (the tutorial)", parts, all, n,
		  err, errsz) < 0)
		return -1;
	snprintf(sc->summary, sizeof sc->summary,
		 "The tutorial's server and client: socket, bind, listen, accept, connect, send/recv, close.");
	return 0;
}

int seed_server(struct ss_script *sc, const struct script_var *vars,
		       size_t nvars, int count, char *err, size_t errsz)
{
	const char *parts[] = {classic_socket,	     classic_reuse,
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
	if (seed_build(sc, "The tutorial's server", parts, all, n, err, errsz) < 0)
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
	static const char *const parts[] = {classic_client_open,
					    classic_client_send,
					    client_timeout,
					    classic_client_recv,
					    classic_client_close, NULL};
	struct script_var all[20];
	char target[SS_ADDR_MAX], local[SS_ADDR_MAX];

	host_port(vars, nvars, target, sizeof target);
	size_t n = seed_vars(vars, nvars, all, target, local);
	if (seed_build(sc, "The tutorial's client", parts, all, n, err, errsz) < 0)
		return -1;
	return 0;
}
