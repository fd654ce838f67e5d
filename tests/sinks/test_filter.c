/* filter: the clause language shared by --filter, export and the UI.
 * Pure logic on hand-built events: what is accepted, what is refused with
 * a reason, and which events each clause lets through. */
#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "sockstep/filter.h"

static struct ss_event call_ev(const char *actor, const char *name, int fd, long ret,
			       int err, const char *local, const char *peer)
{
	struct ss_event ev;

	event_init(&ev, SS_EV_CALL);
	snprintf(ev.actor, sizeof ev.actor, "%s", actor);
	snprintf(ev.u.call.name, sizeof ev.u.call.name, "%s", name);
	snprintf(ev.u.call.sock, sizeof ev.u.call.sock, "%s", strcmp(actor, "client") ? "s" : "k");
	snprintf(ev.u.call.local, sizeof ev.u.call.local, "%s", local);
	snprintf(ev.u.call.peer, sizeof ev.u.call.peer, "%s", peer);
	ev.u.call.fd = fd;
	ev.u.call.ret = ret;
	ev.u.call.err = err;
	ev.step = 2;
	return ev;
}

static struct ss_event packet_ev(const char *src, const char *dst, const char *flags)
{
	struct ss_event ev;

	event_init(&ev, SS_EV_PACKET);
	snprintf(ev.actor, sizeof ev.actor, "kernel");
	snprintf(ev.u.pkt.src, sizeof ev.u.pkt.src, "%s", src);
	snprintf(ev.u.pkt.dst, sizeof ev.u.pkt.dst, "%s", dst);
	snprintf(ev.u.pkt.flags, sizeof ev.u.pkt.flags, "%s", flags);
	return ev;
}

static struct filter parsed(const char *expr)
{
	struct filter f;
	char err[256] = "";

	filter_init(&f);
	ck_assert_msg(filter_parse(&f, expr, err, sizeof err) == 0, "'%s' refused: %s", expr, err);
	return f;
}

static int matches(const char *expr, const struct ss_event *ev)
{
	struct filter f = parsed(expr);
	return filter_match(&f, ev);
}

START_TEST(pid_picks_one_process_of_a_traced_program)
{
	struct ss_event parent = call_ev("server", "accept4", 3, 4, 0, "127.0.0.1:9001", "127.0.0.1:50000");
	struct ss_event child = call_ev("server", "read", 4, 1, 0, "127.0.0.1:9001", "127.0.0.1:50000");
	struct ss_event scripted = call_ev("server", "accept", 3, 4, 0, "127.0.0.1:9001", "");

	parent.pid = 100;
	child.pid = 101;
	ck_assert_int_eq(matches("pid=101", &child), 1);
	ck_assert_int_eq(matches("pid=101", &parent), 0);
	ck_assert_int_eq(matches("pid=100,101", &parent), 1);
	ck_assert_int_eq(matches("pid=100", &scripted), 0);
	ck_assert_int_eq(matches("kind=process", &child), 0);
}
END_TEST

START_TEST(accepts_every_documented_clause)
{
	static const char *const ok[] = {
		"actor=client", "call=connect,accept", "errno", "errno=ECONNREFUSED",
		"errno=econnrefused", "errno=111", "kind=packet", "kind=calls,table",
		"flags=S", "flags=S.", "flags~F", "port=9001", "fd=4", "sock=c",
		"state=TIME_WAIT", "state=syn-sent", "step=3,4", "!errno", "kind!=socket",
		"actor~client", "  actor=client   call=connect  ", "!actor=client",
	};
	for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++)
		parsed(ok[i]);
}
END_TEST

START_TEST(refuses_bad_clauses_with_a_reason)
{
	static const char *const bad[] = {
		"", "   ", "colour=red", "actor", "actor=", "call=connect,", "errno=EFOO",
		"kind=bogus", "flags=X", "port=65536", "port=-1", "port=abc", "fd=", "step=0",
		"state=SLEEPY", "kind~call", "flags~S,F", "=client", "!actor!=client",
		"actor=aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "call=a,b,c,d,e,f,g,h,i",
		"port:9001",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		struct filter f;
		char err[256] = "";
		filter_init(&f);
		ck_assert_msg(filter_parse(&f, bad[i], err, sizeof err) == -1, "'%s' accepted", bad[i]);
		ck_assert_msg(err[0] != '\0' && strchr(err, '\n') == NULL,
			      "'%s': no one-line reason", bad[i]);
		ck_assert_int_eq(f.nclauses, 0);
	}
}
END_TEST

START_TEST(a_refused_expression_leaves_the_filter_as_it_was)
{
	struct filter f = parsed("actor=client");
	char err[128];

	ck_assert_int_eq(filter_parse(&f, "kind=packet colour=red", err, sizeof err), -1);
	ck_assert_int_eq(f.nclauses, 1);
}
END_TEST

START_TEST(empty_filter_matches_everything)
{
	struct filter f;
	struct ss_event ev = packet_ev("127.0.0.1:1", "127.0.0.1:2", "S");

	filter_init(&f);
	ck_assert(filter_match(&f, &ev));
	ck_assert(filter_match(NULL, &ev));
}
END_TEST

START_TEST(actor_keeps_only_that_actors_events)
{
	struct ss_event c = call_ev("client", "connect", 3, 0, 0, "127.0.0.1:45678", "127.0.0.1:9001");
	struct ss_event s = call_ev("server", "accept", 3, 4, 0, "127.0.0.1:9001", "127.0.0.1:45678");
	struct ss_event c2 = call_ev("client2", "connect", 3, 0, 0, "", "");
	struct ss_event p = packet_ev("127.0.0.1:45678", "127.0.0.1:9001", "S");

	ck_assert(matches("actor=client", &c));
	ck_assert(!matches("actor=client", &s));
	ck_assert(!matches("actor=client", &c2));
	/* Packets belong to the kernel, not to the actor that caused them. */
	ck_assert(!matches("actor=client", &p));
	ck_assert(matches("actor~client", &c2));
	ck_assert(matches("actor=CLIENT,server", &s));
	ck_assert(matches("actor!=client", &s));
	ck_assert(!matches("!actor=client", &c));
}
END_TEST

START_TEST(call_matches_calls_and_blocked_calls_by_name)
{
	struct ss_event c = call_ev("client", "connect", 3, 0, 0, "", "");
	struct ss_event b = call_ev("server", "accept", 3, 0, 0, "", "");
	struct ss_event p = packet_ev("127.0.0.1:1", "127.0.0.1:2", "S");

	b.kind = SS_EV_BLOCKED;
	ck_assert(matches("call=connect,accept", &c));
	ck_assert(matches("call=connect,accept", &b));
	ck_assert(!matches("call=send", &c));
	ck_assert(!matches("call=connect", &p));
}
END_TEST

START_TEST(errno_keeps_failed_calls)
{
	struct ss_event refused = call_ev("client", "connect", 3, -1, ECONNREFUSED, "", "");
	struct ss_event inuse = call_ev("server", "bind", 3, -1, EADDRINUSE, "", "");
	struct ss_event fine = call_ev("client", "connect", 3, 0, 0, "", "");
	struct ss_event p = packet_ev("127.0.0.1:1", "127.0.0.1:2", "R.");

	ck_assert(matches("errno", &refused));
	ck_assert(matches("errno", &inuse));
	ck_assert(!matches("errno", &fine));
	ck_assert(!matches("errno", &p));
	ck_assert(matches("errno=ECONNREFUSED", &refused));
	ck_assert(!matches("errno=ECONNREFUSED", &inuse));
	ck_assert(matches("errno=EADDRINUSE,ECONNREFUSED", &inuse));
	ck_assert(matches("!errno", &fine));
	ck_assert(!matches("!errno", &refused));
}
END_TEST

START_TEST(kind_selects_event_kinds_with_plural_names)
{
	struct ss_event c = call_ev("client", "connect", 3, 0, 0, "", "");
	struct ss_event p = packet_ev("127.0.0.1:1", "127.0.0.1:2", "S");
	struct ss_event row;

	event_init(&row, SS_EV_SOCKET);
	ck_assert(matches("kind=packet", &p));
	ck_assert(!matches("kind=packet", &c));
	ck_assert(matches("kind=calls,packets", &c));
	ck_assert(matches("kind=table", &row));
	ck_assert(!matches("kind!=socket", &row));
	ck_assert(matches("kind!=socket", &c));
}
END_TEST

START_TEST(flags_equal_or_contain)
{
	struct ss_event syn = packet_ev("127.0.0.1:1", "127.0.0.1:2", "S");
	struct ss_event synack = packet_ev("127.0.0.1:2", "127.0.0.1:1", "S.");
	struct ss_event fin = packet_ev("127.0.0.1:1", "127.0.0.1:2", "F.");
	struct ss_event ack = packet_ev("127.0.0.1:1", "127.0.0.1:2", ".");

	ck_assert(matches("flags=S", &syn));
	ck_assert(!matches("flags=S", &synack)); /* = is the whole set */
	ck_assert(matches("flags~S", &synack));
	ck_assert(matches("flags~F", &fin));
	ck_assert(!matches("flags~F", &ack));
	ck_assert(matches("flags~.S", &synack)); /* every letter, any order */
	ck_assert(!matches("flags~.S", &syn));
	ck_assert(matches("flags=s.", &synack));
	ck_assert(matches("flags=.,F.", &ack));
}
END_TEST

START_TEST(port_matches_either_end_of_calls_packets_and_rows)
{
	struct ss_event c = call_ev("client", "connect", 3, 0, 0, "127.0.0.1:45678", "127.0.0.1:9001");
	struct ss_event p = packet_ev("[::1]:9001", "[::1]:45678", "S.");
	struct ss_event other = packet_ev("127.0.0.1:1", "127.0.0.1:2", "S");
	struct ss_event row, step;

	event_init(&row, SS_EV_SOCKET);
	snprintf(row.u.sock.local, sizeof row.u.sock.local, "127.0.0.1:9001");
	event_init(&step, SS_EV_STEP);
	ck_assert(matches("port=9001", &c));
	ck_assert(matches("port=45678", &c));
	ck_assert(matches("port=9001", &p));
	ck_assert(!matches("port=9001", &other));
	ck_assert(matches("port=9001", &row));
	ck_assert(!matches("port=9001", &step));
}
END_TEST

START_TEST(fd_matches_the_fd_acted_on_and_the_fd_accept_returns)
{
	struct ss_event accept = call_ev("server", "accept", 3, 4, 0, "", "");
	struct ss_event recv = call_ev("server", "recv", 4, 1, 0, "", "");
	struct ss_event sock = call_ev("server", "socket", -1, 3, 0, "", "");
	struct ss_event failed = call_ev("server", "accept", 3, -1, EAGAIN, "", "");
	struct ss_event row;

	event_init(&row, SS_EV_SOCKET);
	row.u.sock.owner_fd = 4;
	ck_assert(matches("fd=4", &accept)); /* the new socket's fd */
	ck_assert(matches("fd=3", &accept)); /* the listener it acted on */
	ck_assert(matches("fd=4", &recv));
	ck_assert(matches("fd=3", &sock));
	ck_assert(!matches("fd=5", &recv));
	ck_assert(!matches("fd=4", &failed));
	ck_assert(matches("fd=4", &row));
}
END_TEST

START_TEST(clauses_are_anded_across_expressions)
{
	struct filter f;
	char err[128];
	struct ss_event refused = call_ev("client", "connect", 3, -1, ECONNREFUSED, "", "");
	struct ss_event srv = call_ev("server", "bind", 3, -1, EADDRINUSE, "", "");
	struct ss_event ok = call_ev("client", "connect", 3, 0, 0, "", "");

	filter_init(&f);
	ck_assert_int_eq(filter_parse(&f, "actor=client", err, sizeof err), 0);
	ck_assert_int_eq(filter_parse(&f, "errno call=connect", err, sizeof err), 0);
	ck_assert_int_eq(f.nclauses, 3);
	ck_assert(filter_match(&f, &refused));
	ck_assert(!filter_match(&f, &srv));
	ck_assert(!filter_match(&f, &ok));
}
END_TEST

START_TEST(state_sock_and_step)
{
	struct ss_event c = call_ev("client", "connect", 3, 0, 0, "", "");
	struct ss_event row;

	c.u.call.state = 2; /* SYN_SENT */
	event_init(&row, SS_EV_SOCKET);
	row.u.sock.state = 6; /* TIME_WAIT */
	ck_assert(matches("state=SYN-SENT", &c));
	ck_assert(matches("state=time_wait", &row));
	ck_assert(!matches("state=ESTABLISHED", &row));
	ck_assert(matches("sock=k", &c));
	ck_assert(matches("step=1,2", &c));
	ck_assert(!matches("step=3", &c));
}
END_TEST

START_TEST(describe_writes_the_filter_back)
{
	struct filter f = parsed("actor=client,client2 !errno flags~F kind!=socket");
	struct filter g;
	char out[256];
	char err[128];

	filter_describe(&f, out, sizeof out);
	ck_assert_str_eq(out, "actor=client,client2 !errno flags~F kind!=socket");
	/* What is written back parses to the same filter. */
	filter_init(&g);
	ck_assert_int_eq(filter_parse(&g, out, err, sizeof err), 0);
	ck_assert_int_eq(g.nclauses, f.nclauses);
}
END_TEST

START_TEST(search_is_case_insensitive_over_the_shown_text)
{
	struct ss_event c = call_ev("client", "connect", 3, -1, ECONNREFUSED, "127.0.0.1:45678",
				    "127.0.0.1:9001");
	struct ss_event p = packet_ev("127.0.0.1:45678", "127.0.0.1:9001", "S.");
	struct ss_event step;

	snprintf(c.u.call.args, sizeof c.u.call.args, "127.0.0.1:9001");
	event_init(&step, SS_EV_STEP);
	snprintf(step.u.note.text, sizeof step.u.note.text, "The Three-Way Handshake");
	ck_assert(filter_search_text(&c, "econnrefused"));
	ck_assert(filter_search_text(&c, "CONNECT(k"));
	ck_assert(filter_search_text(&c, "45678"));
	ck_assert(filter_search_text(&c, "client"));
	ck_assert(!filter_search_text(&c, "accept"));
	ck_assert(filter_search_text(&p, "[s.]"));
	ck_assert(filter_search_text(&step, "three-way"));
	ck_assert(filter_search_text(&step, ""));
}
END_TEST

static void count_event(void *ctx, const struct ss_event *ev)
{
	(void)ev;
	++*(int *)ctx;
}

START_TEST(filter_sink_passes_only_matches)
{
	struct filter f = parsed("kind=packet");
	int seen = 0;
	struct ss_event c = call_ev("client", "connect", 3, 0, 0, "", "");
	struct ss_event p = packet_ev("127.0.0.1:1", "127.0.0.1:2", "S");
	struct filter_sink fs = {&f, count_event, &seen};

	filter_sink(&fs, &c);
	filter_sink(&fs, &p);
	filter_sink(&fs, &p);
	ck_assert_int_eq(seen, 2);
}
END_TEST

Suite *test_suite(void)
{
	Suite *s = suite_create("filter");
	TCase *tc = tcase_create("filter");

	tcase_add_test(tc, accepts_every_documented_clause);
	tcase_add_test(tc, pid_picks_one_process_of_a_traced_program);
	tcase_add_test(tc, refuses_bad_clauses_with_a_reason);
	tcase_add_test(tc, a_refused_expression_leaves_the_filter_as_it_was);
	tcase_add_test(tc, empty_filter_matches_everything);
	tcase_add_test(tc, actor_keeps_only_that_actors_events);
	tcase_add_test(tc, call_matches_calls_and_blocked_calls_by_name);
	tcase_add_test(tc, errno_keeps_failed_calls);
	tcase_add_test(tc, kind_selects_event_kinds_with_plural_names);
	tcase_add_test(tc, flags_equal_or_contain);
	tcase_add_test(tc, port_matches_either_end_of_calls_packets_and_rows);
	tcase_add_test(tc, fd_matches_the_fd_acted_on_and_the_fd_accept_returns);
	tcase_add_test(tc, clauses_are_anded_across_expressions);
	tcase_add_test(tc, state_sock_and_step);
	tcase_add_test(tc, describe_writes_the_filter_back);
	tcase_add_test(tc, search_is_case_insensitive_over_the_shown_text);
	tcase_add_test(tc, filter_sink_passes_only_matches);
	suite_add_tcase(s, tc);
	return s;
}
