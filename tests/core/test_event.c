/* event: defaults mean "not reported", and names are spelled as the
 * kernel and ss(8) spell them. */
#include <check.h>
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <sys/socket.h>
#include <unistd.h>
#include <string.h>
#include <time.h>

#include "sockstep/event.h"

START_TEST(new_call_event_reports_nothing)
{
	struct ss_event ev;
	memset(&ev, 0x55, sizeof(ev));
	event_init(&ev, SS_EV_CALL);
	ck_assert_int_eq(ev.kind, SS_EV_CALL);
	ck_assert_int_eq(ev.step, 0);
	ck_assert_str_eq(ev.actor, "");
	ck_assert_int_eq(ev.u.call.fd, -1);
	ck_assert_int_eq(ev.u.call.state, -1);
	ck_assert_int_eq(ev.u.call.queue, -1);
	ck_assert_int_eq(ev.u.call.backlog, -1);
	ck_assert_int_eq(ev.u.call.bytes, -1);
	ck_assert_int_eq(ev.u.call.unread, -1);
	ck_assert_int_eq(ev.u.call.err, 0);
	ck_assert_int_eq(ev.u.call.data_len, 0);
	ck_assert_str_eq(ev.u.call.local, "");
	ck_assert_uint_eq(ev.u.call.inode, 0);
}
END_TEST

START_TEST(new_socket_event_reports_nothing)
{
	struct ss_event ev;
	memset(&ev, 0x55, sizeof(ev));
	event_init(&ev, SS_EV_SOCKET);
	ck_assert_int_eq(ev.u.sock.state, -1);
	ck_assert_int_eq(ev.u.sock.recv_q, -1);
	ck_assert_int_eq(ev.u.sock.send_q, -1);
	ck_assert_int_eq(ev.u.sock.timer, 0);
	ck_assert_int_eq(ev.u.sock.timer_ms, -1);
	ck_assert_int_eq(ev.u.sock.owner_fd, -1);
	ck_assert_str_eq(ev.u.sock.owner, "");
}
END_TEST

START_TEST(kind_names_round_trip)
{
	for (int k = 0; k < SS_EV_KIND_COUNT; k++) {
		const char *name = event_kind_name((enum ss_kind)k);
		ck_assert_ptr_nonnull(name);
		ck_assert_int_eq(event_kind_from_name(name), k);
	}
	ck_assert_str_eq(event_kind_name(SS_EV_CALL), "call");
	ck_assert_str_eq(event_kind_name(SS_EV_BLOCKED), "blocked");
	ck_assert_ptr_null(event_kind_name(SS_EV_KIND_COUNT));
	ck_assert_int_eq(event_kind_from_name("bogus"), -1);
	ck_assert_int_eq(event_kind_from_name(NULL), -1);
}
END_TEST

START_TEST(tcp_states_use_kernel_numbering)
{
	/* include/net/tcp_states.h */
	ck_assert_str_eq(event_tcp_state_name(1), "ESTABLISHED");
	ck_assert_str_eq(event_tcp_state_name(2), "SYN_SENT");
	ck_assert_str_eq(event_tcp_state_name(3), "SYN_RECV");
	ck_assert_str_eq(event_tcp_state_name(4), "FIN_WAIT1");
	ck_assert_str_eq(event_tcp_state_name(5), "FIN_WAIT2");
	ck_assert_str_eq(event_tcp_state_name(6), "TIME_WAIT");
	ck_assert_str_eq(event_tcp_state_name(7), "CLOSE");
	ck_assert_str_eq(event_tcp_state_name(8), "CLOSE_WAIT");
	ck_assert_str_eq(event_tcp_state_name(9), "LAST_ACK");
	ck_assert_str_eq(event_tcp_state_name(10), "LISTEN");
	ck_assert_str_eq(event_tcp_state_name(11), "CLOSING");
	ck_assert_str_eq(event_tcp_state_name(12), "NEW_SYN_RECV");
	for (int s = 1; s <= 12; s++)
		ck_assert_int_eq(event_tcp_state_from_name(event_tcp_state_name(s)), s);
}
END_TEST

START_TEST(tcp_state_unreported_is_empty_and_unused_is_unknown)
{
	ck_assert_str_eq(event_tcp_state_name(-1), "");
	ck_assert_str_eq(event_tcp_state_name(0), "UNKNOWN");
	ck_assert_str_eq(event_tcp_state_name(99), "UNKNOWN");
	ck_assert_str_eq(event_tcp_state_name(-7), "UNKNOWN");
	ck_assert_int_eq(event_tcp_state_from_name("UNKNOWN"), -1);
	ck_assert_int_eq(event_tcp_state_from_name("SYN-SENT"), -1);
	ck_assert_int_eq(event_tcp_state_from_name(NULL), -1);
}
END_TEST

START_TEST(errno_names_cover_socket_errors)
{
	static const int errs[] = {
		EADDRINUSE, EADDRNOTAVAIL, ECONNREFUSED, ECONNRESET, ETIMEDOUT, EAGAIN,
		EINPROGRESS, EALREADY, EISCONN, ENOTCONN, EPIPE, EINVAL, EBADF, ENOTSOCK,
		EACCES, EPERM, EAFNOSUPPORT, EPROTONOSUPPORT, EOPNOTSUPP, EMSGSIZE, ENOBUFS,
		ENOMEM, EINTR, EHOSTUNREACH, ENETUNREACH, ENOENT, EEXIST, EFAULT, EMFILE,
		ENFILE, ENOPROTOOPT, EDESTADDRREQ, ECONNABORTED, ENETDOWN, ESHUTDOWN,
	};
	for (size_t i = 0; i < sizeof(errs) / sizeof(errs[0]); i++) {
		const char *name = event_errno_name(errs[i]);
		ck_assert_msg(name != NULL, "errno %d has no name", errs[i]);
		ck_assert_int_eq(event_errno_from_name(name), errs[i]);
	}
	ck_assert_str_eq(event_errno_name(EADDRINUSE), "EADDRINUSE");
	ck_assert_str_eq(event_errno_name(ECONNREFUSED), "ECONNREFUSED");
}
END_TEST

START_TEST(ewouldblock_is_named_eagain)
{
	ck_assert_str_eq(event_errno_name(EWOULDBLOCK), "EAGAIN");
	ck_assert_int_eq(event_errno_from_name("EWOULDBLOCK"), EAGAIN);
	ck_assert_str_eq(event_errno_name(ENOTSUP), "EOPNOTSUPP");
}
END_TEST

START_TEST(errno_zero_and_unknown_have_no_name)
{
	ck_assert_ptr_null(event_errno_name(0));
	ck_assert_ptr_null(event_errno_name(100000));
	ck_assert_ptr_null(event_errno_name(-1));
	ck_assert_int_eq(event_errno_from_name("ENOTANERROR"), 0);
	ck_assert_int_eq(event_errno_from_name(NULL), 0);
}
END_TEST

START_TEST(addr_port_reads_ipv4_and_bracketed_ipv6)
{
	ck_assert_int_eq(event_addr_port("127.0.0.1:9001"), 9001);
	ck_assert_int_eq(event_addr_port("[::1]:9001"), 9001);
	ck_assert_int_eq(event_addr_port("[fe80::1%lo]:80"), 80);
	ck_assert_int_eq(event_addr_port("0.0.0.0:0"), 0);
	ck_assert_int_eq(event_addr_port("*:65535"), 65535);
}
END_TEST

START_TEST(addr_port_is_minus_one_without_a_port)
{
	ck_assert_int_eq(event_addr_port(""), -1);
	ck_assert_int_eq(event_addr_port(NULL), -1);
	ck_assert_int_eq(event_addr_port("/tmp/sock"), -1);
	ck_assert_int_eq(event_addr_port("/tmp/odd:1"), -1);
	ck_assert_int_eq(event_addr_port("@abstract:1"), -1);
	ck_assert_int_eq(event_addr_port("::1"), -1);
	ck_assert_int_eq(event_addr_port("[::1]"), -1);
	ck_assert_int_eq(event_addr_port("[::1]:"), -1);
	ck_assert_int_eq(event_addr_port("127.0.0.1:"), -1);
	ck_assert_int_eq(event_addr_port("127.0.0.1:65536"), -1);
	ck_assert_int_eq(event_addr_port("127.0.0.1:99999999999999999999"), -1);
	ck_assert_int_eq(event_addr_port("127.0.0.1:12x"), -1);
	ck_assert_int_eq(event_addr_port(":80"), -1);
}
END_TEST

/* Every <netinet/tcp.h> state has its name, and names read back. */
START_TEST(tcp_state_names_match_netinet_constants)
{
	static const struct {
		int state;
		const char *name;
	} states[] = {{TCP_ESTABLISHED, "ESTABLISHED"}, {TCP_SYN_SENT, "SYN_SENT"},
		      {TCP_SYN_RECV, "SYN_RECV"},	{TCP_FIN_WAIT1, "FIN_WAIT1"},
		      {TCP_FIN_WAIT2, "FIN_WAIT2"},	{TCP_TIME_WAIT, "TIME_WAIT"},
		      {TCP_CLOSE, "CLOSE"},		{TCP_CLOSE_WAIT, "CLOSE_WAIT"},
		      {TCP_LAST_ACK, "LAST_ACK"},	{TCP_LISTEN, "LISTEN"},
		      {TCP_CLOSING, "CLOSING"},	{SS_TCP_NEW_SYN_RECV, "NEW_SYN_RECV"}};
	for (size_t i = 0; i < sizeof states / sizeof states[0]; i++) {
		ck_assert_str_eq(event_tcp_state_name(states[i].state), states[i].name);
		ck_assert_int_eq(event_tcp_state_from_name(states[i].name), states[i].state);
	}
}
END_TEST

/* A real listener: the state TCP_INFO reports is the one named LISTEN. */
START_TEST(listening_socket_reports_the_state_named_listen)
{
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in sin = {.sin_family = AF_INET,
				  .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	struct tcp_info ti;
	socklen_t len = sizeof ti;

	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(bind(fd, (struct sockaddr *)&sin, sizeof sin), 0);
	ck_assert_int_eq(listen(fd, 1), 0);
	ck_assert_int_eq(getsockopt(fd, IPPROTO_TCP, TCP_INFO, &ti, &len), 0);
	ck_assert_str_eq(event_tcp_state_name(ti.tcpi_state), "LISTEN");
	close(fd);
}
END_TEST

START_TEST(family_and_type_names_are_sys_socket_names)
{
	ck_assert_str_eq(event_family_name(AF_INET), "AF_INET");
	ck_assert_str_eq(event_family_name(AF_INET6), "AF_INET6");
	ck_assert_str_eq(event_family_name(AF_UNIX), "AF_UNIX");
	ck_assert_ptr_null(event_family_name(AF_NETLINK));
	ck_assert_int_eq(event_family_from_name("AF_LOCAL"), AF_UNIX);
	ck_assert_int_eq(event_family_from_name("AF_INET6"), AF_INET6);
	ck_assert_int_eq(event_family_from_name("AF_IPX"), -1);
	ck_assert_int_eq(event_family_from_name(NULL), -1);
	ck_assert_str_eq(event_type_name(SOCK_STREAM), "SOCK_STREAM");
	ck_assert_str_eq(event_type_name(SOCK_DGRAM), "SOCK_DGRAM");
	ck_assert_int_eq(event_type_from_name("SOCK_SEQPACKET"), SOCK_SEQPACKET);
	ck_assert_int_eq(event_type_from_name("SOCK_BOGUS"), -1);
	ck_assert_ptr_null(event_type_name(999));
}
END_TEST

START_TEST(clock_is_realtime)
{
	double now = event_clock_now();
	double wall = (double)time(NULL);
	ck_assert(now > wall - 2.0 && now < wall + 2.0);
}
END_TEST

START_TEST(escape_makes_every_text_field_printable)
{
	/* a recording from anywhere: ESC, BEL and C1 CSI in every field */
	struct ss_event ev;

	event_init(&ev, SS_EV_CALL);
	snprintf(ev.actor, sizeof ev.actor, "a\x1b[2J");
	snprintf(ev.u.call.args, sizeof ev.u.call.args, "x\xc2\x9b" "31m\\");
	snprintf(ev.u.call.peer, sizeof ev.u.call.peer, "\x07");
	/* 15 ESC: the escapes do not fit, the field ends in "..." */
	memset(ev.u.call.sock, 0x1b, sizeof ev.u.call.sock - 1);
	event_escape(&ev);
	ck_assert_str_eq(ev.actor, "a\\x1b[2J");
	ck_assert_str_eq(ev.u.call.args, "x\\xc2\\x9b31m\\\\");
	ck_assert_str_eq(ev.u.call.peer, "\\x07");
	ck_assert_str_eq(ev.u.call.sock, "\\x1b\\x1b\\x1b...");
	/* printable already (escaped where it was made): left alone */
	snprintf(ev.u.call.local, sizeof ev.u.call.local, "/tmp/caf\\xc3\\xa9.sock");
	event_escape(&ev);
	ck_assert_str_eq(ev.u.call.local, "/tmp/caf\\xc3\\xa9.sock");

	/* a process event's own fields, not a note's over its memory */
	event_init(&ev, SS_EV_PROCESS);
	snprintf(ev.u.proc.what, sizeof ev.u.proc.what, "exec");
	ev.u.proc.ppid = 0x1b1b1b1b;
	snprintf(ev.u.proc.command, sizeof ev.u.proc.command, "py\x1b s.py");
	event_escape(&ev);
	ck_assert_str_eq(ev.u.proc.command, "py\\x1b s.py");
	ck_assert_int_eq(ev.u.proc.ppid, 0x1b1b1b1b);

	event_init(&ev, SS_EV_PACKET);
	snprintf(ev.u.pkt.flags, sizeof ev.u.pkt.flags, "S\x1b");
	event_escape(&ev);
	ck_assert_str_eq(ev.u.pkt.flags, "S\\x1b");
}
END_TEST

Suite *test_suite(void)
{
	Suite *s = suite_create("event");
	TCase *tc = tcase_create("event");
	tcase_add_test(tc, new_call_event_reports_nothing);
	tcase_add_test(tc, new_socket_event_reports_nothing);
	tcase_add_test(tc, kind_names_round_trip);
	tcase_add_test(tc, tcp_states_use_kernel_numbering);
	tcase_add_test(tc, tcp_state_unreported_is_empty_and_unused_is_unknown);
	tcase_add_test(tc, errno_names_cover_socket_errors);
	tcase_add_test(tc, ewouldblock_is_named_eagain);
	tcase_add_test(tc, errno_zero_and_unknown_have_no_name);
	tcase_add_test(tc, addr_port_reads_ipv4_and_bracketed_ipv6);
	tcase_add_test(tc, addr_port_is_minus_one_without_a_port);
	tcase_add_test(tc, tcp_state_names_match_netinet_constants);
	tcase_add_test(tc, listening_socket_reports_the_state_named_listen);
	tcase_add_test(tc, family_and_type_names_are_sys_socket_names);
	tcase_add_test(tc, clock_is_realtime);
	tcase_add_test(tc, escape_makes_every_text_field_printable);
	suite_add_tcase(s, tc);
	return s;
}
