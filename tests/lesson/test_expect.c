/* expect: a lesson's claims, checked against events built by hand (expect
 * is pure logic: what the kernel reported goes in, held or not comes out). */
#include <check.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "sockstep/expect.h"
#include "sockstep/lesson.h"
#include "sockstep/script.h"

#define TCP_ESTABLISHED_ 1
#define TCP_FIN_WAIT2_ 5
#define TCP_TIME_WAIT_ 6
#define TCP_CLOSE_ 7
#define TCP_CLOSE_WAIT_ 8
#define TCP_LISTEN_ 10

static struct ss_script sc;
/* server.s (listener), server.c (accepted), client.k */
static struct ss_event ev_s, ev_c, ev_k;
static struct ss_event rows[4];

static const struct ss_event *lookup(void *ctx, const char *actor, const char *sock)
{
	(void)ctx;
	if (strcmp(actor, "server") == 0 && strcmp(sock, "s") == 0)
		return &ev_s;
	if (strcmp(actor, "server") == 0 && strcmp(sock, "c") == 0)
		return &ev_c;
	if (strcmp(actor, "client") == 0 && strcmp(sock, "k") == 0)
		return &ev_k;
	return NULL;
}

static void call(struct ss_event *ev, const char *name, long ret, const char *local,
		 const char *peer, int state, unsigned long inode)
{
	event_init(ev, SS_EV_CALL);
	snprintf(ev->u.call.name, sizeof ev->u.call.name, "%s", name);
	ev->u.call.ret = ret;
	ev->u.call.fd = 3;
	snprintf(ev->u.call.local, sizeof ev->u.call.local, "%s", local);
	snprintf(ev->u.call.peer, sizeof ev->u.call.peer, "%s", peer);
	ev->u.call.state = state;
	ev->u.call.inode = inode;
}

static void row(struct ss_event *ev, const char *local, const char *peer, int state,
		long rq, long timer_ms, unsigned long inode)
{
	event_init(ev, SS_EV_SOCKET);
	snprintf(ev->u.sock.local, sizeof ev->u.sock.local, "%s", local);
	snprintf(ev->u.sock.peer, sizeof ev->u.sock.peer, "%s", peer);
	ev->u.sock.state = state;
	ev->u.sock.recv_q = rq;
	ev->u.sock.timer_ms = timer_ms;
	ev->u.sock.inode = inode;
}

static void setup(void)
{
	char err[256];
	const char *text = "# T\n```sockstep\n"
			   "server: s = socket(AF_INET, SOCK_STREAM)\n"
			   "client: k = socket(AF_INET, SOCK_STREAM)\n"
			   "server: c = accept(s)\n```\n";

	ck_assert_msg(lesson_parse(&sc, text, "t.md", NULL, 0, err, sizeof err) == 0, "%s", err);
	call(&ev_s, "listen", 0, "127.0.0.1:9001", "", TCP_LISTEN_, 100);
	ev_s.u.call.queue = 1;
	ev_s.u.call.backlog = 5;
	call(&ev_k, "connect", 0, "127.0.0.1:44284", "127.0.0.1:9001", TCP_ESTABLISHED_, 200);
	call(&ev_c, "accept", 4, "127.0.0.1:9001", "127.0.0.1:44284", TCP_ESTABLISHED_, 300);
	row(&rows[0], "127.0.0.1:9001", "0.0.0.0:0", TCP_LISTEN_, 1, -1, 100);
	row(&rows[1], "127.0.0.1:44284", "127.0.0.1:9001", TCP_ESTABLISHED_, 0, -1, 200);
	row(&rows[2], "127.0.0.1:9001", "127.0.0.1:44284", TCP_ESTABLISHED_, 0, -1, 300);
}

static void teardown(void)
{
	script_free(&sc);
}

static int eval_on(const struct ss_event *c, int blocked, int nrows, const char *text)
{
	struct expect_env env;
	char report[SS_TEXT_MAX];
	char why[160];

	ck_assert_msg(expect_check_syntax(&sc, text, why, sizeof why) == 0, "%s: %s", text, why);
	memset(&env, 0, sizeof env);
	env.call = c;
	env.blocked = blocked;
	env.sock_event = lookup;
	env.rows = rows;
	env.nrows = nrows;
	env.eph_lo = 32768;
	env.eph_hi = 60999;
	return expect_eval(&sc, text, &env, report, sizeof report);
}

static int holds(const struct ss_event *c, const char *text)
{
	return eval_on(c, 0, 3, text);
}

static const char *const good[] = {
	"ok", "blocks", "fails EADDRINUSE", "ret == 5", "ret>=0", "queue == 1",
	"state == ESTABLISHED", "data == \"welcome to server!\"",
	"local.port == server.s.local.port", "peer.port ephemeral",
	"client.k.kstate == TIME_WAIT", "ktimer > 50000", "trunc == true",
	"optval == 0", "cred.uid == 1000", "kstate == none",
	"local == \"/tmp/x.sock\"", "fd != server.c.fd", "errno == EAGAIN",
};

static const char *const rejected[] = {
	"", "   ", "okay", "fails", "fails NOPE", "ret = 5", "ret == ",
	"ret 5", "colour == red", "ret == 5 extra", "local.port ~= 3",
	"client9.k.local.port == 1", "server.s.nofield == 1",
	"data == \"unterminated", "ret == server.s.nofield",
};

START_TEST(grammar_accepts_every_documented_form)
{
	char why[160];
	ck_assert_msg(expect_check_syntax(&sc, good[_i], why, sizeof why) == 0,
		      "'%s' rejected: %s", good[_i], why);
}
END_TEST

START_TEST(grammar_rejects_malformed_expectations)
{
	char why[160] = "";
	ck_assert_msg(expect_check_syntax(&sc, rejected[_i], why, sizeof why) == -1,
		      "'%s' accepted", rejected[_i]);
	ck_assert(why[0] != '\0');
}
END_TEST

START_TEST(ok_fails_and_blocks_read_the_call_result)
{
	struct ss_event e;

	call(&e, "bind", -1, "0.0.0.0:0", "", TCP_CLOSE_, 1);
	e.u.call.err = event_errno_from_name("EADDRINUSE");
	ck_assert_int_eq(holds(&e, "ok"), 0);
	ck_assert_int_eq(holds(&e, "fails EADDRINUSE"), 1);
	ck_assert_int_eq(holds(&e, "fails ECONNREFUSED"), 0);
	ck_assert_int_eq(holds(&e, "errno == EADDRINUSE"), 1);
	ck_assert_int_eq(holds(&ev_k, "ok"), 1);
	ck_assert_int_eq(holds(&ev_k, "fails EADDRINUSE"), 0);
	ck_assert_int_eq(eval_on(&ev_c, 1, 3, "blocks"), 1);
	ck_assert_int_eq(eval_on(&ev_c, 0, 3, "blocks"), 0);
	/* a step that made no call satisfies nothing but "blocks" */
	ck_assert_int_eq(eval_on(NULL, 0, 3, "ok"), 0);
}
END_TEST

START_TEST(accepted_socket_keeps_listening_port)
{
	ck_assert_int_eq(holds(&ev_c, "local.port == server.s.local.port"), 1);
	ck_assert_int_eq(holds(&ev_c, "peer.port == client.k.local.port"), 1);
	ck_assert_int_eq(holds(&ev_c, "peer.port ephemeral"), 1);
	ck_assert_int_eq(holds(&ev_c, "local.port ephemeral"), 0);
	ck_assert_int_eq(holds(&ev_c, "fd == 4"), 1); /* accept: the new fd */
	ck_assert_int_eq(holds(&ev_c, "fd != server.s.fd"), 1);
	/* the tutorial's claim, as an expectation: it must not hold */
	ck_assert_int_eq(holds(&ev_c, "local.port != server.s.local.port"), 0);
	ck_assert_int_eq(holds(&ev_c, "local == \"127.0.0.1:9001\""), 1);
	ck_assert_int_eq(holds(&ev_c, "peer == client.k.local"), 1);
}
END_TEST

START_TEST(numbers_compare_as_numbers_and_names_only_for_equality)
{
	ck_assert_int_eq(holds(&ev_s, "queue == 1"), 1);
	ck_assert_int_eq(holds(&ev_s, "queue < 2"), 1);
	ck_assert_int_eq(holds(&ev_s, "queue >= 2"), 0);
	ck_assert_int_eq(holds(&ev_s, "backlog <= 5"), 1);
	ck_assert_int_eq(holds(&ev_s, "backlog > 5"), 0);
	ck_assert_int_eq(holds(&ev_s, "state == LISTEN"), 1);
	ck_assert_int_eq(holds(&ev_s, "state != LISTEN"), 0);
	ck_assert_int_eq(holds(&ev_s, "state > LISTEN"), 0);
	/* a value the kernel did not report equals nothing */
	ck_assert_int_eq(holds(&ev_k, "queue == 0"), 0);
	ck_assert_int_eq(holds(&ev_k, "queue != 0"), 1);
	ck_assert_int_eq(holds(&ev_s, "peer.port == 0"), 0);
}
END_TEST

START_TEST(data_unread_and_trunc_describe_a_read)
{
	struct ss_event e;

	call(&e, "recv", 5, "127.0.0.1:9001", "127.0.0.1:44284", TCP_ESTABLISHED_, 300);
	e.u.call.bytes = 5;
	e.u.call.unread = 15;
	memcpy(e.u.call.data, "01234", 5);
	e.u.call.data_len = 5;
	ck_assert_int_eq(holds(&e, "ret == 5"), 1);
	ck_assert_int_eq(holds(&e, "unread == 15"), 1);
	ck_assert_int_eq(holds(&e, "data == \"01234\""), 1);
	ck_assert_int_eq(holds(&e, "data == \"0123\""), 0);
	ck_assert_int_eq(holds(&e, "trunc == false"), 1);
	e.u.call.msg_flags = MSG_TRUNC;
	ck_assert_int_eq(holds(&e, "trunc == true"), 1);
}
END_TEST

START_TEST(option_values_come_from_getsockopt)
{
	struct ss_event e;

	call(&e, "getsockopt", 0, "/tmp/x.sock", "", -1, 9);
	snprintf(e.u.call.args, sizeof e.u.call.args, "SO_PEERCRED pid=4242 uid=1000 gid=100");
	ck_assert_int_eq(holds(&e, "cred.pid == 4242"), 1);
	ck_assert_int_eq(holds(&e, "cred.uid == 1000"), 1);
	ck_assert_int_eq(holds(&e, "cred.gid == 100"), 1);
	ck_assert_int_eq(holds(&e, "local == \"/tmp/x.sock\""), 1);
	snprintf(e.u.call.args, sizeof e.u.call.args, "SO_ERROR=111 ECONNREFUSED");
	ck_assert_int_eq(holds(&e, "optval == 111"), 1);
	snprintf(e.u.call.args, sizeof e.u.call.args, "level=6 opt=7 value=1");
	ck_assert_int_eq(holds(&e, "optval == 1"), 1);
	snprintf(e.u.call.args, sizeof e.u.call.args, "SO_LINGER onoff=1 linger=0");
	ck_assert_int_eq(holds(&e, "optval == 1"), 1);
	ck_assert_int_eq(holds(&e, "cred.pid > 0"), 0); /* not reported */
}
END_TEST

START_TEST(kernel_fields_read_the_row_of_the_4_tuple)
{
	ck_assert_int_eq(holds(&ev_s, "krecv_q == 1"), 1);
	ck_assert_int_eq(holds(&ev_s, "kstate == LISTEN"), 1);
	ck_assert_int_eq(holds(&ev_k, "kstate == ESTABLISHED"), 1);
	ck_assert_int_eq(holds(&ev_k, "server.c.kstate == ESTABLISHED"), 1);
	/* the listener and the accepted socket share the local address; the
	 * 4-tuple (and the inode) tell them apart */
	ck_assert_int_eq(holds(&ev_c, "kstate == ESTABLISHED"), 1);
	ck_assert_int_eq(holds(&ev_c, "server.s.kstate == LISTEN"), 1);
}
END_TEST

/* kpeerstate reads the other end's row: a client ESTABLISHED while the
 * server.s side is still half-open (SYN_RECV). */
START_TEST(peer_state_and_hosts_read_the_other_row_and_the_address)
{
	ck_assert_int_eq(holds(&ev_k, "kpeerstate == ESTABLISHED"), 1);
	rows[2].u.sock.state = 3; /* sock_diag reports request sockets as SYN_RECV */
	ck_assert_int_eq(holds(&ev_k, "kpeerstate == SYN_RECV"), 1);
	ck_assert_int_eq(holds(&ev_k, "kpeerstate == ESTABLISHED"), 0);
	ck_assert_int_eq(eval_on(&ev_k, 0, 2, "kpeerstate == none"), 1);
	/* a prediction typed in any case names the same state */
	ck_assert_int_eq(eval_on(&ev_k, 0, 2, "kpeerstate == NONE"), 1);
	ck_assert_int_eq(holds(&ev_k, "kstate == established"), 1);
	ck_assert_int_eq(holds(&ev_k, "local.host == \"127.0.0.1\""), 1);
	ck_assert_int_eq(holds(&ev_k, "peer.host == \"127.0.0.2\""), 0);
	call(&ev_k, "connect", 0, "[::1]:44284", "[::1]:9001", TCP_ESTABLISHED_, 200);
	ck_assert_int_eq(holds(&ev_k, "peer.host == \"::1\""), 1);
}
END_TEST

START_TEST(time_wait_is_seen_only_in_the_kernel_table)
{
	struct ss_event closed;

	/* the server closed first: its fd is gone, a TIME_WAIT row (no
	 * inode) keeps the 4-tuple */
	call(&closed, "close", 0, "127.0.0.1:9001", "127.0.0.1:44284", -1, 300);
	ev_c = closed;
	row(&rows[2], "127.0.0.1:9001", "127.0.0.1:44284", TCP_TIME_WAIT_, 0, 59000, 0);
	ck_assert_int_eq(holds(&ev_k, "server.c.kstate == TIME_WAIT"), 1);
	ck_assert_int_eq(holds(&ev_c, "ktimer > 50000"), 1);
	ck_assert_int_eq(holds(&ev_c, "ktimer > 60000"), 0);
	/* gone from the table: "none" */
	ck_assert_int_eq(eval_on(&ev_c, 0, 2, "kstate == none"), 1);
	ck_assert_int_eq(eval_on(&ev_c, 0, 2, "kstate == TIME_WAIT"), 0);
	ck_assert_int_eq(eval_on(&ev_c, 0, 2, "ktimer > 0"), 0);
}
END_TEST

START_TEST(a_closed_fd_without_peer_still_finds_its_time_wait)
{
	struct ss_event e;

	/* after both FINs the client's fd is CLOSE and getpeername() fails */
	call(&e, "close", 0, "127.0.0.1:44284", "", TCP_CLOSE_, 200);
	row(&rows[1], "127.0.0.1:44284", "127.0.0.1:9001", TCP_TIME_WAIT_, 0, 60000, 0);
	ck_assert_int_eq(holds(&e, "kstate == TIME_WAIT"), 1);
}
END_TEST

START_TEST(a_reset_socket_is_not_taken_for_its_listener)
{
	struct ss_event e;

	/* the peer reset the accepted socket: CLOSE, no peer, same local
	 * address as the listener, which another inode owns */
	call(&e, "recv", 0, "127.0.0.1:9001", "", TCP_CLOSE_, 300);
	ck_assert_int_eq(eval_on(&e, 0, 2, "kstate == none"), 1);
	ck_assert_int_eq(eval_on(&e, 0, 2, "kstate == LISTEN"), 0);
}
END_TEST

START_TEST(fin_states_match_by_name)
{
	row(&rows[1], "127.0.0.1:44284", "127.0.0.1:9001", TCP_FIN_WAIT2_, 0, -1, 200);
	row(&rows[2], "127.0.0.1:9001", "127.0.0.1:44284", TCP_CLOSE_WAIT_, 1, -1, 300);
	ck_assert_int_eq(holds(&ev_k, "kstate == FIN_WAIT2"), 1);
	ck_assert_int_eq(holds(&ev_k, "server.c.kstate == CLOSE_WAIT"), 1);
	ck_assert_int_eq(holds(&ev_k, "server.c.kstate == TIME_WAIT"), 0);
}
END_TEST

START_TEST(report_says_what_was_compared)
{
	struct expect_env env;
	char report[SS_TEXT_MAX];

	memset(&env, 0, sizeof env);
	env.call = &ev_c;
	env.sock_event = lookup;
	env.eph_lo = 32768;
	env.eph_hi = 60999;
	ck_assert_int_eq(expect_eval(&sc, "local.port == 1234", &env, report, sizeof report), 0);
	ck_assert_ptr_nonnull(strstr(report, "9001"));
	ck_assert_ptr_nonnull(strstr(report, "1234"));
}
END_TEST

START_TEST(refs_name_the_sockets_an_expectation_reads)
{
	char a[4][SS_NAME_MAX], s[4][SS_NAME_MAX];

	ck_assert_int_eq(expect_refs(&sc, "peer.port == client.k.local.port", a, s, 4), 1);
	ck_assert_str_eq(a[0], "client");
	ck_assert_str_eq(s[0], "k");
	ck_assert_int_eq(expect_refs(&sc, "server.c.kstate == TIME_WAIT", a, s, 4), 1);
	ck_assert_str_eq(s[0], "c");
	ck_assert_int_eq(expect_refs(&sc, "ret == 5", a, s, 4), 0);
}
END_TEST

Suite *test_suite(void)
{
	Suite *s = suite_create("expect");
	TCase *tc = tcase_create("grammar");
	TCase *te = tcase_create("eval");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_loop_test(tc, grammar_accepts_every_documented_form, 0,
			    (int)(sizeof good / sizeof good[0]));
	tcase_add_loop_test(tc, grammar_rejects_malformed_expectations, 0,
			    (int)(sizeof rejected / sizeof rejected[0]));
	tcase_add_test(tc, refs_name_the_sockets_an_expectation_reads);
	suite_add_tcase(s, tc);

	tcase_add_checked_fixture(te, setup, teardown);
	tcase_add_test(te, ok_fails_and_blocks_read_the_call_result);
	tcase_add_test(te, accepted_socket_keeps_listening_port);
	tcase_add_test(te, numbers_compare_as_numbers_and_names_only_for_equality);
	tcase_add_test(te, data_unread_and_trunc_describe_a_read);
	tcase_add_test(te, option_values_come_from_getsockopt);
	tcase_add_test(te, kernel_fields_read_the_row_of_the_4_tuple);
	tcase_add_test(te, time_wait_is_seen_only_in_the_kernel_table);
	tcase_add_test(te, a_closed_fd_without_peer_still_finds_its_time_wait);
	tcase_add_test(te, a_reset_socket_is_not_taken_for_its_listener);
	tcase_add_test(te, fin_states_match_by_name);
	tcase_add_test(te, report_says_what_was_compared);
	tcase_add_test(te, peer_state_and_hosts_read_the_other_row_and_the_address);
	suite_add_tcase(s, te);
	return s;
}
