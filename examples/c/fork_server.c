/* A forking server: the parent accepts, a child per client reads and
 * answers.  The parent closes its copy of the connection at once: no FIN
 * leaves then, because the child still holds the socket (the kernel frees
 * a socket when its last fd is closed).  Port argv[1] (default 9001),
 * clients argv[2] (default 2), then it waits for its children and exits. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

static void serve(int c)
{
	char buf[1024];
	ssize_t n = read(c, buf, sizeof buf);
	const char *reply = n == 1 && buf[0] == '1' ? "welcome to server!" : "please go out!";

	if (n >= 0 && write(c, reply, strlen(reply)) < 0)
		perror("write");
	close(c);
}

int main(int argc, char **argv)
{
	int port = argc > 1 ? atoi(argv[1]) : 9001;
	int clients = argc > 2 ? atoi(argv[2]) : 2;
	struct sockaddr_in addr = {.sin_family = AF_INET, .sin_port = htons((unsigned short)port)};
	socklen_t len = sizeof addr;
	int s = socket(AF_INET, SOCK_STREAM, 0);

	addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (s < 0 || bind(s, (struct sockaddr *)&addr, sizeof addr) < 0 || listen(s, 5) < 0) {
		perror("fork_server");
		return 1;
	}
	getsockname(s, (struct sockaddr *)&addr, &len);
	printf("listening on port %d\n", ntohs(addr.sin_port));
	fflush(stdout);
	for (int i = 0; i < clients; i++) {
		int c = accept(s, NULL, NULL);
		pid_t pid;

		if (c < 0) {
			perror("accept");
			return 1;
		}
		pid = fork();
		if (pid == 0) {
			close(s);
			serve(c);
			_exit(0);
		}
		close(c); /* the child has it: no FIN yet */
	}
	close(s);
	while (wait(NULL) > 0)
		;
	return 0;
}
