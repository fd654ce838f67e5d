/*
 * bench/client: K sequential exchanges of the seed protocol against a
 * server on 127.0.0.1:PORT (connect, send "1", read the reply until the
 * server closes, close), as fast as possible.  Prints the seconds the K
 * exchanges took, measured from the first successful connect.
 *
 * usage: client PORT K [WAIT_SECONDS]
 * The first connect is retried until the server listens (at most
 * WAIT_SECONDS, default 10).  Exit 1 if an exchange fails.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int dial(const struct sockaddr_in *sa)
{
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	if (connect(fd, (const struct sockaddr *)sa, sizeof(*sa)) != 0) {
		int e = errno;
		close(fd);
		errno = e;
		return -1;
	}
	return fd;
}

/* One exchange on a connected fd: 0 when the welcome came back. */
static int exchange(int fd)
{
	static const char want[] = "welcome to server!";
	char buf[256];
	size_t got = 0;

	if (send(fd, "1", 1, MSG_NOSIGNAL) != 1)
		return -1;
	/* The server closes after its reply: read to end of file. */
	for (;;) {
		ssize_t n = recv(fd, buf + got, sizeof(buf) - 1 - got, 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		if (n == 0)
			break;
		got += (size_t)n;
		if (got >= sizeof(buf) - 1)
			break;
	}
	buf[got] = '\0';
	return strcmp(buf, want) == 0 ? 0 : -1;
}

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: %s PORT K [WAIT_SECONDS]\n", argv[0]);
		return 2;
	}
	long port = strtol(argv[1], NULL, 10);
	long k = strtol(argv[2], NULL, 10);
	double wait = argc > 3 ? strtod(argv[3], NULL) : 10.0;
	if (port <= 0 || port > 65535 || k <= 0) {
		fprintf(stderr, "client: bad PORT or K\n");
		return 2;
	}
	struct sockaddr_in sa;
	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_port = htons((uint16_t)port);
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);

	/* Wait for the listener without counting the server's start-up. */
	double give_up = now() + wait;
	int fd;
	while ((fd = dial(&sa)) < 0) {
		if (errno != ECONNREFUSED || now() > give_up) {
			perror("client: connect");
			return 1;
		}
		usleep(2000);
	}
	double t0 = now();
	for (long i = 0; i < k; i++) {
		if (i > 0 && (fd = dial(&sa)) < 0) {
			fprintf(stderr, "client: connect %ld: %s\n", i + 1,
				strerror(errno));
			return 1;
		}
		if (exchange(fd) != 0) {
			fprintf(stderr, "client: exchange %ld failed\n", i + 1);
			close(fd);
			return 1;
		}
		close(fd);
	}
	printf("%.6f\n", now() - t0);
	return 0;
}
