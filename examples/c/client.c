/* The tutorial's client in C: connect to port 9001 (or argv[1]; "-" or
 * none: SOCKSTEP_PORT if set, which sockstep trace sets to the port its
 * server listens on), sleep 2 seconds (or argv[2]), write "1", print the
 * reply it read. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	const char *env = getenv("SOCKSTEP_PORT");
	int port = argc > 1 && strcmp(argv[1], "-") != 0 ? atoi(argv[1])
		   : env			     ? atoi(env)
						     : 9001;
	double pause = argc > 2 ? atof(argv[2]) : 2;
	struct sockaddr_in addr = {.sin_family = AF_INET, .sin_port = htons((unsigned short)port)};
	struct timespec ts = {(time_t)pause, (long)((pause - (double)(time_t)pause) * 1e9)};
	char buf[1024];
	ssize_t n;
	int s = socket(AF_INET, SOCK_STREAM, 0);

	addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (s < 0 || connect(s, (struct sockaddr *)&addr, sizeof addr) < 0) {
		perror("client");
		return 1;
	}
	nanosleep(&ts, NULL);
	if (write(s, "1", 1) != 1) {
		perror("write");
		return 1;
	}
	n = read(s, buf, sizeof buf - 1);
	if (n > 0) {
		buf[n] = '\0';
		printf("%s\n", buf);
	}
	close(s);
	return 0;
}
