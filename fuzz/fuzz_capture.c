/*
 * fuzz_capture: capture_decode on any frame with each link type sockstep
 * may meet never reads out of bounds, and what it fills is printable.
 */
#include <pcap/pcap.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sockstep/capture.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const int dlts[] = {
	DLT_EN10MB, DLT_NULL, DLT_RAW, DLT_LINUX_SLL,
#ifdef DLT_LINUX_SLL2
	DLT_LINUX_SLL2,
#endif
#ifdef DLT_IPV4
	DLT_IPV4,
#endif
#ifdef DLT_IPV6
	DLT_IPV6,
#endif
	147 /* DLT_USER0: unknown, must be refused */
};

static void check_str(const char *s, size_t max)
{
	size_t n = strnlen(s, max);
	if (n >= max)
		abort();
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] < 0x20 || (unsigned char)s[i] > 0x7e)
			abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	for (size_t i = 0; i < sizeof(dlts) / sizeof(dlts[0]); i++) {
		/* An exact-size heap copy so ASan sees any over-read. */
		unsigned char *frame = malloc(size ? size : 1);
		if (frame == NULL)
			return 0;
		memcpy(frame, data, size);
		struct ss_packet_event pkt;
		if (capture_decode(dlts[i], frame, size, &pkt) == 0) {
			check_str(pkt.src, sizeof(pkt.src));
			check_str(pkt.dst, sizeof(pkt.dst));
			check_str(pkt.flags, sizeof(pkt.flags));
			if (pkt.len < 0 || (size_t)pkt.len > 65535)
				abort();
		}
		free(frame);
	}
	if (size > 0) {
		char flags[SS_FLAGS_MAX];
		capture_flags_string(data[0], flags);
		check_str(flags, sizeof(flags));
	}
	return 0;
}
