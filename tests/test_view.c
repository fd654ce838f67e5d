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

START_TEST(narration_keeps_utf8_and_drops_control_bytes)
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
	ck_assert_str_eq(n->text, "port \xe2\x86\x92 queue?[31m???");
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
	struct ui_opts o = {"bench", "live", 0, 0, 0};
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

Suite *test_suite(void)
{
	Suite *s = suite_create("view");
	TCase *tc = tcase_create("view");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, accepted_socket_row_keeps_listening_port);
	tcase_add_test(tc, empty_snapshot_empties_the_table);
	tcase_add_test(tc, blocked_accept_is_replaced_by_its_result_in_place);
	tcase_add_test(tc, failed_call_shows_errno_name_and_message);
	tcase_add_test(tc, peer_bytes_never_reach_the_view_raw);
	tcase_add_test(tc, narration_keeps_utf8_and_drops_control_bytes);
	tcase_add_test(tc, packets_point_from_the_side_that_sent_them);
	tcase_add_test(tc, one_sided_server_lists_the_remote_peer);
	tcase_add_test(tc, a_warning_is_shown_once);
	tcase_add_test(tc, history_is_bounded_and_clear_forgets_it);
	tcase_add_test(tc, frame_cost_does_not_grow_with_history);
	suite_add_tcase(s, tc);
	return s;
}
