/* addr: parse, format and convert socket addresses (see addr.h).
 *
 * Limits of this hand-written parser, on purpose:
 *  - IPv6 only inside brackets: in "::1:9001" no reader can tell the port.
 *  - the port is decimal digits (no "+", no spaces, no service names).
 *  - host names are not checked beyond "no ':' and no blanks"; getaddrinfo
 *    judges them when the address is used.
 *  - an address is at most SS_ADDR_MAX - 1 bytes, like the event field
 *    that carries it. */
#include "sockstep/addr.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <net/if.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/un.h>

#include "sockstep/escape.h"
#include "sockstep/i18n.h"

/* One line of reason, the address escaped: it came from outside. */
static int addr_fail(char *err, size_t errsz, const char *text,
		     const char *why)
{
	char shown[SS_ADDR_MAX * 2];

	escape_text(shown, sizeof shown, text);
	if (err && errsz)
		snprintf(err, errsz, _("address '%s': %s"), shown, why);
	return -1;
}

/* "9001" -> 9001; "auto" -> 0 with *autop set (if allowed); else -1. */
static int addr_parse_port(const char *s, int flags, bool *autop)
{
	long port = 0;

	*autop = false;
	if ((flags & ADDR_AUTO) && strcmp(s, "auto") == 0) {
		*autop = true;
		return 0;
	}
	if (*s == '\0' || strlen(s) > 5)
		return -1;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return -1;
		port = port * 10 + (*s - '0');
	}
	return port <= 65535 ? (int)port : -1;
}

/* "[v6%scope]" up to the closing bracket; *rest points after it. */
static int addr_parse_v6(struct ss_addr *a, const char *text,
			 const char **rest, char *err, size_t errsz)
{
	const char *close = strchr(text, ']');
	struct in6_addr in6;

	if (close == NULL)
		return addr_fail(err, errsz, text, _("'[' without its ']'"));
	size_t n = (size_t)(close - text - 1);
	snprintf(a->host, sizeof a->host, "%.*s", (int)n, text + 1);
	char *pct = strchr(a->host, '%');
	if (pct) {
		*pct = '\0';
		if (pct[1] == '\0' || strlen(pct + 1) >= sizeof a->scope)
			return addr_fail(err, errsz, text,
					 _("the scope id after the percent sign must be 1 to 15 characters"));
		snprintf(a->scope, sizeof a->scope, "%s", pct + 1);
	}
	if (inet_pton(AF_INET6, a->host, &in6) != 1)
		return addr_fail(err, errsz, text, _("not an IPv6 address inside [ ]"));
	a->kind = SS_ADDR_INET6;
	*rest = close + 1;
	return 0;
}

/* "host:port" without brackets: dotted IPv4 or (ADDR_NAMES) a name. */
static int addr_parse_v4(struct ss_addr *a, const char *text, int flags,
			 const char **rest, char *err, size_t errsz)
{
	const char *colon = strchr(text, ':');
	struct in_addr in;

	if (colon == NULL)
		return addr_fail(err, errsz, text,
				 _("expected host:port, [v6]:port, /path or @name"));
	if (strchr(colon + 1, ':') != NULL)
		return addr_fail(err, errsz, text,
				 _("an IPv6 address needs brackets: [::1]:9001"));
	if (colon == text)
		return addr_fail(err, errsz, text, _("no host before ':'"));
	snprintf(a->host, sizeof a->host, "%.*s", (int)(colon - text), text);
	if (inet_pton(AF_INET, a->host, &in) == 1)
		a->kind = SS_ADDR_INET;
	else if (!(flags & ADDR_NAMES))
		return addr_fail(err, errsz, text, _("host is not a numeric IPv4 address"));
	else
		a->kind = SS_ADDR_HOST;
	for (const char *c = a->host; *c; c++)
		if (isspace((unsigned char)*c))
			return addr_fail(err, errsz, text, _("blank inside the host"));
	*rest = colon;
	return 0;
}

int addr_parse(struct ss_addr *a, const char *text, int flags, char *err,
	       size_t errsz)
{
	const char *rest = NULL;
	int rc;

	memset(a, 0, sizeof *a);
	a->port = -1;
	if (text == NULL || text[0] == '\0')
		return addr_fail(err, errsz, "", _("empty"));
	if (strlen(text) >= SS_ADDR_MAX)
		return addr_fail(err, errsz, text, _("too long"));
	if (text[0] == '/' || text[0] == '@') {
		if (text[1] == '\0')
			return addr_fail(err, errsz, text, _("no name after it"));
		a->kind = text[0] == '/' ? SS_ADDR_UNIX : SS_ADDR_ABSTRACT;
		snprintf(a->path, sizeof a->path, "%s",
			 text[0] == '/' ? text : text + 1);
		return 0;
	}
	if (text[0] == '[')
		rc = addr_parse_v6(a, text, &rest, err, errsz);
	else
		rc = addr_parse_v4(a, text, flags, &rest, err, errsz);
	if (rc < 0 || rest[0] != ':') {
		if (rc == 0)
			addr_fail(err, errsz, text, _("no ':port' after the host"));
		memset(a, 0, sizeof *a);
		a->port = -1;
		return -1;
	}
	a->port = addr_parse_port(rest + 1, flags, &a->port_auto);
	if (a->port < 0) {
		addr_fail(err, errsz, text,
			  flags & ADDR_AUTO
				  ? _("port is not a number from 0 to 65535 (or auto)")
				  : _("port is not a number from 0 to 65535"));
		memset(a, 0, sizeof *a);
		a->port = -1;
		return -1;
	}
	return 0;
}

void addr_format(const struct ss_addr *a, char *out, size_t outsz)
{
	char port[8];

	if (outsz == 0)
		return;
	out[0] = '\0';
	if (a->port_auto)
		snprintf(port, sizeof port, "auto");
	else
		snprintf(port, sizeof port, "%d", a->port);
	switch (a->kind) {
	case SS_ADDR_INET:
	case SS_ADDR_HOST:
		snprintf(out, outsz, "%s:%s", a->host, port);
		break;
	case SS_ADDR_INET6:
		snprintf(out, outsz, "[%s%s%s]:%s", a->host, a->scope[0] ? "%" : "",
			 a->scope, port);
		break;
	case SS_ADDR_UNIX:
		snprintf(out, outsz, "%s", a->path);
		break;
	case SS_ADDR_ABSTRACT:
		snprintf(out, outsz, "@%s", a->path);
		break;
	case SS_ADDR_NONE:
		break;
	}
}

int addr_port_offset(const char *text)
{
	struct ss_addr a;
	const char *colon;

	if (addr_parse(&a, text, ADDR_NAMES, NULL, 0) < 0 || a.port < 0)
		return -1;
	colon = strrchr(text, ':');
	return (int)(colon - text) + 1;
}

int addr_family(const struct ss_addr *a)
{
	switch (a->kind) {
	case SS_ADDR_INET:
		return AF_INET;
	case SS_ADDR_INET6:
		return AF_INET6;
	case SS_ADDR_UNIX:
	case SS_ADDR_ABSTRACT:
		return AF_UNIX;
	default:
		return AF_UNSPEC;
	}
}

bool addr_is_any(const struct ss_addr *a)
{
	struct in_addr v4;
	struct in6_addr v6;

	switch (a->kind) {
	case SS_ADDR_INET:
		return inet_pton(AF_INET, a->host, &v4) == 1 && v4.s_addr == INADDR_ANY;
	case SS_ADDR_INET6:
		/* "::", "0::0", and ::ffff:0.0.0.0: an AF_INET6 socket bound
		 * to the v4-mapped wildcard takes every IPv4 address */
		if (inet_pton(AF_INET6, a->host, &v6) != 1)
			return false;
		return IN6_IS_ADDR_UNSPECIFIED(&v6) ||
		       (IN6_IS_ADDR_V4MAPPED(&v6) && v6.s6_addr[12] == 0 &&
			v6.s6_addr[13] == 0 && v6.s6_addr[14] == 0 && v6.s6_addr[15] == 0);
	case SS_ADDR_HOST:
		return strcmp(a->host, "*") == 0;
	default:
		return false;
	}
}

static int addr_unix(const struct ss_addr *a, struct sockaddr_storage *ss,
		     socklen_t *len, char *err, size_t errsz)
{
	struct sockaddr_un *un = (struct sockaddr_un *)ss;
	size_t n = strlen(a->path);
	bool abstract = a->kind == SS_ADDR_ABSTRACT;

	/* A path needs its NUL inside sun_path; an abstract name is counted
	 * by the length and starts with a NUL byte instead of '@'. */
	if (n + 1 > sizeof un->sun_path)
		return addr_fail(err, errsz, a->path, _("unix path too long"));
	un->sun_family = AF_UNIX;
	memcpy(un->sun_path + (abstract ? 1 : 0), a->path, n);
	*len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + n + 1);
	return 0;
}

static int addr_scope_id(const struct ss_addr *a, unsigned *id, char *err,
			 size_t errsz)
{
	char *end;
	unsigned long n;

	*id = 0;
	if (a->scope[0] == '\0')
		return 0;
	*id = if_nametoindex(a->scope);
	if (*id != 0)
		return 0;
	errno = 0;
	n = strtoul(a->scope, &end, 10);
	if (*end != '\0' || errno != 0 || n == 0 || n > 0xffffffffUL)
		return addr_fail(err, errsz, a->scope, _("no such interface"));
	*id = (unsigned)n;
	return 0;
}

static int addr_resolve(const struct ss_addr *a, int family, int type,
			struct sockaddr_storage *ss, socklen_t *len, char *err,
			size_t errsz)
{
	struct addrinfo hints, *res = NULL;
	char port[8], why[128];
	int rc;

	memset(&hints, 0, sizeof hints);
	hints.ai_family = family;
	hints.ai_socktype = type;
	hints.ai_flags = AI_NUMERICSERV;
	snprintf(port, sizeof port, "%d", a->port);
	rc = getaddrinfo(a->host, port, &hints, &res);
	if (rc != 0 || res == NULL) {
		snprintf(why, sizeof why, _("cannot resolve: %s"), gai_strerror(rc));
		return addr_fail(err, errsz, a->host, why);
	}
	memcpy(ss, res->ai_addr, res->ai_addrlen);
	*len = res->ai_addrlen;
	freeaddrinfo(res);
	return 0;
}

int addr_sockaddr(const struct ss_addr *a, int family, int type,
		  struct sockaddr_storage *ss, socklen_t *len, char *err,
		  size_t errsz)
{
	memset(ss, 0, sizeof *ss);
	if (a->kind == SS_ADDR_HOST)
		return addr_resolve(a, family, type, ss, len, err, errsz);
	if (a->kind == SS_ADDR_NONE)
		return addr_fail(err, errsz, "", _("empty"));
	/* An AF_UNIX address goes to the kernel whatever the socket: its
	 * answer (EINVAL, EAFNOSUPPORT) is the lesson. */
	if (a->kind == SS_ADDR_UNIX || a->kind == SS_ADDR_ABSTRACT)
		return addr_unix(a, ss, len, err, errsz);
	if (family != 0 && family != addr_family(a))
		return addr_fail(err, errsz, a->host,
				 _("is not of the socket's address family"));
	if (a->kind == SS_ADDR_INET) {
		struct sockaddr_in *in = (struct sockaddr_in *)ss;
		in->sin_family = AF_INET;
		in->sin_port = htons((uint16_t)a->port);
		inet_pton(AF_INET, a->host, &in->sin_addr);
		*len = sizeof *in;
		return 0;
	}
	struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)ss;
	unsigned id;
	if (addr_scope_id(a, &id, err, errsz) < 0)
		return -1;
	in6->sin6_family = AF_INET6;
	in6->sin6_port = htons((uint16_t)a->port);
	in6->sin6_scope_id = id;
	inet_pton(AF_INET6, a->host, &in6->sin6_addr);
	*len = sizeof *in6;
	return 0;
}
