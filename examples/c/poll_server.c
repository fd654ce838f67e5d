/* One process serving several clients at once with poll(): the listener
 * and every connection in one pollfd array; whichever is ready is served.
 * Each client sends "1" and gets "welcome to server!".  Port argv[1]
 * (default 9001), clients argv[2] (default 3), then it exits. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define MAX_FDS 16

int main(int argc, char **argv)
{
	int port = argc > 1 ? atoi(argv[1]) : 9001;
	int clients = argc > 2 ? atoi(argv[2]) : 3;
	struct sockaddr_in addr = {.sin_family = AF_INET, .sin_port = htons((unsigned short)port)};
	socklen_t len = sizeof addr;
	struct pollfd fds[MAX_FDS];
	int nfds = 1, accepted = 0, served = 0;
	int s = socket(AF_INET, SOCK_STREAM, 0);

	addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (s < 0 || bind(s, (struct sockaddr *)&addr, sizeof addr) < 0 || listen(s, 5) < 0) {
		perror("poll_server");
		return 1;
	}
	getsockname(s, (struct sockaddr *)&addr, &len);
	printf("listening on port %d\n", ntohs(addr.sin_port));
	fflush(stdout);
	fds[0] = (struct pollfd){.fd = s, .events = POLLIN};
	while (served < clients) {
		if (poll(fds, (nfds_t)nfds, 10000) <= 0)
			break; /* nobody came for 10 s */
		if ((fds[0].revents & POLLIN) && accepted < clients && nfds < MAX_FDS) {
			fds[nfds++] = (struct pollfd){.fd = accept(s, NULL, NULL), .events = POLLIN};
			accepted++;
		}
		for (int i = 1; i < nfds; i++) {
			char buf[1024];
			ssize_t n;
			if (!(fds[i].revents & (POLLIN | POLLHUP)))
				continue;
			n = read(fds[i].fd, buf, sizeof buf);
			if (n > 0 && write(fds[i].fd, "welcome to server!", 18) < 0)
				perror("write");
			close(fds[i].fd);
			fds[i--] = fds[--nfds];
			served++;
		}
	}
	close(s);
	return 0;
}
