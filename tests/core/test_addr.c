/* addr: one parser for every address, and the sockaddr the kernel gets
 * from it is the one the text names (checked by binding real sockets). */
#include <arpa/inet.h>
#include <check.h>
#include <net/if.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "sockstep/addr.h"

static void roundtrip(const char *text, int flags, enum ss_addr_kind kind)
{
	struct ss_addr a;
	char err[128] = "", back[SS_ADDR_MAX];

	ck_assert_msg(addr_parse(&a, text, flags, err, sizeof err) == 0, "%s: %s",
		      text, err);
	ck_assert_int_eq(a.kind, kind);
	addr_format(&a, back, sizeof back);
	ck_assert_str_eq(back, text);
}

static void rejected(const char *text, int flags, const char *word)
{
	struct ss_addr a;
	char err[160] = "";

	ck_assert_int_eq(addr_parse(&a, text, flags, err, sizeof err), -1);
	ck_assert_int_eq(a.kind, SS_ADDR_NONE);
	ck_assert_msg(strstr(err, word) != NULL, "'%s' -> '%s', wanted '%s'",
		      text, err, word);
}

START_TEST(test_addr__ipv4_host_and_port)
{
	struct ss_addr a;
	ck_assert_int_eq(addr_parse(&a, "127.0.0.1:9001", 0, NULL, 0), 0);
	ck_assert_int_eq(a.kind, SS_ADDR_INET);
	ck_assert_str_eq(a.host, "127.0.0.1");
	ck_assert_int_eq(a.port, 9001);
	ck_assert_int_eq(addr_family(&a), AF_INET);
	roundtrip("0.0.0.0:0", 0, SS_ADDR_INET);
	roundtrip("10.0.0.7:65535", 0, SS_ADDR_INET);
}
END_TEST

START_TEST(test_addr__ipv6_needs_brackets)
{
	struct ss_addr a;
	ck_assert_int_eq(addr_parse(&a, "[::1]:9001", 0, NULL, 0), 0);
	ck_assert_int_eq(a.kind, SS_ADDR_INET6);
	ck_assert_str_eq(a.host, "::1");
	ck_assert_str_eq(a.scope, "");
	ck_assert_int_eq(a.port, 9001);
	rejected("::1:9001", 0, "brackets");
	rejected("[::1:9001", 0, "']'");
	rejected("[::1]", 0, "port");
	rejected("[::1]9001", 0, "port");
	rejected("[1.2.3.4]:80", 0, "IPv6");
}
END_TEST

START_TEST(test_addr__ipv6_scope_id_is_kept)
{
	struct ss_addr a;
	ck_assert_int_eq(addr_parse(&a, "[fe80::1%lo]:80", 0, NULL, 0), 0);
	ck_assert_str_eq(a.host, "fe80::1");
	ck_assert_str_eq(a.scope, "lo");
	roundtrip("[fe80::1%lo]:80", 0, SS_ADDR_INET6);
	rejected("[fe80::1%]:80", 0, "scope");
	rejected("[fe80::1%abcdefghijklmnopq]:80", 0, "scope");
}
END_TEST

START_TEST(test_addr__scope_names_the_loopback_interface)
{
	struct ss_addr a;
	struct sockaddr_storage ss;
	socklen_t len;
	char err[128];

	ck_assert_int_eq(addr_parse(&a, "[fe80::1%lo]:80", 0, NULL, 0), 0);
	ck_assert_msg(addr_sockaddr(&a, AF_INET6, SOCK_STREAM, &ss, &len, err,
				    sizeof err) == 0, "%s", err);
	ck_assert_uint_eq(((struct sockaddr_in6 *)&ss)->sin6_scope_id,
			  if_nametoindex("lo"));
	ck_assert_int_eq(addr_parse(&a, "[fe80::1%nosuchif0]:80", 0, NULL, 0), 0);
	ck_assert_int_eq(addr_sockaddr(&a, 0, SOCK_STREAM, &ss, &len, err,
				       sizeof err), -1);
	ck_assert_ptr_nonnull(strstr(err, "interface"));
}
END_TEST

START_TEST(test_addr__ports_are_0_to_65535)
{
	rejected("127.0.0.1:65536", 0, "65535");
	rejected("127.0.0.1:-1", 0, "65535");
	rejected("127.0.0.1:", 0, "65535");
	rejected("127.0.0.1:9x", 0, "65535");
	rejected("127.0.0.1:0000009", 0, "65535");
	rejected("127.0.0.1:auto", 0, "65535");
}
END_TEST

START_TEST(test_addr__auto_is_port_0_and_formats_back)
{
	struct ss_addr a;
	ck_assert_int_eq(addr_parse(&a, "[::1]:auto", ADDR_AUTO, NULL, 0), 0);
	ck_assert_int_eq(a.port, 0);
	ck_assert(a.port_auto);
	roundtrip("127.0.0.1:auto", ADDR_AUTO, SS_ADDR_INET);
	rejected("127.0.0.1:Auto", ADDR_AUTO, "or auto");
}
END_TEST

START_TEST(test_addr__names_only_when_allowed)
{
	roundtrip("localhost:80", ADDR_NAMES, SS_ADDR_HOST);
	roundtrip("*:9001", ADDR_NAMES, SS_ADDR_HOST);
	rejected("localhost:80", 0, "numeric");
	rejected(":80", ADDR_NAMES, "no host");
	rejected("a b:80", ADDR_NAMES, "blank");
	rejected("server.s", ADDR_NAMES, "expected host:port");
}
END_TEST

START_TEST(test_addr__unix_path_and_abstract_name)
{
	struct ss_addr a;
	ck_assert_int_eq(addr_parse(&a, "/tmp/x.sock", 0, NULL, 0), 0);
	ck_assert_int_eq(a.kind, SS_ADDR_UNIX);
	ck_assert_str_eq(a.path, "/tmp/x.sock");
	ck_assert_int_eq(a.port, -1);
	ck_assert_int_eq(addr_family(&a), AF_UNIX);
	ck_assert_int_eq(addr_parse(&a, "@abstract", 0, NULL, 0), 0);
	ck_assert_int_eq(a.kind, SS_ADDR_ABSTRACT);
	ck_assert_str_eq(a.path, "abstract");
	roundtrip("/path", 0, SS_ADDR_UNIX);
	roundtrip("@abstract", 0, SS_ADDR_ABSTRACT);
	/* A colon inside a path is part of the path, not a port. */
	roundtrip("/tmp/a:1", 0, SS_ADDR_UNIX);
	rejected("@", 0, "no name");
	rejected("/", 0, "no name");
}
END_TEST

START_TEST(test_addr__too_long_is_an_error_not_a_cut)
{
	char text[SS_ADDR_MAX + 8];
	memset(text, 'a', sizeof text);
	text[0] = '/';
	text[SS_ADDR_MAX] = '\0';
	rejected(text, 0, "too long");
	rejected("", 0, "empty");
}
END_TEST

START_TEST(test_addr__error_escapes_the_text)
{
	struct ss_addr a;
	char err[160];
	ck_assert_int_eq(addr_parse(&a, "\x1b[2J:1", 0, err, sizeof err), -1);
	ck_assert_ptr_null(strchr(err, 0x1b));
	ck_assert_ptr_nonnull(strstr(err, "\\x1b"));
}
END_TEST

START_TEST(test_addr__port_offset_splits_host_from_port)
{
	ck_assert_int_eq(addr_port_offset("127.0.0.1:9001"), 10);
	ck_assert_int_eq(addr_port_offset("[::1]:80"), 6);
	ck_assert_int_eq(addr_port_offset("*:22"), 2);
	ck_assert_int_eq(addr_port_offset("/tmp/a:1"), -1);
	ck_assert_int_eq(addr_port_offset("@x:1"), -1);
	ck_assert_int_eq(addr_port_offset(""), -1);
}
END_TEST

START_TEST(test_addr__wildcards_of_each_family)
{
	static const struct {
		const char *text;
		bool any;
	} cases[] = {{"0.0.0.0:80", true}, {"[::]:80", true}, {"*:80", true},
		     {"127.0.0.1:80", false}, {"[::1]:80", false},
		     {"/tmp/s", false}};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct ss_addr a;
		ck_assert_int_eq(addr_parse(&a, cases[i].text, ADDR_NAMES, NULL, 0), 0);
		ck_assert_msg(addr_is_any(&a) == cases[i].any, "%s", cases[i].text);
	}
}
END_TEST

/* The kernel agrees: bind the sockaddr built from the text to port 0 on
 * loopback and read back what getsockname says. */
START_TEST(test_addr__loopback_bind_gets_the_named_address)
{
	struct ss_addr a;
	struct sockaddr_storage ss, got;
	socklen_t len, glen = sizeof got;
	char err[128];

	ck_assert_int_eq(addr_parse(&a, "127.0.0.1:auto", ADDR_AUTO, NULL, 0), 0);
	ck_assert_int_eq(addr_sockaddr(&a, AF_INET, SOCK_STREAM, &ss, &len, err,
				       sizeof err), 0);
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(bind(fd, (struct sockaddr *)&ss, len), 0);
	ck_assert_int_eq(getsockname(fd, (struct sockaddr *)&got, &glen), 0);
	struct sockaddr_in *in = (struct sockaddr_in *)&got;
	ck_assert_uint_eq(ntohl(in->sin_addr.s_addr), INADDR_LOOPBACK);
	ck_assert_uint_ne(ntohs(in->sin_port), 0); /* the kernel chose one */
	close(fd);
	/* An IPv4 text is not an address for an IPv6 socket. */
	ck_assert_int_eq(addr_sockaddr(&a, AF_INET6, SOCK_STREAM, &ss, &len, err,
				       sizeof err), -1);
}
END_TEST

START_TEST(test_addr__abstract_name_binds_without_a_file)
{
	struct ss_addr a;
	struct sockaddr_storage ss;
	struct sockaddr_un got;
	socklen_t len, glen = sizeof got;
	char name[64];

	snprintf(name, sizeof name, "@sockstep-test-addr-%d", (int)getpid());
	ck_assert_int_eq(addr_parse(&a, name, 0, NULL, 0), 0);
	ck_assert_int_eq(addr_sockaddr(&a, AF_UNIX, SOCK_STREAM, &ss, &len, NULL, 0), 0);
	int fd = socket(AF_UNIX, SOCK_STREAM, 0);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(bind(fd, (struct sockaddr *)&ss, len), 0);
	ck_assert_int_eq(getsockname(fd, (struct sockaddr *)&got, &glen), 0);
	ck_assert_uint_eq(glen, len);
	ck_assert_int_eq(got.sun_path[0], '\0');
	ck_assert_int_eq(memcmp(got.sun_path + 1, name + 1, strlen(name) - 1), 0);
	close(fd);
}
END_TEST

START_TEST(test_addr__longest_path_fits_sun_path)
{
	struct ss_addr a;
	struct sockaddr_storage ss;
	socklen_t len;
	char err[160];

	/* The longest path the parser lets through (SS_ADDR_MAX - 1 bytes)
	 * still fits sun_path (108 bytes with its NUL), NUL counted. */
	memset(&a, 0, sizeof a);
	a.kind = SS_ADDR_UNIX;
	memset(a.path, 'p', sizeof a.path - 1);
	a.path[0] = '/';
	ck_assert_int_eq(addr_sockaddr(&a, AF_UNIX, SOCK_STREAM, &ss, &len, err,
				       sizeof err), 0);
	ck_assert_uint_eq(len, offsetof(struct sockaddr_un, sun_path) + sizeof a.path);
}
END_TEST

Suite *test_suite(void)
{
	Suite *s = suite_create("addr");
	TCase *tc = tcase_create("addr");
	tcase_add_test(tc, test_addr__ipv4_host_and_port);
	tcase_add_test(tc, test_addr__ipv6_needs_brackets);
	tcase_add_test(tc, test_addr__ipv6_scope_id_is_kept);
	tcase_add_test(tc, test_addr__scope_names_the_loopback_interface);
	tcase_add_test(tc, test_addr__ports_are_0_to_65535);
	tcase_add_test(tc, test_addr__auto_is_port_0_and_formats_back);
	tcase_add_test(tc, test_addr__names_only_when_allowed);
	tcase_add_test(tc, test_addr__unix_path_and_abstract_name);
	tcase_add_test(tc, test_addr__too_long_is_an_error_not_a_cut);
	tcase_add_test(tc, test_addr__error_escapes_the_text);
	tcase_add_test(tc, test_addr__port_offset_splits_host_from_port);
	tcase_add_test(tc, test_addr__wildcards_of_each_family);
	tcase_add_test(tc, test_addr__loopback_bind_gets_the_named_address);
	tcase_add_test(tc, test_addr__abstract_name_binds_without_a_file);
	tcase_add_test(tc, test_addr__longest_path_fits_sun_path);
	suite_add_tcase(s, tc);
	return s;
}
