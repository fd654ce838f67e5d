/* The tutorial's server in C, with read() and write() as C programs often
 * use them on sockets: port 9001 (or argv[1]; 0 lets the kernel choose),
 * listen(5), one client (or argv[2]), "welcome to server!" if it sent "1".
 * A 5-second receive timeout, as the tutorial's settimeout(5). */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	int port = argc > 1 ? atoi(argv[1]) : 9001;
	int clients = argc > 2 ? atoi(argv[2]) : 1;
	struct sockaddr_in addr = {.sin_family = AF_INET, .sin_port = htons((unsigned short)port)};
	socklen_t len = sizeof addr;
	int s = socket(AF_INET, SOCK_STREAM, 0);

	addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (s < 0 || bind(s, (struct sockaddr *)&addr, sizeof addr) < 0 || listen(s, 5) < 0) {
		perror("server");
		return 1;
	}
	getsockname(s, (struct sockaddr *)&addr, &len);
	printf("listening on port %d\n", ntohs(addr.sin_port));
	fflush(stdout);
	for (int i = 0; i < clients; i++) {
		struct timeval tv = {5, 0};
		char buf[1024];
		int c = accept(s, NULL, NULL);
		ssize_t n;
		const char *reply;

		if (c < 0) {
			perror("accept");
			return 1;
		}
		setsockopt(c, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
		n = read(c, buf, sizeof buf);
		if (n < 0) {
			printf("time out\n");
		} else {
			reply = n == 1 && buf[0] == '1' ? "welcome to server!" : "please go out!";
			if (write(c, reply, strlen(reply)) < 0)
				perror("write");
		}
		close(c);
	}
	close(s);
	return 0;
}
