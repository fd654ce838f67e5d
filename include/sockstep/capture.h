/*
 * capture: TCP segments of the exchange, captured with libpcap.
 *
 * Opened with pcap_create + immediate mode (on lo, block delivery otherwise
 * delays packets by ~90 ms).  Needs CAP_NET_RAW; without it capture_open
 * fails with a one-line reason that says how to get packets.
 */
#ifndef SOCKSTEP_CAPTURE_H
#define SOCKSTEP_CAPTURE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include "sockstep/event.h"

struct capture;

/* Open device (e.g. "lo") for capture; it keeps nothing until
 * capture_set_ports names the session's ports.  NULL on failure, with a
 * reason in err (for EPERM: "packet capture needs CAP_NET_RAW: run as
 * root or setcap cap_net_raw+ep build/sockstep"). */
struct capture *capture_open(const char *device, char *err, size_t errsz);

/* Capture only TCP segments to or from these ports (none: nothing, as
 * from capture_open until the first call).  0 or -1 with err. */
int capture_set_ports(struct capture *c, const uint16_t *ports, int nports,
		      char *err, size_t errsz);

/* A file descriptor to poll for readability. */
int capture_fd(const struct capture *c);

/* Read what is pending without blocking; each TCP segment becomes an
 * SS_EV_PACKET event (t = packet time - t0, relative seq/ack filled) passed
 * to emit.  Returns the number of events, or -1. */
int capture_read(struct capture *c, double t0,
		 void (*emit)(void *ctx, const struct ss_event *ev), void *ctx);

/* Packets received and dropped so far (pcap_stats). */
int capture_stats(struct capture *c, unsigned *received, unsigned *dropped);

void capture_close(struct capture *c);

/* A capture file (--pcap) that tcpdump -r and Wireshark open: every packet
 * a capture reads is also written there, as captured.  One file can outlive
 * several captures (a restarted session appends).  capture_file_new takes
 * f; capture_file_close writes what is pending, closes f (a file with no
 * capture behind it still gets a valid header) and frees. */
struct capture_file;
struct capture_file *capture_file_new(FILE *f);
/* From now on c writes what it reads to file (NULL: stop).  0, or -1 with
 * err when the file cannot take c's link type. */
int capture_set_file(struct capture *c, struct capture_file *file, char *err,
		     size_t errsz);
/* 0, or -1 when writing failed (disk full...). */
int capture_file_close(struct capture_file *file);

/* Decode one captured frame of link type dlt (DLT_EN10MB, DLT_NULL,
 * DLT_RAW, DLT_LINUX_SLL) into pkt: addresses, tcpdump flags, absolute
 * seq/ack, payload length.  Relative fields are left 0.  Returns 0, or -1
 * if the frame is not a well-formed IPv4/IPv6 TCP segment.  Pure: safe to
 * fuzz. */
int capture_decode(int dlt, const unsigned char *frame, size_t caplen,
		   struct ss_packet_event *pkt);

/* tcpdump's flag string for TCP header flags byte: "S", "S.", "P.", "F.",
 * "R", "R.", "." ...; out must hold SS_FLAGS_MAX bytes. */
void capture_flags_string(uint8_t tcp_flags, char *out);

#endif
