/* capture: libpcap on one device, TCP segments decoded into packet events. */
#include "sockstep/capture.h"
#include "sockstep/i18n.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <pcap/pcap.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Bytes kept per packet: link + IPv6 (40) + TCP with options (60) fit. */
#define CAPTURE_SNAPLEN 256
/* Buffer timeout; immediate mode delivers at once, this is only a ceiling. */
#define CAPTURE_TIMEOUT_MS 10
/* Directions (src -> dst) whose ISN we remember for relative numbers. */
#define CAPTURE_FLOWS 64
/* Longest filter we build: "tcp and (port 65535 or ...)". */
#define CAPTURE_FILTER_MAX 1024

#define TCP_FIN 0x01
#define TCP_SYN 0x02
#define TCP_RST 0x04
#define TCP_PSH 0x08
#define TCP_ACK 0x10
#define TCP_URG 0x20
#define TCP_ECE 0x40
#define TCP_CWR 0x80

#define ETHERTYPE_IPV4 0x0800
#define ETHERTYPE_IPV6 0x86dd
#define ETHERTYPE_VLAN 0x8100
/* Not a real ethertype: the link layer does not say, the IP version does. */
#define ETHERTYPE_SNIFF 0x10000u

/* One direction of a connection and the ISN its SYN carried. */
struct capture_flow {
	char src[SS_ADDR_MAX];
	char dst[SS_ADDR_MAX];
	uint32_t isn;
	unsigned long used; /* stamp of last use; 0: slot empty */
};

struct capture_file {
	FILE *f;
	pcap_t *dead;      /* gives the dumper its link type and snaplen */
	pcap_dumper_t *dumper;
	int dlt;
};

struct capture {
	pcap_t *p;
	int dlt;
	struct capture_file *file; /* --pcap: not owned */
	struct capture_flow flows[CAPTURE_FLOWS];
	unsigned long clock; /* stamps for least-recently-used eviction */
};

/* State of one capture_read call, handed through pcap_dispatch. */
struct capture_reader {
	struct capture *c;
	double t0;
	void (*emit)(void *ctx, const struct ss_event *ev);
	void *ctx;
	int count;
};

static uint16_t get16(const unsigned char *p)
{
	return (uint16_t)((unsigned)p[0] << 8 | p[1]);
}

static uint32_t get32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

/* tcpdump's order (print-tcp.c tcp_flag_values): F S R P . U E W. */
static const struct {
	uint8_t bit;
	char letter;
} capture_flag_table[] = {
    {TCP_FIN, 'F'}, {TCP_SYN, 'S'}, {TCP_RST, 'R'}, {TCP_PSH, 'P'},
    {TCP_ACK, '.'}, {TCP_URG, 'U'}, {TCP_ECE, 'E'}, {TCP_CWR, 'W'},
};

void capture_flags_string(uint8_t tcp_flags, char *out)
{
	size_t n = 0;

	/* tcpdump prints "none" for a segment without flags. */
	if (tcp_flags == 0) {
		snprintf(out, SS_FLAGS_MAX, "none");
		return;
	}
	/* All eight flags need nine bytes; SS_FLAGS_MAX keeps the first 7. */
	for (size_t i = 0;
	     i < sizeof(capture_flag_table) / sizeof(capture_flag_table[0]) &&
	     n + 1 < SS_FLAGS_MAX;
	     i++)
		if (tcp_flags & capture_flag_table[i].bit)
			out[n++] = capture_flag_table[i].letter;
	out[n] = '\0';
}

static void capture_format_addr(int family, const unsigned char *addr,
				uint16_t port, char *out, size_t outsz)
{
	char host[INET6_ADDRSTRLEN];

	if (!inet_ntop(family, addr, host, sizeof(host)))
		snprintf(host, sizeof(host), "?");
	if (family == AF_INET6)
		snprintf(out, outsz, "[%s]:%u", host, (unsigned)port);
	else
		snprintf(out, outsz, "%s:%u", host, (unsigned)port);
}

/* Offset of the IP header after the link header, and its ethertype
 * (ETHERTYPE_SNIFF when the link layer does not say), or -1 for frames
 * too short for their link header. */
static long capture_link_skip(int dlt, const unsigned char *f, size_t caplen,
			      unsigned *ethertype)
{
	*ethertype = ETHERTYPE_SNIFF;
	switch (dlt) {
	case DLT_EN10MB: /* loopback uses a fake 14-byte Ethernet header */
		if (caplen < 14)
			return -1;
		*ethertype = get16(f + 12);
		if (*ethertype == ETHERTYPE_VLAN) {
			if (caplen < 18)
				return -1;
			*ethertype = get16(f + 16);
			return 18;
		}
		return 14;
	case DLT_NULL: /* 4-byte family in the capturing host's byte order */
		return caplen < 4 ? -1 : 4;
	case DLT_RAW:
#ifdef DLT_IPV4
	case DLT_IPV4:
#endif
#ifdef DLT_IPV6
	case DLT_IPV6:
#endif
		return 0;
	case DLT_LINUX_SLL: /* 16-byte cooked header, protocol last */
		if (caplen < 16)
			return -1;
		*ethertype = get16(f + 14);
		return 16;
#ifdef DLT_LINUX_SLL2
	case DLT_LINUX_SLL2: /* 20-byte cooked header, protocol first */
		if (caplen < 20)
			return -1;
		*ethertype = get16(f);
		return 20;
#endif
	default:
		return -1;
	}
}

/* Decode the TCP header at tcp (avail bytes captured, seglen bytes of
 * segment by the IP header's length). */
static int capture_decode_tcp(int family, const unsigned char *src,
			      const unsigned char *dst,
			      const unsigned char *tcp, size_t avail,
			      size_t seglen, struct ss_packet_event *pkt)
{
	if (avail < 20 || seglen < 20)
		return -1;
	size_t hlen = (size_t)(tcp[12] >> 4) * 4;
	/* Data offset below 5 words is malformed; options must be captured
	 * and inside the segment. */
	if (hlen < 20 || hlen > avail || hlen > seglen)
		return -1;

	memset(pkt, 0, sizeof(*pkt));
	capture_format_addr(family, src, get16(tcp), pkt->src,
			    sizeof(pkt->src));
	capture_format_addr(family, dst, get16(tcp + 2), pkt->dst,
			    sizeof(pkt->dst));
	pkt->seq = get32(tcp + 4);
	pkt->ack = get32(tcp + 8);
	capture_flags_string(tcp[13], pkt->flags);
	pkt->win = get16(tcp + 14);
	pkt->len = (int)(seglen - hlen);
	return 0;
}

static int capture_decode_ipv4(const unsigned char *ip, size_t avail,
			       struct ss_packet_event *pkt)
{
	if (avail < 20 || ip[0] >> 4 != 4)
		return -1;
	size_t ihl = (size_t)(ip[0] & 0x0f) * 4;
	size_t total = get16(ip + 2);
	/* Total length 0 (TSO) or shorter than the header: no length to trust.
	 */
	if (ihl < 20 || ihl > avail || total < ihl || ip[9] != IPPROTO_TCP)
		return -1;
	/* A non-first fragment has no TCP header. */
	if ((get16(ip + 6) & 0x1fff) != 0)
		return -1;
	return capture_decode_tcp(AF_INET, ip + 12, ip + 16, ip + ihl,
				  avail - ihl, total - ihl, pkt);
}

static int capture_decode_ipv6(const unsigned char *ip, size_t avail,
			       struct ss_packet_event *pkt)
{
	/* Only the fixed header with next header TCP: what loopback sends. */
	if (avail < 40 || ip[0] >> 4 != 6 || ip[6] != IPPROTO_TCP)
		return -1;
	size_t payload = get16(ip + 4); /* 0 would be a jumbogram: rejected */
	return capture_decode_tcp(AF_INET6, ip + 8, ip + 24, ip + 40,
				  avail - 40, payload, pkt);
}

int capture_decode(int dlt, const unsigned char *frame, size_t caplen,
		   struct ss_packet_event *pkt)
{
	unsigned ethertype;

	if (!frame || !pkt)
		return -1;
	long off = capture_link_skip(dlt, frame, caplen, &ethertype);
	if (off < 0 || (size_t)off >= caplen)
		return -1;
	const unsigned char *ip = frame + off;
	size_t avail = caplen - (size_t)off;
	unsigned version = ip[0] >> 4;

	if (ethertype == ETHERTYPE_SNIFF)
		ethertype = version == 4   ? ETHERTYPE_IPV4
			    : version == 6 ? ETHERTYPE_IPV6
					   : 0;
	if (ethertype == ETHERTYPE_IPV4)
		return capture_decode_ipv4(ip, avail, pkt);
	if (ethertype == ETHERTYPE_IPV6)
		return capture_decode_ipv6(ip, avail, pkt);
	return -1;
}

static void capture_perm_reason(const char *device, char *err, size_t errsz)
{
	snprintf(
	    err, errsz,
	    _("no packets: capturing on %s of the host network needs CAP_NET_RAW "
	      "(a private network needs none: leave out --host-net; or run as "
	      "root, or: sudo setcap cap_net_raw+ep build/sockstep)"),
	    device);
}

/* Until the session has a port, a capture keeps nothing: unfiltered, it
 * would record every TCP segment on the device, other programs' and other
 * sessions' too, as if they were the session's. */
static int capture_keep_nothing(struct capture *c)
{
	struct bpf_insn reject = BPF_STMT(BPF_RET | BPF_K, 0);
	struct bpf_program prog = {1, &reject};

	return pcap_setfilter(c->p, &prog);
}

struct capture *capture_open(const char *device, char *err, size_t errsz)
{
	char pcerr[PCAP_ERRBUF_SIZE] = "";
	struct capture *c = calloc(1, sizeof(*c));

	if (!c) {
		snprintf(err, errsz, "%s", _("no packets: out of memory"));
		return NULL;
	}
	c->p = pcap_create(device, pcerr);
	if (!c->p) {
		snprintf(err, errsz, _("no packets: %s: %s"), device, pcerr);
		free(c);
		return NULL;
	}
	if (pcap_set_snaplen(c->p, CAPTURE_SNAPLEN) != 0 ||
	    pcap_set_immediate_mode(c->p, 1) != 0 ||
	    pcap_set_timeout(c->p, CAPTURE_TIMEOUT_MS) != 0) {
		snprintf(err, errsz,
			 _("no packets: %s: cannot set capture options"), device);
		goto fail;
	}
	/* On lo without immediate mode packets arrive in blocks ~90 ms late.
	 * Unprivileged, activation fails PCAP_ERROR_PERM_DENIED (-8). */
	int rc = pcap_activate(c->p);
	if (rc == PCAP_ERROR_PERM_DENIED ||
	    (rc < 0 && (strstr(pcap_geterr(c->p), "not permitted") ||
			/* libpcap words EPERM with strerror: in the locale's language */
			strstr(pcap_geterr(c->p), strerror(EPERM))))) {
		capture_perm_reason(device, err, errsz);
		goto fail;
	}
	if (rc < 0) {
		snprintf(err, errsz, _("no packets: %s: %s"), device,
			 rc == PCAP_ERROR ? pcap_geterr(c->p)
					  : pcap_statustostr(rc));
		goto fail;
	}
	/* rc > 0 is a warning (e.g. promiscuous mode unsupported): fine. */
	if (pcap_setnonblock(c->p, 1, pcerr) != 0) {
		snprintf(err, errsz, _("no packets: %s: %s"), device, pcerr);
		goto fail;
	}
	if (capture_keep_nothing(c) != 0) {
		snprintf(err, errsz, _("no packets: %s: %s"), device, pcap_geterr(c->p));
		goto fail;
	}
	c->dlt = pcap_datalink(c->p);
	return c;
fail:
	pcap_close(c->p);
	free(c);
	return NULL;
}

int capture_set_ports(struct capture *c, const uint16_t *ports, int nports,
		      char *err, size_t errsz)
{
	char filter[CAPTURE_FILTER_MAX];
	struct bpf_program prog;
	size_t n;

	if (!c || nports < 0 || (nports > 0 && !ports)) {
		snprintf(err, errsz, "%s", _("capture filter: bad arguments"));
		return -1;
	}
	if (nports == 0) {
		if (capture_keep_nothing(c) == 0)
			return 0;
		snprintf(err, errsz, _("capture filter: %s"), pcap_geterr(c->p));
		return -1;
	}
	n = (size_t)snprintf(filter, sizeof(filter), "tcp");
	for (int i = 0; i < nports; i++) {
		int w =
		    snprintf(filter + n, sizeof(filter) - n, "%s%u%s",
			     i == 0 ? " and (port " : " or port ",
			     (unsigned)ports[i], i == nports - 1 ? ")" : "");
		if (w < 0 || (size_t)w >= sizeof(filter) - n) {
			snprintf(err, errsz,
				 _("capture filter: too many ports (%d)"), nports);
			return -1;
		}
		n += (size_t)w;
	}
	if (pcap_compile(c->p, &prog, filter, 1, PCAP_NETMASK_UNKNOWN) != 0) {
		snprintf(err, errsz, _("capture filter \"%s\": %s"), filter,
			 pcap_geterr(c->p));
		return -1;
	}
	int rc = pcap_setfilter(c->p, &prog);
	pcap_freecode(&prog);
	if (rc != 0) {
		snprintf(err, errsz, _("capture filter \"%s\": %s"), filter,
			 pcap_geterr(c->p));
		return -1;
	}
	return 0;
}

int capture_fd(const struct capture *c)
{
	return c ? pcap_get_selectable_fd(c->p) : -1;
}

static struct capture_flow *capture_flow_find(struct capture *c,
					      const char *src, const char *dst)
{
	for (int i = 0; i < CAPTURE_FLOWS; i++) {
		struct capture_flow *f = &c->flows[i];
		if (f->used && strcmp(f->src, src) == 0 &&
		    strcmp(f->dst, dst) == 0)
			return f;
	}
	return NULL;
}

/* Remember src -> dst's ISN, reusing the least recently used slot. */
static void capture_flow_learn(struct capture *c, const char *src,
			       const char *dst, uint32_t isn)
{
	struct capture_flow *f = capture_flow_find(c, src, dst);

	if (!f) {
		f = &c->flows[0];
		for (int i = 1; i < CAPTURE_FLOWS && f->used; i++)
			if (c->flows[i].used < f->used)
				f = &c->flows[i];
		snprintf(f->src, sizeof(f->src), "%s", src);
		snprintf(f->dst, sizeof(f->dst), "%s", dst);
	}
	f->isn = isn;
	f->used = ++c->clock;
}

/* Relative numbers as tcpdump shows them: each side counts from its ISN. */
static void capture_relative(struct capture *c, struct ss_packet_event *pkt)
{
	if (strchr(pkt->flags, 'S'))
		capture_flow_learn(c, pkt->src, pkt->dst, pkt->seq);

	struct capture_flow *out = capture_flow_find(c, pkt->src, pkt->dst);
	struct capture_flow *in = capture_flow_find(c, pkt->dst, pkt->src);

	pkt->rel_seq = out ? pkt->seq - out->isn : pkt->seq;
	pkt->rel_ack =
	    in && strchr(pkt->flags, '.') ? pkt->ack - in->isn : pkt->ack;
	if (out)
		out->used = ++c->clock;
	if (in)
		in->used = ++c->clock;
}

static void capture_packet(u_char *user, const struct pcap_pkthdr *h,
			   const u_char *bytes)
{
	struct capture_reader *r = (struct capture_reader *)user;
	struct ss_event ev;

	if (r->c->file && r->c->file->dumper)
		pcap_dump((u_char *)r->c->file->dumper, h, bytes);
	memset(&ev, 0, sizeof(ev));
	if (capture_decode(r->c->dlt, bytes, h->caplen, &ev.u.pkt) != 0)
		return;
	capture_relative(r->c, &ev.u.pkt);
	ev.kind = SS_EV_PACKET;
	snprintf(ev.actor, sizeof(ev.actor), "kernel");
	ev.t = ((double)h->ts.tv_sec + (double)h->ts.tv_usec / 1e6) - r->t0;
	if (r->emit)
		r->emit(r->ctx, &ev);
	r->count++;
}

int capture_read(struct capture *c, double t0,
		 void (*emit)(void *ctx, const struct ss_event *ev), void *ctx)
{
	struct capture_reader r = {.c = c, .t0 = t0, .emit = emit, .ctx = ctx};

	if (!c)
		return -1;
	/* Non-blocking: -1 handles what one buffer holds and returns. */
	int n = pcap_dispatch(c->p, -1, capture_packet, (u_char *)&r);
	if (n == PCAP_ERROR)
		return -1;
	/* a session killed later still leaves every packet read so far */
	if (n > 0 && c->file && c->file->dumper)
		pcap_dump_flush(c->file->dumper);
	return r.count;
}

int capture_stats(struct capture *c, unsigned *received, unsigned *dropped)
{
	struct pcap_stat st;

	if (!c || pcap_stats(c->p, &st) != 0)
		return -1;
	if (received)
		*received = st.ps_recv;
	if (dropped)
		*dropped = st.ps_drop;
	return 0;
}

void capture_close(struct capture *c)
{
	if (!c)
		return;
	pcap_close(c->p);
	free(c);
}

struct capture_file *capture_file_new(FILE *f)
{
	struct capture_file *file = calloc(1, sizeof(*file));

	if (file)
		file->f = f;
	return file;
}

/* The file header carries the link type: written by the first capture. */
static int capture_file_start(struct capture_file *file, int dlt)
{
	file->dead = pcap_open_dead(dlt, CAPTURE_SNAPLEN);
	if (!file->dead)
		return -1;
	file->dumper = pcap_dump_fopen(file->dead, file->f);
	if (!file->dumper) {
		pcap_close(file->dead);
		file->dead = NULL;
		return -1;
	}
	file->dlt = dlt;
	return 0;
}

int capture_set_file(struct capture *c, struct capture_file *file, char *err,
		     size_t errsz)
{
	c->file = NULL;
	if (!file)
		return 0;
	if (!file->dumper && capture_file_start(file, c->dlt) < 0) {
		snprintf(err, errsz, "%s", _("--pcap: cannot start the capture file"));
		return -1;
	}
	if (file->dlt != c->dlt) {
		snprintf(err, errsz, _("--pcap: link type %d, the file holds %d"),
			 c->dlt, file->dlt);
		return -1;
	}
	c->file = file;
	return 0;
}

int capture_file_close(struct capture_file *file)
{
	int rc = 0;

	if (!file)
		return 0;
	/* No capture ran (no permission, no step): still a valid, empty file
	 * with the link type of lo. */
	if (!file->dumper && capture_file_start(file, DLT_EN10MB) < 0)
		rc = -1;
	if (file->dumper) {
		if (pcap_dump_flush(file->dumper) != 0 || ferror(file->f))
			rc = -1;
		pcap_dump_close(file->dumper); /* closes f */
	} else {
		fclose(file->f);
	}
	if (file->dead)
		pcap_close(file->dead);
	free(file);
	return rc;
}
