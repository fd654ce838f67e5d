/*
 * addr: the one address vocabulary of sockstep.
 *
 * Every socket address a person or the kernel writes down is parsed here,
 * once, into a tagged value; everything else (the lesson parser, the actors,
 * the UI's port highlighting, the exporters) asks that value, never the text:
 *
 *     127.0.0.1:9001      SS_ADDR_INET       numeric IPv4, port 0..65535
 *     [::1]:9001          SS_ADDR_INET6      brackets required around IPv6
 *     [fe80::1%lo]:80     SS_ADDR_INET6      scope id kept as written ("lo")
 *     localhost:80, *:80  SS_ADDR_HOST       a name, only with ADDR_NAMES
 *     /tmp/x.sock         SS_ADDR_UNIX       AF_UNIX path
 *     @name               SS_ADDR_ABSTRACT   Linux abstract AF_UNIX name
 *
 * With ADDR_AUTO the port may be written "auto": port 0, the kernel picks
 * (bind(2)), and the text formats back as "auto".  Errors follow the house
 * rule: 0 or -1 with one line of reason in err (no file or line prefix; the
 * caller adds its own).  Bytes of a rejected address are escaped in err.
 */
#ifndef SOCKSTEP_ADDR_H
#define SOCKSTEP_ADDR_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/socket.h>

#include "sockstep/event.h"

#define ADDR_SCOPE_MAX 16 /* IF_NAMESIZE: "lo", "eth0", or a number */

/* Flags of addr_parse. */
#define ADDR_AUTO 0x1  /* accept the port "auto" (a lesson's bind) */
#define ADDR_NAMES 0x2 /* accept a host name ("localhost", "*") */

enum ss_addr_kind {
	SS_ADDR_NONE,     /* "" or not parsed */
	SS_ADDR_INET,     /* host is dotted IPv4 */
	SS_ADDR_INET6,    /* host is IPv6 text without brackets or scope */
	SS_ADDR_HOST,     /* host is a name, resolved by addr_sockaddr */
	SS_ADDR_UNIX,     /* path is a filesystem path */
	SS_ADDR_ABSTRACT, /* path is the abstract name without its '@' */
};

struct ss_addr {
	enum ss_addr_kind kind;
	char host[SS_ADDR_MAX];      /* INET, INET6, HOST */
	char scope[ADDR_SCOPE_MAX];  /* INET6 zone as written, "" if none */
	char path[SS_ADDR_MAX];      /* UNIX, ABSTRACT */
	int port;                    /* 0..65535; -1 for AF_UNIX kinds */
	bool port_auto;              /* written "auto" (port is 0) */
};

/* Parse text into *a.  flags: ADDR_AUTO, ADDR_NAMES.  Returns 0, or -1
 * with the reason in err (a->kind is SS_ADDR_NONE then). */
int addr_parse(struct ss_addr *a, const char *text, int flags, char *err,
	       size_t errsz);

/* The text addr_parse reads back to the same value ("[::1]:9001",
 * "@name", "127.0.0.1:auto"); "" for SS_ADDR_NONE.  Truncates to outsz. */
void addr_format(const struct ss_addr *a, char *out, size_t outsz);

/* Offset of the port in text ("127.0.0.1:9001" -> 10, "[::1]:80" -> 6),
 * or -1 if text carries no port (AF_UNIX, malformed): where a display
 * splits host from port without parsing twice. */
int addr_port_offset(const char *text);

/* The sockaddr for a socket of family (AF_INET, AF_INET6, AF_UNIX; 0 for
 * the address's own) and type.  SS_ADDR_HOST is resolved with
 * getaddrinfo(3) here, numerically for the others; a scope names an
 * interface (if_nametoindex) or is its number.  Returns 0 or -1 with err. */
int addr_sockaddr(const struct ss_addr *a, int family, int type,
		  struct sockaddr_storage *ss, socklen_t *len, char *err,
		  size_t errsz);

/* Whether a is the wildcard address of its family (0.0.0.0, ::, or "*"
 * as ss(8) writes it): a listener bound there takes every local address. */
bool addr_is_any(const struct ss_addr *a);

/* The family an address belongs to: AF_INET, AF_INET6, AF_UNIX, or
 * AF_UNSPEC for a host name or SS_ADDR_NONE. */
int addr_family(const struct ss_addr *a);

#endif
