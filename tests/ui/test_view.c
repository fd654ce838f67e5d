/* view: the UI's model shows what the events say — the accepted socket
 * beside its listener, a blocked call until it returns, peer bytes made
 * harmless — and stays bounded however long the session runs. */
#include <check.h>
#include <curses.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "sockstep/ui.h"
#include "sockstep/view.h"

static struct ss_event call(const char *actor, int step, const char *name,
			    const char *sock, long ret, const char *local,
			    const char *peer, int state)
{
	struct ss_event ev;

	event_init(&ev, SS_EV_CALL);
	snprintf(ev.actor, sizeof ev.actor, "%s", actor);
	ev.step = step;
	snprintf(ev.u.call.name, sizeof ev.u.call.name, "%s", name);
	snprintf(ev.u.call.sock, sizeof ev.u.call.sock, "%s", sock);
	ev.u.call.ret = ret;
	snprintf(ev.u.call.local, sizeof ev.u.call.local, "%s", local);
	snprintf(ev.u.call.peer, sizeof ev.u.call.peer, "%s", peer);
	ev.u.call.state = state;
	return ev;
}

static struct ss_event row(int snapshot, int rows, const char *owner, int fd,
			   const char *local, const char *peer, int state)
{
	struct ss_event ev;

	event_init(&ev, SS_EV_SOCKET);
	snprintf(ev.actor, sizeof ev.actor, "kernel");
	ev.u.sock.snapshot = snapshot;
	ev.u.sock.rows = rows;
	snprintf(ev.u.sock.owner, sizeof ev.u.sock.owner, "%s", owner);
	ev.u.sock.owner_fd = fd;
	snprintf(ev.u.sock.local, sizeof ev.u.sock.local, "%s", local);
	snprintf(ev.u.sock.peer, sizeof ev.u.sock.peer, "%s", peer);
	ev.u.sock.state = state;
	ev.u.sock.recv_q = 0;
	ev.u.sock.send_q = state == 10 ? 5 : 0;
	return ev;
}

static int printable(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || (unsigned char)*s == 0x7f)
			return 0;
	return 1;
}

START_TEST(accepted_socket_row_keeps_listening_port)
{
	struct ui_view *v = ui_view_new(0, "live");
	struct ss_event a = row(4, 3, "server", 3, "127.0.0.1:9001", "0.0.0.0:0", 10);
	struct ss_event b = row(4, 3, "server", 6, "127.0.0.1:9001", "127.0.0.1:41000", 1);
	struct ss_event c = row(4, 3, "client", 3, "127.0.0.1:41000", "127.0.0.1:9001", 1);

	ui_view_add(v, &a);
	ui_view_add(v, &b);
	/* half a snapshot is never shown */
	ck_assert_int_eq(v->have_table, 0);
	ui_view_add(v, &c);
	ck_assert_int_eq(v->ntable, 3);
	ck_assert_str_eq(v->table[0].owner, "server fd 3");
	ck_assert_int_eq(v->table[0].listen, 1);
	ck_assert_str_eq(v->table[1].owner, "server fd 6");
	ck_assert_str_eq(v->table[1].local, v->table[0].local);
	ck_assert_str_eq(v->table[1].state, "ESTABLISHED");
	ui_view_free(v);
}
END_TEST

START_TEST(empty_snapshot_empties_the_table)
{
	struct ui_view *v = ui_view_new(0, "live");
	struct ss_event a = row(1, 1, "server", 3, "127.0.0.1:9001", "0.0.0.0:0", 10);
	struct ss_event e = row(2, 0, "", -1, "", "", -1);

	ui_view_add(v, &a);
	ck_assert_int_eq(v->ntable, 1);
	ui_view_add(v, &e);
	ck_assert_int_eq(v->have_table, 1);
	ck_assert_int_eq(v->ntable, 0);
	ui_view_free(v);
}
END_TEST

START_TEST(blocked_accept_is_replaced_by_its_result_in_place)
{
	struct ui_view *v = ui_view_new(0, "live");
	struct ss_event b, c, k;
	const struct ui_line *l;

	event_init(&b, SS_EV_BLOCKED);
	snprintf(b.actor, sizeof b.actor, "server");
	b.step = 4;
	snprintf(b.u.call.name, sizeof b.u.call.name, "accept");
	snprintf(b.u.call.sock, sizeof b.u.call.sock, "s");
	ui_view_add(v, &b);
	ck_assert_uint_eq(v->pane[UI_PANE_SERVER].count, 1);
	l = ui_ring_at(&v->pane[UI_PANE_SERVER], 0);
	ck_assert_int_eq(l->kind, UI_LINE_BLOCKED);

	k = call("client", 6, "connect", "k", 0, "127.0.0.1:41000", "127.0.0.1:9001", 1);
	ui_view_add(v, &k);
	c = call("server", 4, "accept", "s", 6, "127.0.0.1:9001", "127.0.0.1:41000", 1);
	snprintf(c.u.call.newsock, sizeof c.u.call.newsock, "c");
	ui_view_add(v, &c);
	ck_assert_uint_eq(v->pane[UI_PANE_SERVER].count, 1);
	ck_assert_int_eq(l->kind, UI_LINE_CALL);
	ck_assert_str_eq(l->text, "c = accept(s) = 6 (new fd)");
	ck_assert_str_eq(l->peer, "127.0.0.1:41000");
	ck_assert_str_eq(l->state, "ESTABLISHED");
	ck_assert_uint_eq(v->pane[UI_PANE_CLIENT].count, 1);
	/* the diagram keeps both: blocked, then returned */
	ck_assert_uint_eq(v->pane[UI_PANE_SEQ].count, 3);
	ui_view_free(v);
}
END_TEST

/* sockstep trace: a forking server's parent waits at accept4 while its
 * child reads; each process has its own line, replaced in place. */
START_TEST(traced_calls_wait_then_block_then_return_in_place_per_process)
{
	struct ui_view *v = ui_view_new(0, "trace");
	struct ss_event w, b, c, child;
	const struct ui_line *l;

	w = call("server", 0, "accept4", "fd3", 0, "", "", -1);
	w.kind = SS_EV_BEGIN;
	w.pid = 100;
	ui_view_add(v, &w);
	l = ui_ring_at(&v->pane[UI_PANE_SERVER], 0);
	ck_assert_int_eq(l->kind, UI_LINE_WAITING);
	ck_assert_str_eq(l->text, "[100] accept4(fd3)");
	child = call("server", 0, "read", "fd4", 1, "127.0.0.1:9001", "127.0.0.1:41000", 1);
	child.kind = SS_EV_BEGIN;
	child.pid = 101;
	ui_view_add(v, &child); /* another process: a line of its own */
	ck_assert_uint_eq(v->pane[UI_PANE_SERVER].count, 2);
	b = w;
	b.kind = SS_EV_BLOCKED;
	ui_view_add(v, &b);
	ck_assert_uint_eq(v->pane[UI_PANE_SERVER].count, 2);
	ck_assert_int_eq(l->kind, UI_LINE_BLOCKED);
	c = call("server", 0, "accept4", "fd3", 4, "127.0.0.1:9001", "127.0.0.1:41002", 1);
	c.pid = 100;
	snprintf(c.u.call.newsock, sizeof c.u.call.newsock, "fd4");
	ui_view_add(v, &c);
	ck_assert_uint_eq(v->pane[UI_PANE_SERVER].count, 2);
	ck_assert_int_eq(l->kind, UI_LINE_CALL);
	ck_assert_str_eq(l->text, "[100] fd4 = accept4(fd3) = 4 (new fd)");
	ck_assert_int_eq(ui_ring_at(&v->pane[UI_PANE_SERVER], 1)->kind, UI_LINE_WAITING);
	/* the diagram shows what happened, not what waited: blocked, returned */
	ck_assert_uint_eq(v->pane[UI_PANE_SEQ].count, 2);
	ui_view_free(v);
}
END_TEST

START_TEST(failed_call_shows_errno_name_and_message)
{
	struct ui_view *v = ui_view_new(0, "live");
	struct ss_event e = call("server", 2, "bind", "s", -1, "0.0.0.0:0", "", 7);
	const struct ui_line *l;

	e.u.call.err = 98; /* EADDRINUSE */
	snprintf(e.u.call.args, sizeof e.u.call.args, "127.0.0.1:9001");
	ui_view_add(v, &e);
	l = ui_ring_at(&v->pane[UI_PANE_SERVER], 0);
	ck_assert_int_eq(l->failed, 1);
	ck_assert_ptr_nonnull(strstr(l->text, "= -1 EADDRINUSE (Address already in use)"));
	ui_view_free(v);
}
END_TEST

START_TEST(peer_bytes_never_reach_the_view_raw)
{
	struct ui_view *v = ui_view_new(0, "live");
	struct ss_event e = call("client", 12, "recv", "k", 9, "127.0.0.1:41000",
				 "127.0.0.1:9001", 1);
	const char evil[] = "\x1b[2J\x1b]0;x\x07";
	const struct ui_line *l;

	memcpy(e.u.call.data, evil, sizeof evil - 1);
	e.u.call.data_len = (int)sizeof evil - 1;
	e.u.call.bytes = e.u.call.data_len;
	ui_view_add(v, &e);
	l = ui_ring_at(&v->pane[UI_PANE_CLIENT], 0);
	ck_assert(printable(l->text));
	ck_assert_ptr_nonnull(strstr(l->text, "\\x1b[2J"));
	ui_view_free(v);
}
END_TEST

START_TEST(narration_keeps_utf8_and_escapes_control_bytes)
{
	struct ui_view *v = ui_view_new(0, "live");
	struct ss_event s;
	const struct ui_narr *n;

	event_init(&s, SS_EV_STEP);
	snprintf(s.actor, sizeof s.actor, "server");
	s.u.note.index = 3;
	s.u.note.count = 15;
	snprintf(s.u.note.text, sizeof s.u.note.text, "port \xe2\x86\x92 queue\x1b[31m\xc2\x9b\xff");
	ui_view_add(v, &s);
	ck_assert_int_eq(v->step, 3);
	ck_assert_int_eq(v->nsteps, 15);
	n = ui_view_narr_at(v, 0);
	/* the character kept, each control byte shown as escape_text shows it */
	ck_assert_str_eq(n->text, "port \xe2\x86\x92 queue\\x1b[31m\\xc2\\x9b\\xff");
	ui_view_free(v);
}
END_TEST

START_TEST(packets_point_from_the_side_that_sent_them)
{
	struct ui_view *v = ui_view_new(0, "live");
	struct ss_event l = call("server", 3, "listen", "s", 0, "127.0.0.1:9001", "", 10);
	struct ss_event p;
	const struct ui_ring *r = &v->pane[UI_PANE_SEQ];

	ui_view_add(v, &l);
	event_init(&p, SS_EV_PACKET);
	snprintf(p.u.pkt.src, sizeof p.u.pkt.src, "127.0.0.1:41000");
	snprintf(p.u.pkt.dst, sizeof p.u.pkt.dst, "127.0.0.1:9001");
	snprintf(p.u.pkt.flags, sizeof p.u.pkt.flags, "S");
	ui_view_add(v, &p);
	ck_assert_int_eq(ui_ring_at(r, 1)->side, UI_CLIENT);
	ck_assert_str_eq(ui_ring_at(r, 1)->text, "S seq 0");
	snprintf(p.u.pkt.src, sizeof p.u.pkt.src, "127.0.0.1:9001");
	snprintf(p.u.pkt.dst, sizeof p.u.pkt.dst, "127.0.0.1:41000");
	snprintf(p.u.pkt.flags, sizeof p.u.pkt.flags, "S.");
	p.u.pkt.rel_ack = 1;
	ui_view_add(v, &p);
	ck_assert_int_eq(ui_ring_at(r, 2)->side, UI_SERVER);
	ck_assert_str_eq(ui_ring_at(r, 2)->text, "S. seq 0 ack 1");
	ck_assert_uint_eq(v->packets, 2);
	ui_view_free(v);
}
END_TEST

START_TEST(one_sided_server_lists_the_remote_peer)
{
	struct ui_view *v = ui_view_new(1, "server");
	struct ss_event a = call("server", 4, "accept", "s", 4, "127.0.0.1:9001",
				 "127.0.0.1:41000", 1);

	ui_view_add(v, &a);
	ui_view_add(v, &a);
	ck_assert_uint_eq(v->pane[UI_PANE_CLIENT].count, 1);
	ck_assert_int_eq(ui_ring_at(&v->pane[UI_PANE_CLIENT], 0)->kind, UI_LINE_PEER);
	ck_assert_str_eq(v->addr[UI_CLIENT], "127.0.0.1:41000");
	ui_view_free(v);
}
END_TEST

START_TEST(a_warning_is_shown_once)
{
	struct ui_view *v = ui_view_new(0, "live");
	struct ss_event n;

	event_init(&n, SS_EV_NOTE);
	snprintf(n.actor, sizeof n.actor, "sockstep");
	n.u.note.index = 1;
	snprintf(n.u.note.text, sizeof n.u.note.text, "no packets: capture needs CAP_NET_RAW");
	ui_view_add(v, &n);
	ck_assert_str_eq(v->message, "no packets: capture needs CAP_NET_RAW");
	ck_assert_str_eq(v->no_packets, "no packets: capture needs CAP_NET_RAW");
	v->message[0] = '\0';
	ui_view_add(v, &n);
	ck_assert_str_eq(v->message, "");
	ui_view_free(v);
}
END_TEST

START_TEST(history_is_bounded_and_clear_forgets_it)
{
	struct ui_view *v = ui_view_new(0, "live");
	struct ss_event e = call("client", 1, "send", "k", 1, "127.0.0.1:41000",
				 "127.0.0.1:9001", 1);
	const struct ui_ring *r = &v->pane[UI_PANE_CLIENT];

	for (int i = 0; i < 3 * UI_VIEW_LINES + 7; i++) {
		e.step = i;
		ui_view_add(v, &e);
	}
	ck_assert_uint_eq(r->count, 3 * UI_VIEW_LINES + 7);
	ck_assert_uint_eq(ui_ring_first(r), 2 * UI_VIEW_LINES + 7);
	ck_assert_int_eq(ui_ring_at(r, ui_ring_first(r))->step, 2 * UI_VIEW_LINES + 7);
	ck_assert_int_eq(ui_ring_at(r, r->count - 1)->step, 3 * UI_VIEW_LINES + 6);
	ui_view_clear(v);
	ck_assert_uint_eq(v->pane[UI_PANE_CLIENT].count, 0);
	ck_assert_uint_eq(v->events, 0);
	ui_view_free(v);
}
END_TEST

/* A frame costs the screen, not the history: drawing after 100 000 events
 * takes about as long as after 10. */
static double frame_ms(struct ui_view *v, struct ui_screen *s, int rows, int cols)
{
	struct timespec a, b;

	clock_gettime(CLOCK_MONOTONIC, &a);
	for (int i = 0; i < 20; i++)
		ui_draw_frame(v, s, rows, cols);
	clock_gettime(CLOCK_MONOTONIC, &b);
	return ((b.tv_sec - a.tv_sec) * 1e3 + (b.tv_nsec - a.tv_nsec) / 1e6) / 20;
}

START_TEST(frame_cost_does_not_grow_with_history)
{
	FILE *null = fopen("/dev/null", "r+");
	SCREEN *scr = null ? newterm("vt100", null, null) : NULL;
	struct ui_view *v = ui_view_new(0, "live");
	struct ui_opts o = {.title = "bench", .mode = "live"};
	struct ui_screen s;
	struct ss_event e = call("server", 1, "recv", "c", 1, "127.0.0.1:9001",
				 "127.0.0.1:41000", 1);
	double small, big;

	if (scr == NULL) {
		fprintf(stderr, "no vt100 terminfo: frame test not run\n");
		if (null)
			fclose(null);
		ui_view_free(v);
		return;
	}
	ui_draw_setup(0, 0);
	ui_screen_init(&s, &o);
	for (int i = 0; i < 10; i++)
		ui_view_add(v, &e);
	small = frame_ms(v, &s, 60, 200);
	for (int i = 0; i < 100000; i++) {
		snprintf(e.actor, sizeof e.actor, "%s", i % 2 ? "server" : "client");
		ui_view_add(v, &e);
	}
	big = frame_ms(v, &s, 60, 200);
	ck_assert_msg(big < small * 5 + 2, "frame %.3f ms after 100000 events, %.3f after 10",
		      big, small);
	/* scrolled to the oldest line, and too small: still fine */
	s.anchor[UI_PANE_SERVER] = 0;
	ui_draw_frame(v, &s, 24, 80);
	ui_draw_frame(v, &s, 10, 40);
	endwin();
	delscreen(scr);
	fclose(null);
	ui_view_free(v);
}
END_TEST

/* The filter language of headless --filter, applied to the kept history
 * and to every line that arrives after. */
static unsigned long shown(const struct ui_view *v, enum ui_pane p)
{
	return v->pane[p].nshown - ui_ring_shown_first(&v->pane[p]);
}

START_TEST(filter_shows_only_the_clients_lines_and_clears)
{
	struct ui_view *v = ui_view_new(0, "live");
	struct ss_event l = call("server", 3, "listen", "s", 0, "127.0.0.1:9001", "", 10);
	struct ss_event k = call("client", 6, "connect", "k", 0, "127.0.0.1:41000",
				 "127.0.0.1:9001", 1);
	struct filter f;
	char err[128];

	ui_view_add(v, &l);
	ui_view_add(v, &k);
	filter_init(&f);
	ck_assert_int_eq(filter_parse(&f, "actor=client", err, sizeof err), 0);
	ui_view_set_filter(v, &f);
	ck_assert_uint_eq(shown(v, UI_PANE_SERVER), 0);
	ck_assert_uint_eq(shown(v, UI_PANE_CLIENT), 1);
	ck_assert_uint_eq(shown(v, UI_PANE_SEQ), 1);
	ck_assert_str_eq(ui_ring_shown_at(&v->pane[UI_PANE_SEQ],
					  ui_ring_shown_first(&v->pane[UI_PANE_SEQ]))->call,
			 "connect");
	/* lines arriving later are judged too */
	ui_view_add(v, &l);
	ui_view_add(v, &k);
	ck_assert_uint_eq(shown(v, UI_PANE_SERVER), 0);
	ck_assert_uint_eq(shown(v, UI_PANE_CLIENT), 2);
	ui_view_set_filter(v, NULL);
	ck_assert_uint_eq(shown(v, UI_PANE_SERVER), 2);
	ck_assert_uint_eq(shown(v, UI_PANE_SEQ), 4);
	ui_view_free(v);
}
END_TEST

START_TEST(errno_filter_keeps_only_failed_calls_even_after_blocking)
{
	struct ui_view *v = ui_view_new(0, "live");
	struct ss_event ok = call("client", 1, "socket", "", 4, "0.0.0.0:0", "", 7);
	struct ss_event bad = call("client", 2, "connect", "k", -1, "0.0.0.0:37510", "", 7);
	struct ss_event b;
	struct filter f;
	char err[128];

	bad.u.call.err = 111; /* ECONNREFUSED */
	filter_init(&f);
	ck_assert_int_eq(filter_parse(&f, "errno", err, sizeof err), 0);
	ui_view_set_filter(v, &f);
	ui_view_add(v, &ok);
	/* blocked first, then failed in place: the line joins the shown ones */
	event_init(&b, SS_EV_BLOCKED);
	snprintf(b.actor, sizeof b.actor, "client");
	b.step = 2;
	snprintf(b.u.call.name, sizeof b.u.call.name, "connect");
	ui_view_add(v, &b);
	ck_assert_uint_eq(shown(v, UI_PANE_CLIENT), 0);
	ui_view_add(v, &bad);
	ck_assert_uint_eq(v->pane[UI_PANE_CLIENT].count, 2);
	ck_assert_uint_eq(shown(v, UI_PANE_CLIENT), 1);
	ck_assert_int_eq(ui_ring_shown_at(&v->pane[UI_PANE_CLIENT],
					  ui_ring_shown_first(&v->pane[UI_PANE_CLIENT]))->failed,
			 1);
	ui_view_free(v);
}
END_TEST

START_TEST(filtered_history_stays_bounded)
{
	struct ui_view *v = ui_view_new(0, "live");
	struct ss_event e = call("client", 1, "send", "k", 1, "127.0.0.1:41000",
				 "127.0.0.1:9001", 1);
	const struct ui_ring *r = &v->pane[UI_PANE_CLIENT];
	struct filter f;
	char err[128];

	filter_init(&f);
	ck_assert_int_eq(filter_parse(&f, "step=2,4,6,8,10", err, sizeof err), 0);
	ui_view_set_filter(v, &f);
	for (int i = 0; i < 3 * UI_VIEW_LINES + 7; i++) {
		e.step = i % 10 + 1;
		ui_view_add(v, &e);
	}
	ck_assert_uint_le(shown(v, UI_PANE_CLIENT), UI_VIEW_LINES);
	ck_assert_uint_eq(shown(v, UI_PANE_CLIENT), UI_VIEW_LINES / 2);
	for (unsigned long j = ui_ring_shown_first(r); j < r->nshown; j++)
		ck_assert_int_eq(ui_ring_shown_at(r, j)->step % 2, 0);
	ck_assert_uint_ge(r->shown[ui_ring_shown_first(r) % UI_VIEW_LINES], ui_ring_first(r));
	ui_view_free(v);
}
END_TEST

START_TEST(search_finds_the_line_as_drawn)
{
	struct ui_view *v = ui_view_new(0, "live");
	struct ss_event l = call("server", 3, "listen", "s", 0, "127.0.0.1:9001", "", 10);
	struct ss_event a = call("server", 4, "accept", "s", 6, "127.0.0.1:9001",
				 "127.0.0.1:41000", 1);

	ui_view_add(v, &l);
	ui_view_add(v, &a);
	ui_view_add(v, &l);
	ck_assert_int_eq(ui_view_search(v, UI_PANE_SERVER, "ACCEPT(", 2, -1), 1);
	ck_assert_int_eq(ui_view_search(v, UI_PANE_SERVER, "41000", 0, 1), 1);
	ck_assert_int_eq(ui_view_search(v, UI_PANE_SERVER, "listen", 1, -1), 0);
	ck_assert_int_eq(ui_view_search(v, UI_PANE_SERVER, "nowhere", 2, -1), -1);
	ck_assert_int_eq(ui_call_family("bind"), 1);
	ck_assert_int_eq(ui_call_family("recvfrom"), 2);
	ck_assert_int_eq(ui_call_family("close"), 3);
	ui_view_free(v);
}
END_TEST

/* A traced program that prints Chinese is read in Chinese in its pane,
 * as is a failed expectation's report; the bytes that could move the
 * cursor are still escaped, and a peer's data in a call stays bytes. */
START_TEST(program_output_and_expectations_keep_chinese_escape_controls)
{
	struct ui_view *v = ui_view_new(0, "live");
	struct ss_event o, e;
	const struct ui_line *l;

	event_init(&o, SS_EV_OUTPUT);
	snprintf(o.actor, sizeof o.actor, "server");
	o.u.note.index = 1;
	snprintf(o.u.note.text, sizeof o.u.note.text, "\xe7\x9b\x91\xe5\x90\xac 9001\x1b[2J\xe2\x80\xae");
	ui_view_add(v, &o);
	l = ui_ring_at(&v->pane[UI_PANE_SERVER], 0);
	ck_assert_str_eq(l->text, "\xe7\x9b\x91\xe5\x90\xac 9001\\x1b[2J\\xe2\\x80\\xae");
	event_init(&e, SS_EV_EXPECT);
	snprintf(e.actor, sizeof e.actor, "server");
	e.u.note.index = 0;
	snprintf(e.u.note.text, sizeof e.u.note.text, "\xe7\x8a\xb6\xe6\x80\x81 LISTEN");
	ui_view_add(v, &e);
	l = ui_ring_at(&v->pane[UI_PANE_SERVER], 1);
	ck_assert_ptr_nonnull(strstr(l->text, "\xe7\x8a\xb6\xe6\x80\x81 LISTEN"));
	ck_assert_ptr_nonnull(strstr(v->message, "\xe7\x8a\xb6\xe6\x80\x81 LISTEN"));
	ui_view_free(v);
}
END_TEST

START_TEST(verdict_is_kept_until_the_next_step_and_made_harmless)
{
	struct ui_view *v = ui_view_new(0, "live");
	struct ss_event q, a, st, n;

	event_init(&q, SS_EV_QUESTION);
	snprintf(q.actor, sizeof q.actor, "server");
	q.u.note.index = 1;
	snprintf(q.u.note.text, sizeof q.u.note.text, "What port?\x1b[2J");
	ui_view_add(v, &q);
	ck_assert_str_eq(v->question, "What port?\\x1b[2J");
	ck_assert_int_eq(v->question_no, 1);
	event_init(&st, SS_EV_STEP);
	st.u.note.index = 6;
	st.u.note.count = 15;
	ui_view_add(v, &st);
	ck_assert_str_eq(v->question, "");
	event_init(&a, SS_EV_ANSWER);
	a.u.note.index = 0;
	snprintf(a.u.note.text, sizeof a.u.note.text,
		 "Not quite. You said \"1\"; the kernel: 9001.\x07");
	ui_view_add(v, &a);
	ck_assert_int_eq(v->have_verdict, 1);
	ck_assert_int_eq(v->verdict_ok, 0);
	ck_assert(printable(v->verdict));
	ck_assert_ptr_nonnull(strstr(v->verdict, "9001"));
	st.u.note.index = 7;
	ui_view_add(v, &st);
	ck_assert_int_eq(v->have_verdict, 0);
	event_init(&n, SS_EV_NOTE);
	snprintf(n.actor, sizeof n.actor, "sockstep");
	snprintf(n.u.note.text, sizeof n.u.note.text, "quiz: 0 of 1 predictions right");
	ui_view_add(v, &n);
	ck_assert_str_eq(v->quiz_final, "quiz: 0 of 1 predictions right");
	ui_view_free(v);
}
END_TEST

/* A filter that hides almost everything must not make a frame walk the
 * history to find what it shows. */
START_TEST(filtered_frame_cost_does_not_grow_with_history)
{
	FILE *null = fopen("/dev/null", "r+");
	SCREEN *scr = null ? newterm("vt100", null, null) : NULL;
	struct ui_view *v = ui_view_new(0, "live");
	struct ui_opts o = {.title = "bench", .mode = "live"};
	struct ui_screen s;
	struct ss_event e = call("server", 1, "recv", "c", 1, "127.0.0.1:9001",
				 "127.0.0.1:41000", 1);
	struct filter f;
	char err[128];
	double small, big;

	if (scr == NULL) {
		if (null)
			fclose(null);
		ui_view_free(v);
		return;
	}
	ui_draw_setup(0, 0);
	ui_screen_init(&s, &o);
	filter_init(&f);
	ck_assert_int_eq(filter_parse(&f, "step=1", err, sizeof err), 0);
	ui_view_set_filter(v, &f);
	for (int i = 0; i < 10; i++)
		ui_view_add(v, &e);
	small = frame_ms(v, &s, 60, 200);
	e.step = 2; /* hidden */
	for (int i = 0; i < 100000; i++)
		ui_view_add(v, &e);
	big = frame_ms(v, &s, 60, 200);
	ck_assert_msg(big < small * 5 + 2, "frame %.3f ms after 100000 hidden events, %.3f after 10",
		      big, small);
	s.present = 1;
	ui_draw_frame(v, &s, 24, 80);
	endwin();
	delscreen(scr);
	fclose(null);
	ui_view_free(v);
}
END_TEST

Suite *test_suite(void)
{
	Suite *s = suite_create("view");
	TCase *tc = tcase_create("view");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, accepted_socket_row_keeps_listening_port);
	tcase_add_test(tc, empty_snapshot_empties_the_table);
	tcase_add_test(tc, blocked_accept_is_replaced_by_its_result_in_place);
	tcase_add_test(tc, traced_calls_wait_then_block_then_return_in_place_per_process);
	tcase_add_test(tc, failed_call_shows_errno_name_and_message);
	tcase_add_test(tc, peer_bytes_never_reach_the_view_raw);
	tcase_add_test(tc, narration_keeps_utf8_and_escapes_control_bytes);
	tcase_add_test(tc, program_output_and_expectations_keep_chinese_escape_controls);
	tcase_add_test(tc, packets_point_from_the_side_that_sent_them);
	tcase_add_test(tc, one_sided_server_lists_the_remote_peer);
	tcase_add_test(tc, a_warning_is_shown_once);
	tcase_add_test(tc, history_is_bounded_and_clear_forgets_it);
	tcase_add_test(tc, frame_cost_does_not_grow_with_history);
	tcase_add_test(tc, filter_shows_only_the_clients_lines_and_clears);
	tcase_add_test(tc, errno_filter_keeps_only_failed_calls_even_after_blocking);
	tcase_add_test(tc, filtered_history_stays_bounded);
	tcase_add_test(tc, search_finds_the_line_as_drawn);
	tcase_add_test(tc, verdict_is_kept_until_the_next_step_and_made_harmless);
	tcase_add_test(tc, filtered_frame_cost_does_not_grow_with_history);
	suite_add_tcase(s, tc);
	return s;
}
