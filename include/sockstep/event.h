/*
 * event: the one record every part of sockstep exchanges.
 *
 * The engine (traced calls in actor processes), the kernel view (sock_diag)
 * and packet capture all produce events; the UI, the text and JSONL writers
 * and the recorder consume them.  An event is a flat, fixed-size value (no
 * pointers) so it can be copied, stored in a bounded ring and sent between
 * processes as one JSONL line.  Every field holds what the kernel reported;
 * -1 or "" means "not reported" and is written as null in JSONL.
 */
#ifndef SOCKSTEP_EVENT_H
#define SOCKSTEP_EVENT_H

#include <stddef.h>
#include <stdint.h>

#define SS_NAME_MAX 16    /* actor, call and socket names */
#define SS_ADDR_MAX 64    /* "127.0.0.1:9001", "[::1]:9001", a unix path */
#define SS_ARGS_MAX 96    /* the call's arguments as a person reads them */
#define SS_PREVIEW_MAX 64 /* raw bytes of data kept with a data call */
#define SS_TEXT_MAX 512   /* narration, notes, expectation reports (170 Chinese characters) */
#define SS_FLAGS_MAX 10   /* tcpdump-style TCP flags: "S.", "P.", "F." */
/* Rows of one socket-table snapshot, everywhere one is kept: the director's
 * table, the UI's, the text sink's.  A snapshot larger than this is cut and
 * said so (a NOTE), never silently. */
#define SS_TABLE_ROWS 256

enum ss_kind {
	SS_EV_CALL,    /* a traced socket call returned */
	SS_EV_BEGIN,   /* an actor is about to make a call (internal: director only) */
	SS_EV_BLOCKED, /* the actor sleeps inside that call (seen in /proc) */
	SS_EV_SOCKET,  /* one row of the kernel's socket table (sock_diag) */
	SS_EV_PACKET,  /* one captured TCP segment */
	SS_EV_STEP,    /* a script step starts: its number and narration */
	SS_EV_EXPECT,  /* an expectation of a lesson was checked */
	SS_EV_NOTE,    /* a message from sockstep itself (info, warning) */
	SS_EV_END,     /* an actor finished a step (internal) */
	SS_EV_QUESTION, /* a lesson asks the learner to predict the next step */
	SS_EV_ANSWER,   /* the prediction checked against the kernel's answer */
	SS_EV_PROCESS,  /* a traced program started, forked, exec'd or exited */
	SS_EV_OUTPUT,   /* a line a traced program wrote to stdout or stderr */
	SS_EV_KIND_COUNT
};

struct ss_call_event {
	char name[SS_NAME_MAX];    /* "socket", "bind", ... */
	char sock[SS_NAME_MAX];    /* the script's name for the socket ("s") */
	char newsock[SS_NAME_MAX]; /* accept/socket: name given to the result */
	char args[SS_ARGS_MAX];    /* "127.0.0.1:9001", "backlog=5", ... */
	int fd;                    /* fd the call acted on, -1 for socket() */
	long ret;                  /* return value; accept: the new fd */
	int err;                   /* errno after a failed call, 0 if none */
	/* After the call, for the socket it returned or acted on (accept: the
	 * new socket): getsockname, getpeername, TCP_INFO state. */
	char local[SS_ADDR_MAX];
	char peer[SS_ADDR_MAX];
	int state;          /* kernel TCP state number (TCP_ESTABLISHED=1...), -1 */
	int queue;          /* listener: accept-queue length (tcpi_unacked), -1 */
	int backlog;        /* listener: backlog (tcpi_sacked), -1 */
	long bytes;         /* data calls: bytes moved, -1 otherwise */
	long unread;        /* data calls: FIONREAD after the call, -1 if unknown */
	int msg_flags;      /* recvmsg flags (MSG_TRUNC), 0 */
	int data_len;       /* bytes kept in data[] (<= SS_PREVIEW_MAX) */
	unsigned char data[SS_PREVIEW_MAX]; /* raw; escaped only when shown */
	unsigned long inode; /* socket inode (fstat), 0 if none */
	int family;          /* AF_INET, AF_INET6, AF_UNIX; 0 if unknown */
	int type;            /* SOCK_STREAM, SOCK_DGRAM; 0 if unknown */
};

struct ss_socket_event {
	char local[SS_ADDR_MAX];
	char peer[SS_ADDR_MAX];
	int state;        /* kernel TCP state number */
	long recv_q;      /* LISTEN: accept queue; else bytes unread */
	long send_q;      /* LISTEN: backlog; else bytes unacknowledged */
	int timer;        /* idiag_timer: 0 none, 1 retransmit, 2 keepalive, 3 TIME_WAIT, 4 probe */
	long timer_ms;    /* time left on that timer, -1 if none */
	unsigned long inode; /* 0: owned by no fd (queued, TIME_WAIT, orphan) */
	char owner[SS_NAME_MAX]; /* actor owning it, "" if none */
	int owner_fd;            /* that actor's fd, -1 if none */
	int snapshot;            /* snapshot number; rows of one snapshot share it */
	int rows;                /* rows in this snapshot (0: an empty table) */
};

struct ss_packet_event {
	char src[SS_ADDR_MAX];
	char dst[SS_ADDR_MAX];
	char flags[SS_FLAGS_MAX]; /* as tcpdump writes them */
	uint32_t seq, ack;        /* absolute */
	uint32_t rel_seq, rel_ack; /* relative to each side's ISN */
	int len;                  /* TCP payload bytes */
	uint16_t win;
};

struct ss_text_event {
	int index; /* STEP: step number (1-based); EXPECT, ANSWER: 1 ok, 0 not;
		    * QUESTION: question number; NOTE: level */
	int count; /* STEP: steps in the script; QUESTION: questions */
	char text[SS_TEXT_MAX];
	/* ANSWER: what the prediction was checked against (the lesson's
	 * "answer:" field, "local.port", "state", "ok") and the kernel's
	 * value of it ("9001", "ESTABLISHED", "yes"); "" if not reported. */
	char field[SS_ADDR_MAX];
	char value[SS_ADDR_MAX];
};

/* What happened to one process of a traced program (sockstep trace). */
struct ss_process_event {
	char what[SS_NAME_MAX]; /* "started", "forked", "exec", "exited" */
	int ppid;               /* forked: the parent's pid; 0 if none */
	int status;             /* exited: exit status; -1 if killed or n/a */
	int signal;             /* exited: the signal that killed it; 0 */
	char command[SS_TEXT_MAX]; /* started/exec: the command line, escaped */
};

struct ss_event {
	enum ss_kind kind;
	double t;                 /* seconds since the session started */
	char actor[SS_NAME_MAX];  /* "server", "client", "client2", "remote", "kernel" */
	int step;                 /* script step (1-based) that caused it, 0 if none */
	int pid;                  /* traced programs: the process; 0 otherwise */
	union {
		struct ss_call_event call;
		struct ss_socket_event sock;
		struct ss_packet_event pkt;
		struct ss_text_event note; /* OUTPUT: index 1 stdout, 2 stderr;
					    * text escaped by the producer */
		struct ss_process_event proc;
	} u;
};

/* Fill an event of the given kind with "nothing reported" values. */
void event_init(struct ss_event *ev, enum ss_kind kind);

/* "call", "socket", ... (JSONL's kind field); NULL for an unknown kind. */
const char *event_kind_name(enum ss_kind kind);
/* The kind named by name, or -1. */
int event_kind_from_name(const char *name);

/* A kernel TCP state missing from <netinet/tcp.h>: a request socket
 * during the handshake (include/net/tcp_states.h), seen in sock_diag
 * dumps.  Every other state is spelled with <netinet/tcp.h>'s TCP_LISTEN,
 * TCP_TIME_WAIT... and never by its number. */
#define SS_TCP_NEW_SYN_RECV 12

/* TCP state as ss(8) names it ("ESTABLISHED", "TIME_WAIT", "SYN_RECV"),
 * "" for -1, "UNKNOWN" for numbers the kernel does not use. */
const char *event_tcp_state_name(int state);
/* The kernel state number of an ss(8) name, or -1. */
int event_tcp_state_from_name(const char *name);

/* Socket family as <sys/socket.h> names it ("AF_INET", "AF_INET6",
 * "AF_UNIX"), NULL if unknown; from a name ("AF_LOCAL" too), or -1. */
const char *event_family_name(int family);
int event_family_from_name(const char *name);
/* Socket type ("SOCK_STREAM", "SOCK_DGRAM", "SOCK_SEQPACKET", "SOCK_RAW"),
 * NULL if unknown; from a name, or -1. */
const char *event_type_name(int type);
int event_type_from_name(const char *name);

/* 1 if a call named name that returned ret gave a new fd (socket, accept,
 * accept4 that succeeded): its return value is that fd. */
int event_call_returns_fd(const char *name, long ret);

/* errno name ("EADDRINUSE"), NULL for 0 or an unknown number. */
const char *event_errno_name(int err);
/* errno number of a name, or 0 if unknown. */
int event_errno_from_name(const char *name);

/* What a call does, whatever the name the kernel or a language gave it:
 * Python's accept() is accept4, its send() is sendto, a C program's
 * write() on a socket sends. */
enum ss_call_role {
	SS_ROLE_OTHER,
	SS_ROLE_NEW,  /* socket, accept, accept4: ret is a new socket's fd */
	SS_ROLE_SEND, /* send, sendto, sendmsg, write, writev */
	SS_ROLE_RECV, /* recv, recvfrom, recvmsg, read, readv */
};
enum ss_call_role event_call_role(const char *name);

/* The port of "127.0.0.1:9001" / "[::1]:9001", or -1 (unix paths, ""). */
int event_addr_port(const char *addr);

/* Make every text field of ev printable in place: a field holding any
 * other byte is escaped whole (escape_text: a control byte becomes \x1b,
 * a backslash \\, a printable character of the locale such as Chinese
 * stays; a field the escapes make too long ends in "..."); a printable
 * field stays as it is (a live event's fields are
 * escaped where they are made: no backslash doubled twice).  For sinks
 * that show an event from a file or a peer as text; data[] is raw bytes
 * and stays as it is. */
void event_escape(struct ss_event *ev);

/* Current time in seconds on the clock every event uses (CLOCK_REALTIME,
 * because libpcap stamps packets with it). */
double event_clock_now(void);

#endif
