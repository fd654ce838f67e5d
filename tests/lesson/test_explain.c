/* explain: the sentence follows the kernel's answer. */
#include <check.h>
#include <errno.h>
#include <string.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

#include "sockstep/explain.h"

static struct ss_event call(const char *name, long ret, int err, int type)
{
	struct ss_event ev;
	event_init(&ev, SS_EV_CALL);
	strcpy(ev.u.call.name, name);
	ev.u.call.ret = ret;
	ev.u.call.err = err;
	ev.u.call.type = type;
	return ev;
}

START_TEST(refused_connect_is_explained_by_rst)
{
	struct ss_event ev = call("connect", -1, ECONNREFUSED, SOCK_STREAM);
	ck_assert_ptr_nonnull(strstr(explain_call(&ev), "RST"));
}
END_TEST

START_TEST(zero_byte_stream_read_is_the_peers_fin)
{
	struct ss_event ev = call("recv", 0, 0, SOCK_STREAM);
	ev.u.call.state = TCP_CLOSE_WAIT;
	ck_assert_ptr_nonnull(strstr(explain_call(&ev), "FIN"));
	ck_assert_ptr_nonnull(strstr(explain_call(&ev), "CLOSE_WAIT"));
	ev = call("recv", 0, 0, SOCK_DGRAM); /* an empty datagram is a datagram */
	ck_assert_ptr_null(explain_call(&ev));
}
END_TEST

/* Issue 13: a socket that closed first (TIME_WAIT in the table, CLOSE in
 * TCP_INFO) or was reset must not be called CLOSE_WAIT, and a reset is
 * no FIN. */
START_TEST(zero_byte_read_names_only_the_state_the_call_saw)
{
	struct ss_event ev = call("recv", 0, 0, SOCK_STREAM);
	ev.u.call.state = TCP_CLOSE;
	ck_assert_ptr_null(strstr(explain_call(&ev), "CLOSE_WAIT"));
	ck_assert_ptr_null(strstr(explain_call(&ev), "FIN"));
	ck_assert_ptr_nonnull(strstr(explain_call(&ev), "CLOSE"));
	ev.u.call.state = -1;
	ck_assert_ptr_null(strstr(explain_call(&ev), "CLOSE_WAIT"));
	ev.u.call.family = AF_UNIX;
	ck_assert_ptr_null(strstr(explain_call(&ev), "CLOSE_WAIT"));
}
END_TEST

START_TEST(eagain_blames_the_flag_the_call_used)
{
	struct ss_event ev = call("recv", -1, EAGAIN, SOCK_DGRAM);
	strcpy(ev.u.call.args, "len=1024 MSG_DONTWAIT");
	ck_assert_ptr_nonnull(strstr(explain_call(&ev), "MSG_DONTWAIT"));
	ck_assert_ptr_null(strstr(explain_call(&ev), "SO_RCVTIMEO"));
	strcpy(ev.u.call.args, "len=1024");
	ck_assert_ptr_nonnull(strstr(explain_call(&ev), "SO_RCVTIMEO"));
	ck_assert_ptr_nonnull(strstr(explain_call(&ev), "O_NONBLOCK"));
}
END_TEST

START_TEST(unix_path_in_use_is_not_time_wait)
{
	struct ss_event ev = call("bind", -1, EADDRINUSE, SOCK_STREAM);
	ev.u.call.family = AF_UNIX;
	ck_assert_ptr_null(strstr(explain_call(&ev), "TIME_WAIT is"));
	ck_assert_ptr_nonnull(strstr(explain_call(&ev), "unlink"));
	ev.u.call.family = AF_INET;
	ck_assert_ptr_nonnull(strstr(explain_call(&ev), "TIME_WAIT"));
}
END_TEST

START_TEST(success_and_unknown_errors_add_nothing)
{
	struct ss_event ev = call("send", 5, 0, SOCK_STREAM);
	ck_assert_ptr_null(explain_call(&ev));
	ev = call("socket", -1, EMFILE, 0);
	ck_assert_ptr_null(explain_call(&ev));
	ev = call("bind", -1, EADDRINUSE, SOCK_STREAM);
	ck_assert_ptr_nonnull(strstr(explain_call(&ev), "TIME_WAIT"));
}
END_TEST

Suite *test_suite(void)
{
	Suite *s = suite_create("explain");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, refused_connect_is_explained_by_rst);
	tcase_add_test(tc, zero_byte_stream_read_is_the_peers_fin);
	tcase_add_test(tc, success_and_unknown_errors_add_nothing);
	tcase_add_test(tc, zero_byte_read_names_only_the_state_the_call_saw);
	tcase_add_test(tc, eagain_blames_the_flag_the_call_used);
	tcase_add_test(tc, unix_path_in_use_is_not_time_wait);
	suite_add_tcase(s, tc);
	return s;
}
