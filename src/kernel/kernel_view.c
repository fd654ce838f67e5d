/*
 * kernel_view: the registry, the table and the capture of one session
 * (kernel_view.h).  The director says when; this says what the kernel
 * answered.
 */
#include "sockstep/kernel_view.h"
#include "sockstep/cut.h"
#include "sockstep/i18n.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define AFTER_END_EVERY 1.0 /* after the end: the countdown's tick */

static double now_t(const struct kernel_view *k)
{
	return event_clock_now() - k->t0;
}

static void warn(struct kernel_view *k, const char *actor, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void warn(struct kernel_view *k, const char *actor, const char *fmt, ...)
{
	struct ss_event ev;
	va_list ap;

	event_init(&ev, SS_EV_NOTE);
	ev.t = now_t(k);
	snprintf(ev.actor, sizeof ev.actor, "%s", actor ? actor : "sockstep");
	ev.u.note.index = 1;
	va_start(ap, fmt);
	vsnprintf(ev.u.note.text, sizeof ev.u.note.text, fmt, ap);
	cut_end(ev.u.note.text); /* a long Chinese note: no half character */
	va_end(ap);
	k->push(k->ctx, &ev);
}

void kernel_view_init(struct kernel_view *k, const struct kernel_view_opts *o,
		      void (*push)(void *ctx, const struct ss_event *ev), void *ctx)
{
	memset(k, 0, sizeof *k);
	k->o = *o;
	k->push = push;
	k->ctx = ctx;
	kernel_view_forget(k);
}

void kernel_view_forget(struct kernel_view *k)
{
	k->exact = 0;
	registry_init(&k->reg);
	table_init(&k->table);
	k->last_table = k->last_live_table = 0;
	k->live_over = 0;
}

static void follow_ports(struct kernel_view *k)
{
	char err[256];

	if (k->cap && capture_set_ports(k->cap, k->reg.ports, k->reg.nports, err,
					sizeof err) < 0)
		warn(k, NULL, "%s", err);
}

static void open_capture(struct kernel_view *k)
{
	char err[256];

	if (!k->o.packets || k->cap_tried)
		return;
	k->cap_tried = 1;
	k->cap = capture_open(k->o.capture_device ? k->o.capture_device : "lo",
			      err, sizeof err);
	if (k->cap == NULL) {
		warn(k, NULL, "%s", err);
		return;
	}
	if (k->reg.nports)
		follow_ports(k);
	if (capture_set_file(k->cap, k->o.pcap_file, err, sizeof err) < 0)
		warn(k, NULL, "%s", err);
}

void kernel_view_start(struct kernel_view *k, double t0, int live)
{
	k->t0 = t0;
	if (live)
		open_capture(k);
	k->table.watch_port = k->o.watch_port;
	if (k->o.watch_port) {
		/* the port's earlier holder, in the table before the first step */
		kernel_view_add_port(k, k->o.watch_port);
		if (kernel_view_snapshot(k) == 0)
			kernel_view_emit(k, 0, 1);
	}
}

void kernel_view_add_port(struct kernel_view *k, int port)
{
	if (registry_add_port(&k->reg, port))
		follow_ports(k);
}

void kernel_view_reference(struct kernel_view *k, const char *actor,
			   const char *ref, char *out, size_t outsz)
{
	if (registry_resolve(&k->reg, ref, out, outsz) == 0 && event_addr_port(out) != 0)
		return;
	if (strcmp(out, "-"))
		warn(k, actor, _("%s has no address yet (never bound or connected): this call gets %s"),
		     ref, out);
	else
		warn(k, actor, _("%s has no address yet (never bound or connected): this call gets no address"),
		     ref);
}

void kernel_view_record(struct kernel_view *k, const struct ss_event *ev,
			const struct ss_addr *target)
{
	if (registry_record(&k->reg, ev))
		follow_ports(k);
	if (target && registry_unix_bound(&k->reg, ev, target) < 0)
		warn(k, ev->actor, _("too many socket files to remove at the end: %s stays"),
		     ev->u.call.local);
}

int kernel_view_snapshot(struct kernel_view *k)
{
	if (!k->o.table || k->reg.nports == 0)
		return 0;
	if ((k->exact ? table_snapshot_known : table_snapshot)(&k->table, &k->reg) < 0) {
		warn(k, NULL, _("no kernel socket table: sock_diag failed: %s"),
		     strerror(errno));
		k->o.table = 0;
		return -1;
	}
	return 0;
}

void kernel_view_emit(struct kernel_view *k, int step, int force)
{
	if (k->o.table && k->reg.nports)
		table_emit_snapshot(&k->table, now_t(k), step, force, k->push, k->ctx);
}

void kernel_view_narrate(struct kernel_view *k, const struct ss_event *call)
{
	table_narrate(&k->table, &k->reg, call, now_t(k), k->push, k->ctx);
}

void kernel_view_live(struct kernel_view *k, double every)
{
	if (now_t(k) - k->last_live_table <= every)
		return;
	k->last_live_table = now_t(k);
	if (kernel_view_snapshot(k) == 0) {
		kernel_view_emit(k, 0, 0);
		kernel_view_narrate(k, NULL);
	}
}

int kernel_view_after_end(struct kernel_view *k)
{
	if (!k->o.table || k->reg.nports == 0 || k->live_over ||
	    now_t(k) - k->last_live_table < AFTER_END_EVERY)
		return 0;
	k->last_live_table = now_t(k);
	if (table_after_end(&k->table, &k->reg, now_t(k), k->push, k->ctx) <= 0)
		k->live_over = 1; /* nothing left that can change */
	return 1;
}

void kernel_view_read_packets(struct kernel_view *k, int last)
{
	if (k->cap == NULL)
		return;
	if (last) {
		/* the last ACK of the close may still be in flight */
		struct timespec ts = {0, 20 * 1000 * 1000};
		nanosleep(&ts, NULL);
	}
	capture_read(k->cap, k->t0, k->push, k->ctx);
}

int kernel_view_fd(const struct kernel_view *k)
{
	return k->cap ? capture_fd(k->cap) : -1;
}

static void remove_socket_files(struct kernel_view *k)
{
	for (int i = 0; i < k->reg.nunix; i++)
		unlink(k->reg.unix_paths[i]);
}

void kernel_view_stop(struct kernel_view *k)
{
	remove_socket_files(k);
	k->reg.nunix = 0;
	if (k->cap)
		capture_close(k->cap);
	k->cap = NULL;
	k->cap_tried = 0;
}
