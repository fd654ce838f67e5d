/*
 * event: "not reported" defaults and the name tables every part shares
 * (event kinds, TCP states, socket families and types, errno names), so
 * the lesson parser, the UI, the text writer and the JSONL format spell
 * things the same way.
 */
#include "sockstep/event.h"

#include <errno.h>
#include <netinet/tcp.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include "sockstep/addr.h"
#include "sockstep/escape.h"

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

void event_init(struct ss_event *ev, enum ss_kind kind)
{
	memset(ev, 0, sizeof(*ev));
	ev->kind = kind;
	switch (kind) {
	case SS_EV_CALL:
	case SS_EV_BEGIN:
	case SS_EV_BLOCKED:
		ev->u.call.fd = -1;
		ev->u.call.state = -1;
		ev->u.call.queue = -1;
		ev->u.call.backlog = -1;
		ev->u.call.bytes = -1;
		ev->u.call.unread = -1;
		break;
	case SS_EV_SOCKET:
		ev->u.sock.state = -1;
		ev->u.sock.recv_q = -1;
		ev->u.sock.send_q = -1;
		ev->u.sock.timer_ms = -1;
		ev->u.sock.owner_fd = -1;
		break;
	case SS_EV_PROCESS:
		ev->u.proc.status = -1;
		break;
	default:
		/* packet and text events: all-zero is "nothing yet". */
		break;
	}
}

/* Indexed by enum ss_kind; these are the JSONL "kind" values. */
static const char *const kind_names[SS_EV_KIND_COUNT] = {
	[SS_EV_CALL] = "call",	   [SS_EV_BEGIN] = "begin", [SS_EV_BLOCKED] = "blocked",
	[SS_EV_SOCKET] = "socket", [SS_EV_PACKET] = "packet", [SS_EV_STEP] = "step",
	[SS_EV_EXPECT] = "expect", [SS_EV_NOTE] = "note",	  [SS_EV_END] = "end",
	[SS_EV_QUESTION] = "question", [SS_EV_ANSWER] = "answer",
	[SS_EV_PROCESS] = "process", [SS_EV_OUTPUT] = "output",
};

const char *event_kind_name(enum ss_kind kind)
{
	if ((unsigned)kind >= SS_EV_KIND_COUNT)
		return NULL;
	return kind_names[kind];
}

int event_kind_from_name(const char *name)
{
	if (name == NULL)
		return -1;
	for (size_t i = 0; i < ARRAY_LEN(kind_names); i++)
		if (kind_names[i] != NULL && strcmp(kind_names[i], name) == 0)
			return (int)i;
	return -1;
}

/* Kernel numbering from include/net/tcp_states.h (TCP_ESTABLISHED = 1 ...).
 * ss(8) prints these with dashes ("SYN-SENT"); we keep the kernel's
 * underscores so a name is also a valid identifier in scripts. */
static const char *const tcp_state_names[] = {
	[TCP_ESTABLISHED] = "ESTABLISHED", [TCP_SYN_SENT] = "SYN_SENT",
	[TCP_SYN_RECV] = "SYN_RECV",	   [TCP_FIN_WAIT1] = "FIN_WAIT1",
	[TCP_FIN_WAIT2] = "FIN_WAIT2",	   [TCP_TIME_WAIT] = "TIME_WAIT",
	[TCP_CLOSE] = "CLOSE",		   [TCP_CLOSE_WAIT] = "CLOSE_WAIT",
	[TCP_LAST_ACK] = "LAST_ACK",	   [TCP_LISTEN] = "LISTEN",
	[TCP_CLOSING] = "CLOSING",	   [SS_TCP_NEW_SYN_RECV] = "NEW_SYN_RECV",
};

const char *event_tcp_state_name(int state)
{
	if (state == -1)
		return "";
	if (state < 0 || (size_t)state >= ARRAY_LEN(tcp_state_names) ||
	    tcp_state_names[state] == NULL)
		return "UNKNOWN";
	return tcp_state_names[state];
}

int event_tcp_state_from_name(const char *name)
{
	if (name == NULL)
		return -1;
	for (size_t i = 0; i < ARRAY_LEN(tcp_state_names); i++)
		if (tcp_state_names[i] != NULL && strcmp(tcp_state_names[i], name) == 0)
			return (int)i;
	return -1;
}

struct ss_name {
	int value;
	const char *name;
};

/* <sys/socket.h> names.  The first name of a value is the one written;
 * AF_LOCAL is POSIX's other name for AF_UNIX and is read, never written. */
static const struct ss_name family_names[] = {
	{AF_INET, "AF_INET"}, {AF_INET6, "AF_INET6"}, {AF_UNIX, "AF_UNIX"},
	{AF_UNIX, "AF_LOCAL"},
};
static const struct ss_name type_names[] = {
	{SOCK_STREAM, "SOCK_STREAM"},
	{SOCK_DGRAM, "SOCK_DGRAM"},
	{SOCK_SEQPACKET, "SOCK_SEQPACKET"},
	{SOCK_RAW, "SOCK_RAW"},
};

static const char *name_of(const struct ss_name *t, size_t n, int value)
{
	for (size_t i = 0; i < n; i++)
		if (t[i].value == value)
			return t[i].name;
	return NULL;
}

static int value_of(const struct ss_name *t, size_t n, const char *name)
{
	for (size_t i = 0; name != NULL && i < n; i++)
		if (strcmp(t[i].name, name) == 0)
			return t[i].value;
	return -1;
}

const char *event_family_name(int family)
{
	return name_of(family_names, ARRAY_LEN(family_names), family);
}

int event_family_from_name(const char *name)
{
	return value_of(family_names, ARRAY_LEN(family_names), name);
}

const char *event_type_name(int type)
{
	return name_of(type_names, ARRAY_LEN(type_names), type);
}

int event_type_from_name(const char *name)
{
	return value_of(type_names, ARRAY_LEN(type_names), name);
}

struct errno_name {
	int err;
	const char *name;
};

#define E(x) { x, #x }
/* Socket-relevant errnos first.  Lookups by number take the first match,
 * so where Linux gives one number two names (EWOULDBLOCK == EAGAIN,
 * ENOTSUP == EOPNOTSUPP, EDEADLOCK == EDEADLK) the name listed first is the
 * one we print; the aliases at the end are accepted when parsing. */
static const struct errno_name errno_names[] = {
	E(EADDRINUSE),	  E(EADDRNOTAVAIL), E(ECONNREFUSED), E(ECONNRESET),    E(ETIMEDOUT),
	E(EAGAIN),	  E(EINPROGRESS),   E(EALREADY),     E(EISCONN),       E(ENOTCONN),
	E(EPIPE),	  E(EINVAL),	    E(EBADF),	     E(ENOTSOCK),      E(EACCES),
	E(EPERM),	  E(EAFNOSUPPORT),  E(EPROTONOSUPPORT), E(EOPNOTSUPP), E(EMSGSIZE),
	E(ENOBUFS),	  E(ENOMEM),	    E(EINTR),	     E(EHOSTUNREACH),  E(ENETUNREACH),
	E(ENOENT),	  E(EEXIST),	    E(EFAULT),	     E(EMFILE),	       E(ENFILE),
	E(ENOPROTOOPT),	  E(EDESTADDRREQ),  E(ECONNABORTED), E(ENETDOWN),      E(ESHUTDOWN),
	E(EHOSTDOWN),	  E(ENETRESET),	    E(EPROTOTYPE),   E(EPROTO),	       E(ESOCKTNOSUPPORT),
	E(EPFNOSUPPORT),  E(ETOOMANYREFS),  E(ENOTDIR),	     E(EISDIR),	       E(EROFS),
	E(ENAMETOOLONG),  E(ELOOP),	    E(ENOTEMPTY),    E(ENOSPC),	       E(EIO),
	E(ENXIO),	  E(E2BIG),	    E(ENOEXEC),	     E(ECHILD),	       E(ESRCH),
	E(EBUSY),	  E(EXDEV),	    E(ENODEV),	     E(ENOTTY),	       E(ETXTBSY),
	E(EFBIG),	  E(ESPIPE),	    E(EMLINK),	     E(EDOM),	       E(ERANGE),
	E(EDEADLK),	  E(ENOLCK),	    E(ENOSYS),	     E(ENODATA),       E(ETIME),
	E(EOVERFLOW),	  E(EBADMSG),	    E(EILSEQ),	     E(ECANCELED),     E(ENOTBLK),
	E(EREMOTEIO),	  E(ENOKEY),	    E(EKEYEXPIRED),  E(EKEYREVOKED),   E(EKEYREJECTED),
	E(EOWNERDEAD),	  E(ENOTRECOVERABLE), E(ERFKILL),    E(EHWPOISON),     E(EUSERS),
	E(EDQUOT),	  E(ESTALE),	    E(ENOMEDIUM),    E(EMEDIUMTYPE),   E(ENOSTR),
	E(ENOSR),	  E(ENOLINK),	    E(ECOMM),	     E(EREMOTE),       E(ENONET),
	E(ENOPKG),	  E(ENOCSI),	    E(EL2HLT),	     E(EL2NSYNC),      E(EL3HLT),
	E(EL3RST),	  E(ELNRNG),	    E(EUNATCH),	     E(EBADE),	       E(EBADR),
	E(EXFULL),	  E(ENOANO),	    E(EBADRQC),	     E(EBADSLT),       E(EBFONT),
	E(EADV),	  E(ESRMNT),	    E(EDOTDOT),	     E(EMULTIHOP),     E(ENOTUNIQ),
	E(EBADFD),	  E(EREMCHG),	    E(ELIBACC),	     E(ELIBBAD),       E(ELIBSCN),
	E(ELIBMAX),	  E(ELIBEXEC),	    E(ERESTART),     E(ESTRPIPE),      E(EUCLEAN),
	E(ENOTNAM),	  E(ENAVAIL),	    E(EISNAM),	     E(ECHRNG),
	/* Aliases: same numbers as names above on Linux. */
	E(EWOULDBLOCK),	  E(ENOTSUP),	    E(EDEADLOCK),
};
#undef E

const char *event_errno_name(int err)
{
	if (err == 0)
		return NULL;
	for (size_t i = 0; i < ARRAY_LEN(errno_names); i++)
		if (errno_names[i].err == err)
			return errno_names[i].name;
	return NULL;
}

int event_errno_from_name(const char *name)
{
	if (name == NULL)
		return 0;
	for (size_t i = 0; i < ARRAY_LEN(errno_names); i++)
		if (strcmp(errno_names[i].name, name) == 0)
			return errno_names[i].err;
	return 0;
}

/* The address vocabulary (addr.c) decides; a name ("*") counts as a host
 * because ss(8)-style text may hold one. */
int event_addr_port(const char *addr)
{
	struct ss_addr a;

	if (addr == NULL || addr_parse(&a, addr, ADDR_NAMES, NULL, 0) < 0)
		return -1;
	return a.port;
}

double event_clock_now(void)
{
	struct timespec ts;
	if (clock_gettime(CLOCK_REALTIME, &ts) != 0)
		return 0.0;
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

enum ss_call_role event_call_role(const char *name)
{
	static const struct {
		const char *name;
		enum ss_call_role role;
	} roles[] = {
		{"socket", SS_ROLE_NEW},   {"accept", SS_ROLE_NEW},  {"accept4", SS_ROLE_NEW},
		{"send", SS_ROLE_SEND},	   {"sendto", SS_ROLE_SEND}, {"sendmsg", SS_ROLE_SEND},
		{"write", SS_ROLE_SEND},   {"writev", SS_ROLE_SEND}, {"recv", SS_ROLE_RECV},
		{"recvfrom", SS_ROLE_RECV}, {"recvmsg", SS_ROLE_RECV}, {"read", SS_ROLE_RECV},
		{"readv", SS_ROLE_RECV},
	};

	for (size_t i = 0; i < ARRAY_LEN(roles); i++)
		if (strcmp(roles[i].name, name) == 0)
			return roles[i].role;
	return SS_ROLE_OTHER;
}

int event_call_returns_fd(const char *name, long ret)
{
	return ret >= 0 && event_call_role(name) == SS_ROLE_NEW;
}

/* One fixed-size field escaped in place. */
#define ESCAPE_FIELD(f) escape_field((f), sizeof(f))

/* Bytes of the longest prefix of s, an escape_text output, made of whole
 * pieces (an escape "\\x1b" / "\\n", a character) and at most max long. */
static size_t whole_pieces(const char *s, size_t max)
{
	size_t n = 0;

	while (s[n]) {
		unsigned char c = (unsigned char)s[n];
		size_t len = c == '\\' ? (s[n + 1] == 'x' ? 4 : 2)
			     : c < 0x80	   ? 1
			     : c >= 0xf0   ? 4
			     : c >= 0xe0   ? 3
					   : 2;
		if (n + len > max)
			break;
		n += len;
	}
	return n;
}

static void escape_field(char *field, size_t size)
{
	/* room for every byte of the field escaped (4 each) */
	char shown[SS_TEXT_MAX * 4 + 1];

	/* Printable already (a live event's fields are escaped where they
	 * are made): kept as is, its backslashes not doubled.  A person's
	 * text (a Chinese narration) keeps its characters: escape_text. */
	if (escape_text_clean(field))
		return;
	escape_text(shown, sizeof shown, field);
	if (strlen(shown) < size) {
		memcpy(field, shown, strlen(shown) + 1);
		return;
	}
	/* too long once escaped: cut between escapes and characters, and
	 * say so */
	size_t n = whole_pieces(shown, size - 4);
	memcpy(field, shown, n);
	memcpy(field + n, "...", 4);
}

void event_escape(struct ss_event *ev)
{
	ESCAPE_FIELD(ev->actor);
	switch (ev->kind) {
	case SS_EV_CALL:
	case SS_EV_BEGIN:
	case SS_EV_BLOCKED:
	case SS_EV_END:
		ESCAPE_FIELD(ev->u.call.name);
		ESCAPE_FIELD(ev->u.call.sock);
		ESCAPE_FIELD(ev->u.call.newsock);
		ESCAPE_FIELD(ev->u.call.args);
		ESCAPE_FIELD(ev->u.call.local);
		ESCAPE_FIELD(ev->u.call.peer);
		break;
	case SS_EV_SOCKET:
		ESCAPE_FIELD(ev->u.sock.local);
		ESCAPE_FIELD(ev->u.sock.peer);
		ESCAPE_FIELD(ev->u.sock.owner);
		break;
	case SS_EV_PACKET:
		ESCAPE_FIELD(ev->u.pkt.src);
		ESCAPE_FIELD(ev->u.pkt.dst);
		ESCAPE_FIELD(ev->u.pkt.flags);
		break;
	case SS_EV_PROCESS:
		ESCAPE_FIELD(ev->u.proc.what);
		ESCAPE_FIELD(ev->u.proc.command);
		break;
	default: /* STEP, EXPECT, NOTE, QUESTION, ANSWER, OUTPUT */
		ESCAPE_FIELD(ev->u.note.text);
		ESCAPE_FIELD(ev->u.note.field);
		ESCAPE_FIELD(ev->u.note.value);
		break;
	}
}
