/*
 * bench/capture: packets per second the capture module takes from lo
 * without drops.  A child process keeps a loopback TCP connection busy
 * with small segments (TCP_NODELAY, 64-byte sends, the peer reads and
 * echoes nothing) for SECONDS; the parent captures that connection's port
 * with capture_open/capture_set_ports/capture_read, then asks pcap_stats
 * (capture_stats) what the kernel dropped.
 *
 * usage: capture [SECONDS]     needs CAP_NET_RAW: prints "skipped" without
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "sockstep/capture.h"

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void count_cb(void *ctx, const struct ss_event *ev)
{
	(void)ev;
	(*(unsigned long *)ctx)++;
}

/* The load: connect to port, send 64-byte segments until time is up. */
static void load(uint16_t port, double seconds)
{
	struct sockaddr_in sa = { .sin_family = AF_INET,
				  .sin_port = htons(port),
				  .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	int fd = socket(AF_INET, SOCK_STREAM, 0), one = 1;
	char buf[64];
	memset(buf, 'x', sizeof(buf));
	if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof(sa)) != 0)
		_exit(1);
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	double end = now() + seconds;
	while (now() < end)
		if (send(fd, buf, sizeof(buf), MSG_NOSIGNAL) < 0 && errno != EINTR)
			break;
	close(fd);
	_exit(0);
}

int main(int argc, char **argv)
{
	double seconds = argc > 1 ? strtod(argv[1], NULL) : 3.0;
	char err[256];
	if (seconds <= 0)
		seconds = 3.0;

	struct capture *c = capture_open("lo", err, sizeof(err));
	if (c == NULL) {
		printf("  skipped: %s\n", err);
		return 0;
	}
	int ls = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in sa = { .sin_family = AF_INET,
				  .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t salen = sizeof(sa);
	if (ls < 0 || bind(ls, (struct sockaddr *)&sa, sizeof(sa)) != 0 ||
	    listen(ls, 1) != 0 ||
	    getsockname(ls, (struct sockaddr *)&sa, &salen) != 0) {
		perror("capture: listener");
		return 1;
	}
	uint16_t port = ntohs(sa.sin_port);
	if (capture_set_ports(c, &port, 1, err, sizeof(err)) != 0) {
		printf("  capture_set_ports: %s\n", err);
		return 1;
	}

	pid_t pid = fork();
	if (pid == 0)
		load(port, seconds);
	int fd = accept(ls, NULL, NULL);
	if (fd < 0) {
		perror("capture: accept");
		return 1;
	}
	unsigned long events = 0;
	char sink[65536];
	double t0 = now(), t_end = t0 + seconds + 0.5;
	struct pollfd pf[2] = { { capture_fd(c), POLLIN, 0 }, { fd, POLLIN, 0 } };
	int peer_open = 1;
	while (now() < t_end) {
		if (poll(pf, peer_open ? 2 : 1, 50) < 0 && errno != EINTR)
			break;
		if (pf[0].revents & POLLIN)
			capture_read(c, 0.0, count_cb, &events);
		if (peer_open && (pf[1].revents & (POLLIN | POLLHUP))) {
			ssize_t n = recv(fd, sink, sizeof(sink), MSG_DONTWAIT);
			if (n == 0) {
				peer_open = 0;
				t_end = now() + 0.2; /* the last FINs and ACKs */
			}
		}
	}
	capture_read(c, 0.0, count_cb, &events);
	double elapsed = now() - t0;
	unsigned received = 0, dropped = 0;
	capture_stats(c, &received, &dropped);
	int status = 0;
	waitpid(pid, &status, 0);
	close(fd);
	close(ls);
	capture_close(c);
	printf("  %lu TCP segments decoded in %.2f s: %.0f packets/s; pcap_stats received %u, dropped %u\n",
	       events, elapsed, (double)events / elapsed, received, dropped);
	return 0;
}
