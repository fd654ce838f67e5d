/* files: inputs that are regular files, outputs that never eat an input. */
#include "sockstep/files.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sockstep/escape.h"

const char *files_kind(unsigned mode)
{
	switch (mode & S_IFMT) {
	case S_IFREG:
		return NULL;
	case S_IFDIR:
		return "a directory";
	case S_IFIFO:
		return "a FIFO or pipe";
	case S_IFCHR:
		return "a character device";
	case S_IFBLK:
		return "a block device";
	case S_IFSOCK:
		return "a socket";
	default:
		return "not a regular file";
	}
}

/* "cannot VERB NAME: why", NAME escaped. */
static void say(char *err, size_t errsz, const char *verb, const char *path,
		const char *why)
{
	char shown[256];

	escape_string(shown, sizeof shown, path);
	snprintf(err, errsz, "cannot %s %s: %s", verb, shown, why);
}

/* The fd back in blocking mode, as a FILE; closes fd on failure. */
static FILE *as_stream(int fd, const char *how, const char *verb,
		       const char *path, char *err, size_t errsz)
{
	FILE *f;
	int fl = fcntl(fd, F_GETFL);

	if (fl < 0 || fcntl(fd, F_SETFL, fl & ~O_NONBLOCK) < 0 ||
	    (f = fdopen(fd, how)) == NULL) {
		say(err, errsz, verb, path, strerror(errno));
		close(fd);
		return NULL;
	}
	return f;
}

FILE *files_read(const char *path, char *err, size_t errsz)
{
	struct stat st;
	char why[64];
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);

	if (fd < 0) {
		say(err, errsz, "read", path, strerror(errno));
		return NULL;
	}
	if (fstat(fd, &st) < 0) {
		say(err, errsz, "read", path, strerror(errno));
		close(fd);
		return NULL;
	}
	if (files_kind(st.st_mode)) {
		snprintf(why, sizeof why, "%s, not a file", files_kind(st.st_mode));
		say(err, errsz, "read", path, why);
		close(fd);
		return NULL;
	}
	return as_stream(fd, "r", "read", path, err, errsz);
}

/* Is the open fd the file input names?  (An input that cannot be
 * stat()ed cannot be the output either: its open will fail.) */
static int is_input(int fd, const char *input)
{
	struct stat out, in;

	if (input == NULL || stat(input, &in) < 0 || fstat(fd, &out) < 0)
		return 0;
	return out.st_dev == in.st_dev && out.st_ino == in.st_ino;
}

FILE *files_write(const char *path, const char *input, char *err, size_t errsz)
{
	struct stat st;
	int fd = open(path, O_WRONLY | O_CREAT | O_NONBLOCK | O_NOCTTY | O_CLOEXEC,
		      0666);

	if (fd < 0) {
		/* A FIFO with no reader: open(O_NONBLOCK) fails at once with
		 * ENXIO where a blocking open would wait forever. */
		say(err, errsz, "write", path,
		    errno == ENXIO ? "nobody reads it (a FIFO without a reader)"
				   : strerror(errno));
		return NULL;
	}
	if (is_input(fd, input)) {
		say(err, errsz, "write", path,
		    "it is also the input, which writing would destroy");
		close(fd);
		return NULL;
	}
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && ftruncate(fd, 0) < 0) {
		say(err, errsz, "write", path, strerror(errno));
		close(fd);
		return NULL;
	}
	return as_stream(fd, "w", "write", path, err, errsz);
}
