/*
 * kernel_view: the session as the kernel sees it, for the director.  The
 * registry of the session's sockets (fed every call), the ports it follows
 * (the capture's filter and the table's dump follow them), the kernel's
 * table (snapshots, emitted as socket events, narrated, the countdown
 * after the end) and the packet capture.  The director decides when
 * (policy); this module does it and says what failed as a warning note.
 *
 * Everything it produces goes to the push callback (the director's merge),
 * with t in seconds since t0.  Ownership: a plain value the director
 * embeds; kernel_view_forget resets it (a restart), kernel_view_stop closes
 * the capture and removes the socket files the session made.  The options
 * it copies; pcap_file must outlive it.
 */
#ifndef SOCKSTEP_KERNEL_VIEW_H
#define SOCKSTEP_KERNEL_VIEW_H

#include "sockstep/addr.h"
#include "sockstep/capture.h"
#include "sockstep/event.h"
#include "sockstep/registry.h"
#include "sockstep/table.h"

struct kernel_view_opts {
	int packets;                /* try to capture packets */
	const char *capture_device; /* "lo" (default), or "any" */
	struct capture_file *pcap_file; /* --pcap, or NULL */
	int table;                  /* sock_diag snapshots */
	int watch_port;             /* a port shown from the start, or 0 */
};

struct kernel_view {
	struct kernel_view_opts o; /* o.table goes 0 when sock_diag fails */
	/* 1: snapshots look up the session's known 4-tuples only, not the
	 * machine's table (a script running free: cost per step) */
	int exact;
	double t0;
	void (*push)(void *ctx, const struct ss_event *ev);
	void *ctx;
	struct registry reg;
	struct table table;
	struct capture *cap; /* NULL: no packets */
	int cap_tried;
	double last_table;      /* when the last step's snapshot was taken */
	double last_live_table; /* when the last live snapshot was taken */
	int live_over;          /* after the end: no row left to watch */
};

void kernel_view_init(struct kernel_view *k, const struct kernel_view_opts *o,
		      void (*push)(void *ctx, const struct ss_event *ev), void *ctx);
/* Forget the session (registry, table, clocks: a restart); the options
 * (a table found missing stays so) and the capture are kept. */
void kernel_view_forget(struct kernel_view *k);
/* The session begins at t0: open the capture (unless live is 0: a
 * recording has its packets), show the watched port's earlier holders. */
void kernel_view_start(struct kernel_view *k, double t0, int live);
/* Follow port (capture and table). */
void kernel_view_add_port(struct kernel_view *k, int port);
/* A script's reference to a socket ("client.k") -> the local address the
 * kernel gave it, into out ("-" if unknown).  A socket never bound nor
 * connected has none (0.0.0.0:0): the call would quietly get the wildcard
 * and port 0, so that is said (a warning note about actor). */
void kernel_view_reference(struct kernel_view *k, const char *actor,
			   const char *ref, char *out, size_t outsz);
/* A call event: the registry learns it; a bind of target (a unix path
 * given in the script, or NULL) is a file to remove at the end. */
void kernel_view_record(struct kernel_view *k, const struct ss_event *ev,
			const struct ss_addr *target);
/* Ask the kernel for the session's table.  0, or -1 (no table: said once,
 * and no more snapshots). */
int kernel_view_snapshot(struct kernel_view *k);
/* The table as socket events (only if changed unless force); step 0: not
 * after a step. */
void kernel_view_emit(struct kernel_view *k, int step, int force);
/* Narration drawn from the table, citing call (or none). */
void kernel_view_narrate(struct kernel_view *k, const struct ss_event *call);
/* While a call waits in the kernel: a snapshot at most every `every`
 * seconds, emitted if changed and narrated. */
void kernel_view_live(struct kernel_view *k, double every);
/* After the last step: the table once a second, so TIME_WAIT counts down
 * and its row goes.  0 once nothing is left that can change. */
int kernel_view_after_end(struct kernel_view *k);
/* Packets captured so far into the stream; last: wait 20 ms first for
 * the close's last ACK. */
void kernel_view_read_packets(struct kernel_view *k, int last);
/* The capture's fd to poll, or -1. */
int kernel_view_fd(const struct kernel_view *k);
/* Close the capture and remove the session's socket files. */
void kernel_view_stop(struct kernel_view *k);

#endif
