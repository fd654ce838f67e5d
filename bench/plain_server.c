/*
 * bench/plain_server: the seed's server in plain C, untraced, the baseline
 * every figure of `make bench` is divided by.  The same calls sockstep's
 * `server --count K` makes, in the same order: socket, bind, listen, then
 * for each of K clients accept, setsockopt(SO_RCVTIMEO, 5 s), recv(1024),
 * send 'welcome to server!' if the client sent "1" (else
 * 'please go out!'), close; close the listener.
 *
 * usage: plain_server PORT K
 * Exit 1 if a call fails.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

static int serve_one(int s)
{
	static const char welcome[] = "welcome to server!";
	static const char goaway[] = "please go out!";
	struct timeval tv = {5, 0};
	char buf[1024];
	const char *reply;
	ssize_t n;
	int c = accept(s, NULL, NULL);

	if (c < 0) {
		perror("plain_server: accept");
		return -1;
	}
	setsockopt(c, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
	n = recv(c, buf, sizeof buf, 0);
	/* A timeout skips the reply, as the seed's `except socket.timeout`. */
	if (n >= 0) {
		reply = n == 1 && buf[0] == '1' ? welcome : goaway;
		if (send(c, reply, strlen(reply), MSG_NOSIGNAL) < 0)
			perror("plain_server: send");
	}
	close(c);
	return 0;
}

int main(int argc, char **argv)
{
	struct sockaddr_in sa;
	long port, k;
	int s;

	if (argc < 3) {
		fprintf(stderr, "usage: %s PORT K\n", argv[0]);
		return 2;
	}
	port = strtol(argv[1], NULL, 10);
	k = strtol(argv[2], NULL, 10);
	if (port < 0 || port > 65535 || k <= 0) {
		fprintf(stderr, "plain_server: bad PORT or K\n");
		return 2;
	}
	memset(&sa, 0, sizeof sa);
	sa.sin_family = AF_INET;
	sa.sin_port = htons((uint16_t)port);
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	s = socket(AF_INET, SOCK_STREAM, 0);
	if (s < 0 || bind(s, (struct sockaddr *)&sa, sizeof sa) < 0 ||
	    listen(s, 5) < 0) {
		perror("plain_server");
		return 1;
	}
	for (long i = 0; i < k; i++)
		if (serve_one(s) < 0)
			return 1;
	close(s);
	return 0;
}
