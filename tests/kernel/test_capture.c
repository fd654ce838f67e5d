/* capture: decoding frames as tcpdump would show them, and a live handshake
 * on lo (needs CAP_NET_RAW; skipped with a reason without it). */
#include <check.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <pcap/pcap.h>
#include <poll.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "sockstep/capture.h"

#define F_FIN 0x01
#define F_SYN 0x02
#define F_RST 0x04
#define F_PSH 0x08
#define F_ACK 0x10
#define F_URG 0x20
#define F_ECE 0x40
#define F_CWR 0x80

/* What a hand-built segment carries. */
struct seg {
	uint8_t flags;
	uint32_t seq, ack;
	uint16_t sport, dport, win;
	int payload;  /* bytes claimed by the IP length */
	int tcp_opts; /* option bytes (multiple of 4) */
	int ip_opts;  /* IPv4 option bytes (multiple of 4) */
};

static void put16(unsigned char *p, unsigned v)
{
	p[0] = (unsigned char)(v >> 8);
	p[1] = (unsigned char)v;
}

static void put32(unsigned char *p, uint32_t v)
{
	put16(p, v >> 16);
	put16(p + 2, v & 0xffff);
}

/* TCP header at p; returns its length.  Options are NOPs. */
static size_t build_tcp(unsigned char *p, const struct seg *s)
{
	size_t hlen = 20 + (size_t)s->tcp_opts;

	memset(p, 0, hlen);
	put16(p, s->sport);
	put16(p + 2, s->dport);
	put32(p + 4, s->seq);
	put32(p + 8, s->ack);
	p[12] = (unsigned char)((hlen / 4) << 4);
	p[13] = s->flags;
	put16(p + 14, s->win);
	memset(p + 20, 1, (size_t)s->tcp_opts);
	return hlen;
}

/* IPv4 127.0.0.1 -> 127.0.0.2 + TCP at p; returns bytes written (headers
 * plus zero payload bytes actually present). */
static size_t build_ipv4(unsigned char *p, const struct seg *s)
{
	size_t ihl = 20 + (size_t)s->ip_opts;

	memset(p, 0, ihl);
	p[0] = (unsigned char)(0x40 | (ihl / 4));
	p[8] = 64;
	p[9] = IPPROTO_TCP;
	put32(p + 12, 0x7f000001);
	put32(p + 16, 0x7f000002);
	size_t tlen = build_tcp(p + ihl, s);
	put16(p + 2, (unsigned)(ihl + tlen + (size_t)s->payload));
	memset(p + ihl + tlen, 'x', (size_t)s->payload);
	return ihl + tlen + (size_t)s->payload;
}

static size_t build_ipv6(unsigned char *p, const struct seg *s)
{
	memset(p, 0, 40);
	p[0] = 0x60;
	p[6] = IPPROTO_TCP;
	p[7] = 64;
	p[23] = 1; /* ::1 */
	p[39] = 1;
	size_t tlen = build_tcp(p + 40, s);
	put16(p + 4, (unsigned)(tlen + (size_t)s->payload));
	memset(p + 40 + tlen, 'x', (size_t)s->payload);
	return 40 + tlen + (size_t)s->payload;
}

/* Loopback's fake Ethernet header: zero MACs and an ethertype. */
static size_t build_eth(unsigned char *f, const struct seg *s, bool v6)
{
	memset(f, 0, 14);
	put16(f + 12, v6 ? 0x86dd : 0x0800);
	return 14 + (v6 ? build_ipv6(f + 14, s) : build_ipv4(f + 14, s));
}

static const struct seg syn = {
    .flags = F_SYN,
    .seq = 1000,
    .sport = 40000,
    .dport = 9001,
    .win = 65495,
    .tcp_opts = 20,
};

START_TEST(syn_decodes_like_tcpdump)
{
	unsigned char f[256];
	struct ss_packet_event p;
	size_t n = build_eth(f, &syn, false);

	ck_assert_int_eq(capture_decode(DLT_EN10MB, f, n, &p), 0);
	ck_assert_str_eq(p.src, "127.0.0.1:40000");
	ck_assert_str_eq(p.dst, "127.0.0.2:9001");
	ck_assert_str_eq(p.flags, "S");
	ck_assert_uint_eq(p.seq, 1000);
	ck_assert_uint_eq(p.ack, 0);
	ck_assert_int_eq(p.len, 0);
	ck_assert_uint_eq(p.win, 65495);
	ck_assert_uint_eq(p.rel_seq, 0);
	ck_assert_uint_eq(p.rel_ack, 0);
}
END_TEST

START_TEST(syn_ack_acknowledges_isn_plus_one)
{
	unsigned char f[256];
	struct ss_packet_event p;
	struct seg s = {.flags = F_SYN | F_ACK,
			.seq = 0xfffffff0u,
			.ack = 1001,
			.sport = 9001,
			.dport = 40000,
			.win = 65483,
			.tcp_opts = 20};
	size_t n = build_eth(f, &s, false);

	ck_assert_int_eq(capture_decode(DLT_EN10MB, f, n, &p), 0);
	ck_assert_str_eq(p.flags, "S.");
	ck_assert_uint_eq(p.seq, 0xfffffff0u);
	ck_assert_uint_eq(p.ack, 1001);
	ck_assert_str_eq(p.src, "127.0.0.1:9001");
}
END_TEST

START_TEST(data_segment_length_comes_from_ip_header)
{
	unsigned char f[256];
	struct ss_packet_event p;
	struct seg s = {.flags = F_PSH | F_ACK,
			.seq = 1001,
			.ack = 5,
			.sport = 40000,
			.dport = 9001,
			.payload = 100,
			.tcp_opts = 12};
	size_t n = build_eth(f, &s, false);

	ck_assert_int_eq(capture_decode(DLT_EN10MB, f, n, &p), 0);
	ck_assert_str_eq(p.flags, "P.");
	ck_assert_int_eq(p.len, 100);
	/* Snapped after the TCP header: the length is still the real one. */
	ck_assert_int_eq(capture_decode(DLT_EN10MB, f, 14 + 20 + 32, &p), 0);
	ck_assert_int_eq(p.len, 100);
}
END_TEST

START_TEST(fin_and_rst_flags)
{
	unsigned char f[256];
	struct ss_packet_event p;
	struct seg s = syn;

	s.tcp_opts = 0;
	s.flags = F_FIN | F_ACK;
	ck_assert_int_eq(
	    capture_decode(DLT_EN10MB, f, build_eth(f, &s, false), &p), 0);
	ck_assert_str_eq(p.flags, "F.");
	s.flags = F_RST;
	ck_assert_int_eq(
	    capture_decode(DLT_EN10MB, f, build_eth(f, &s, false), &p), 0);
	ck_assert_str_eq(p.flags, "R");
	s.flags = F_RST | F_ACK;
	ck_assert_int_eq(
	    capture_decode(DLT_EN10MB, f, build_eth(f, &s, false), &p), 0);
	ck_assert_str_eq(p.flags, "R.");
}
END_TEST

START_TEST(ipv4_options_are_skipped)
{
	unsigned char f[256];
	struct ss_packet_event p;
	struct seg s = syn;

	s.ip_opts = 8;
	s.payload = 3;
	s.flags = F_PSH | F_ACK;
	ck_assert_int_eq(
	    capture_decode(DLT_EN10MB, f, build_eth(f, &s, false), &p), 0);
	ck_assert_str_eq(p.src, "127.0.0.1:40000");
	ck_assert_uint_eq(p.seq, 1000);
	ck_assert_int_eq(p.len, 3);
}
END_TEST

START_TEST(ipv6_addresses_in_brackets)
{
	unsigned char f[256];
	struct ss_packet_event p;
	struct seg s = syn;

	s.payload = 7;
	s.flags = F_PSH | F_ACK;
	size_t n = build_eth(f, &s, true);
	ck_assert_int_eq(capture_decode(DLT_EN10MB, f, n, &p), 0);
	ck_assert_str_eq(p.src, "[::1]:40000");
	ck_assert_str_eq(p.dst, "[::1]:9001");
	ck_assert_int_eq(p.len, 7);
	ck_assert_str_eq(p.flags, "P.");
}
END_TEST

START_TEST(other_link_types)
{
	unsigned char f[256];
	struct ss_packet_event p;
	size_t n;

	/* DLT_RAW: the IP header first. */
	n = build_ipv4(f, &syn);
	ck_assert_int_eq(capture_decode(DLT_RAW, f, n, &p), 0);
	ck_assert_str_eq(p.flags, "S");
	n = build_ipv6(f, &syn);
	ck_assert_int_eq(capture_decode(DLT_RAW, f, n, &p), 0);
	ck_assert_str_eq(p.src, "[::1]:40000");

	/* DLT_NULL: a 4-byte address family in host order. */
	uint32_t fam = AF_INET;
	memcpy(f, &fam, 4);
	n = 4 + build_ipv4(f + 4, &syn);
	ck_assert_int_eq(capture_decode(DLT_NULL, f, n, &p), 0);
	ck_assert_str_eq(p.dst, "127.0.0.2:9001");

	/* DLT_LINUX_SLL: 16-byte cooked header, protocol in the last two. */
	memset(f, 0, 16);
	put16(f + 14, 0x0800);
	n = 16 + build_ipv4(f + 16, &syn);
	ck_assert_int_eq(capture_decode(DLT_LINUX_SLL, f, n, &p), 0);
	ck_assert_uint_eq(p.seq, 1000);

	/* A link type we do not know. */
	ck_assert_int_eq(capture_decode(DLT_IEEE802_11, f, n, &p), -1);
}
END_TEST

START_TEST(truncated_frames_are_rejected)
{
	unsigned char f[256];
	struct ss_packet_event p;
	size_t n = build_eth(f, &syn, false); /* 14 + 20 + 40 */
	size_t n6 = 14 + 40 + 40;

	for (size_t len = 0; len < n; len++)
		ck_assert_msg(capture_decode(DLT_EN10MB, f, len, &p) == -1,
			      "accepted %zu of %zu bytes", len, n);
	build_eth(f, &syn, true);
	for (size_t len = 0; len < n6; len++)
		ck_assert_msg(capture_decode(DLT_EN10MB, f, len, &p) == -1,
			      "IPv6: accepted %zu of %zu bytes", len, n6);
	ck_assert_int_eq(capture_decode(DLT_EN10MB, f, n6, &p), 0);
	ck_assert_int_eq(capture_decode(DLT_EN10MB, NULL, 0, &p), -1);
}
END_TEST

START_TEST(garbage_is_rejected)
{
	unsigned char f[256];
	struct ss_packet_event p;
	size_t n;

	memset(f, 0, sizeof(f));
	ck_assert_int_eq(capture_decode(DLT_EN10MB, f, sizeof(f), &p), -1);
	memset(f, 0xff, sizeof(f));
	ck_assert_int_eq(capture_decode(DLT_EN10MB, f, sizeof(f), &p), -1);
	ck_assert_int_eq(capture_decode(DLT_RAW, f, sizeof(f), &p), -1);

	/* Each field that makes a segment impossible. */
	struct seg s = syn;
	n = build_eth(f, &s, false);
	f[14] = 0x44; /* IHL 4 */
	ck_assert_int_eq(capture_decode(DLT_EN10MB, f, n, &p), -1);
	n = build_eth(f, &s, false);
	f[14 + 9] = IPPROTO_UDP;
	ck_assert_int_eq(capture_decode(DLT_EN10MB, f, n, &p), -1);
	n = build_eth(f, &s, false);
	f[14 + 20 + 12] = 0x40; /* data offset 4 */
	ck_assert_int_eq(capture_decode(DLT_EN10MB, f, n, &p), -1);
	n = build_eth(f, &s, false);
	put16(f + 14 + 2, 30); /* total length shorter than the headers */
	ck_assert_int_eq(capture_decode(DLT_EN10MB, f, n, &p), -1);
	n = build_eth(f, &s, false);
	put16(f + 14 + 6, 0x0010); /* a later fragment */
	ck_assert_int_eq(capture_decode(DLT_EN10MB, f, n, &p), -1);
	n = build_eth(f, &s, false);
	put16(f + 12, 0x0806); /* ARP */
	ck_assert_int_eq(capture_decode(DLT_EN10MB, f, n, &p), -1);
	n = build_eth(f, &s, false);
	f[14] = 0x65; /* IPv6 version in an IPv4 ethertype */
	ck_assert_int_eq(capture_decode(DLT_EN10MB, f, n, &p), -1);

	/* Noise must never read past caplen (ASan/valgrind watch this). */
	uint32_t x = 12345;
	static const int dlts[] = {DLT_EN10MB, DLT_NULL, DLT_RAW,
				   DLT_LINUX_SLL};
	for (int i = 0; i < 20000; i++) {
		size_t len = (size_t)(i % 120);
		unsigned char *buf =
		    f + sizeof(f) - len; /* end at the array end */
		for (size_t k = 0; k < len; k++) {
			x = x * 1103515245u + 12345u;
			buf[k] = (unsigned char)(x >> 16);
		}
		if (len > 14 && i % 2)
			buf[14 % len] = 0x45;
		(void)capture_decode(dlts[i % 4], buf, len, &p);
	}
}
END_TEST

START_TEST(flags_strings_match_tcpdump)
{
	static const struct {
		uint8_t flags;
		const char *text;
	} table[] = {
	    {F_SYN, "S"},
	    {F_SYN | F_ACK, "S."},
	    {F_ACK, "."},
	    {F_PSH | F_ACK, "P."},
	    {F_FIN | F_ACK, "F."},
	    {F_RST, "R"},
	    {F_RST | F_ACK, "R."},
	    {F_FIN | F_PSH | F_ACK, "FP."},
	    {F_SYN | F_ECE | F_CWR, "SEW"},
	    {F_SYN | F_ACK | F_ECE, "S.E"},
	    {F_URG | F_ACK, ".U"},
	    {0, "none"},
	    /* All eight need 9 bytes; SS_FLAGS_MAX keeps 7 letters. */
	    {0xff, "FSRP.UEW"},
	};
	char out[SS_FLAGS_MAX];

	for (size_t i = 0; i < sizeof(table) / sizeof(table[0]); i++) {
		capture_flags_string(table[i].flags, out);
		ck_assert_str_eq(out, table[i].text);
	}
}
END_TEST

/* ---- live capture on lo ------------------------------------------------ */

#define LIVE_MAX 64

struct live {
	struct ss_event ev[LIVE_MAX];
	int n;
};

static void live_emit(void *ctx, const struct ss_event *ev)
{
	struct live *l = ctx;

	if (l->n < LIVE_MAX)
		l->ev[l->n++] = *ev;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int count_flags(const struct live *l, const char *flags)
{
	int n = 0;

	for (int i = 0; i < l->n; i++)
		n += strcmp(l->ev[i].u.pkt.flags, flags) == 0;
	return n;
}

START_TEST(live_handshake_on_loopback)
{
	char err[256] = "";
	struct capture *c = capture_open("lo", err, sizeof(err));

	if (!c) {
		/* Unprivileged: the only acceptable failure is the one that
		 * says how to get CAP_NET_RAW. */
		ck_assert_msg(strstr(err, "CAP_NET_RAW") != NULL,
			      "capture_open failed: %s", err);
		ck_assert_ptr_null(strchr(err, '\n'));
		printf("SKIP: live_handshake_on_loopback: %s\n", err);
		fflush(stdout);
		return;
	}

	struct sockaddr_in a = {.sin_family = AF_INET};
	socklen_t alen = sizeof(a);
	int lfd = socket(AF_INET, SOCK_STREAM, 0);
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	ck_assert_int_eq(bind(lfd, (struct sockaddr *)&a, sizeof(a)), 0);
	ck_assert_int_eq(listen(lfd, 5), 0);
	ck_assert_int_eq(getsockname(lfd, (struct sockaddr *)&a, &alen), 0);
	uint16_t port = ntohs(a.sin_port);
	ck_assert_msg(capture_set_ports(c, &port, 1, err, sizeof(err)) == 0,
		      "%s", err);
	ck_assert_int_ge(capture_fd(c), 0);

	double t0 = now();
	int cfd = socket(AF_INET, SOCK_STREAM, 0);
	ck_assert_int_eq(connect(cfd, (struct sockaddr *)&a, sizeof(a)), 0);
	int afd = accept(lfd, NULL, NULL);
	ck_assert_int_ge(afd, 0);
	ck_assert_int_eq(send(cfd, "hello", 5, 0), 5);
	char buf[16];
	ck_assert_int_eq(recv(afd, buf, sizeof(buf), 0), 5);
	close(cfd);
	ck_assert_int_eq(recv(afd, buf, sizeof(buf), 0), 0);
	close(afd);
	close(lfd);

	/* Bounded: up to 3 s, and stop once both FINs and 100 ms of quiet. */
	static struct live l;
	memset(&l, 0, sizeof(l));
	struct pollfd pfd = {.fd = capture_fd(c), .events = POLLIN};
	for (int i = 0; i < 60; i++) {
		int ready = poll(&pfd, 1, 50);
		ck_assert_int_ge(ready, 0);
		ck_assert_int_ge(capture_read(c, t0, live_emit, &l), 0);
		if (ready == 0 && count_flags(&l, "F.") >= 2)
			break;
	}
	unsigned received = 0, dropped = 0;
	ck_assert_int_eq(capture_stats(c, &received, &dropped), 0);
	capture_close(c);

	ck_assert_int_ge(l.n, 3);
	const struct ss_packet_event *s = &l.ev[0].u.pkt;
	const struct ss_packet_event *sa = &l.ev[1].u.pkt;
	ck_assert_str_eq(s->flags, "S");
	ck_assert_str_eq(sa->flags, "S.");
	ck_assert_str_eq(l.ev[2].u.pkt.flags, ".");
	ck_assert_str_eq(l.ev[0].actor, "kernel");
	ck_assert_int_eq(l.ev[0].kind, SS_EV_PACKET);
	ck_assert(l.ev[0].t >= 0 && l.ev[0].t < 5);
	/* The SYN-ACK acknowledges the client's ISN + 1 (the SYN's sequence
	 * number); relative numbers count from each side's ISN. */
	ck_assert_uint_eq(s->seq, sa->ack - 1);
	ck_assert_uint_eq(s->rel_seq, 0);
	ck_assert_uint_eq(sa->rel_seq, 0);
	ck_assert_uint_eq(sa->rel_ack, 1);
	ck_assert_uint_eq(l.ev[2].u.pkt.rel_seq, 1);
	ck_assert_uint_eq(l.ev[2].u.pkt.rel_ack, 1);
	char server[32];
	snprintf(server, sizeof(server), "127.0.0.1:%u", (unsigned)port);
	ck_assert_str_eq(s->dst, server);
	ck_assert_str_eq(sa->src, server);
	ck_assert_int_ge(count_flags(&l, "F."), 1);

	bool data = false;
	for (int i = 0; i < l.n; i++) {
		const struct ss_packet_event *p = &l.ev[i].u.pkt;
		if (p->len == 5 && strchr(p->flags, 'P')) {
			data = true;
			ck_assert_uint_eq(p->rel_seq, 1);
		}
	}
	ck_assert(data);
}
END_TEST

/* Read for up to ms milliseconds what the capture keeps. */
static void live_drain(struct capture *c, struct live *l, int ms)
{
	struct pollfd pfd = {.fd = capture_fd(c), .events = POLLIN};

	for (int i = 0; i < ms / 20; i++) {
		ck_assert_int_ge(poll(&pfd, 1, 20), 0);
		ck_assert_int_ge(capture_read(c, now(), live_emit, l), 0);
	}
}

/* Other programs' loopback traffic before the session has a port must not
 * become the session's packets (a replay then began with them). */
START_TEST(nothing_is_kept_before_the_ports_are_known)
{
	char err[256] = "";
	struct capture *c = capture_open("lo", err, sizeof(err));
	struct sockaddr_in a = {.sin_family = AF_INET};
	socklen_t alen = sizeof(a);
	static struct live l;

	if (!c) {
		ck_assert_msg(strstr(err, "CAP_NET_RAW") != NULL, "%s", err);
		printf("SKIP: nothing_is_kept_before_the_ports_are_known: %s\n", err);
		fflush(stdout);
		return;
	}
	memset(&l, 0, sizeof(l));
	int lfd = socket(AF_INET, SOCK_STREAM, 0);
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	ck_assert_int_eq(bind(lfd, (struct sockaddr *)&a, sizeof(a)), 0);
	ck_assert_int_eq(listen(lfd, 5), 0);
	ck_assert_int_eq(getsockname(lfd, (struct sockaddr *)&a, &alen), 0);
	int cfd = socket(AF_INET, SOCK_STREAM, 0);
	ck_assert_int_eq(connect(cfd, (struct sockaddr *)&a, sizeof(a)), 0);
	int afd = accept(lfd, NULL, NULL);
	ck_assert_int_ge(afd, 0);
	ck_assert_int_eq(send(cfd, "early", 5, 0), 5);
	live_drain(c, &l, 200);
	ck_assert_int_eq(l.n, 0);

	/* the same connection once its port is named: the capture works */
	uint16_t port = ntohs(a.sin_port);
	ck_assert_int_eq(capture_set_ports(c, &port, 1, err, sizeof(err)), 0);
	ck_assert_int_eq(send(cfd, "later", 5, 0), 5);
	live_drain(c, &l, 200);
	ck_assert_int_ge(l.n, 1);
	close(cfd);
	close(afd);
	close(lfd);
	capture_close(c);
}
END_TEST

Suite *test_suite(void)
{
	Suite *s = suite_create("capture");
	TCase *tc = tcase_create("decode");
	TCase *live = tcase_create("live");

	tcase_add_test(tc, syn_decodes_like_tcpdump);
	tcase_add_test(tc, syn_ack_acknowledges_isn_plus_one);
	tcase_add_test(tc, data_segment_length_comes_from_ip_header);
	tcase_add_test(tc, fin_and_rst_flags);
	tcase_add_test(tc, ipv4_options_are_skipped);
	tcase_add_test(tc, ipv6_addresses_in_brackets);
	tcase_add_test(tc, other_link_types);
	tcase_add_test(tc, truncated_frames_are_rejected);
	tcase_add_test(tc, garbage_is_rejected);
	tcase_add_test(tc, flags_strings_match_tcpdump);
	suite_add_tcase(s, tc);
	tcase_set_timeout(live, 10);
	tcase_add_test(live, live_handshake_on_loopback);
	tcase_add_test(live, nothing_is_kept_before_the_ports_are_known);
	suite_add_tcase(s, live);
	return s;
}
