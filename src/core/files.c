/* files: inputs that are regular files, outputs that never eat an input. */
#include "sockstep/files.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sockstep/escape.h"
#include "sockstep/i18n.h"

const char *files_kind(unsigned mode)
{
	switch (mode & S_IFMT) {
	case S_IFREG:
		return NULL;
	case S_IFDIR:
		return _("a directory");
	case S_IFIFO:
		return _("a FIFO or pipe");
	case S_IFCHR:
		return _("a character device");
	case S_IFBLK:
		return _("a block device");
	case S_IFSOCK:
		return _("a socket");
	default:
		return _("not a regular file");
	}
}

enum files_verb { FILES_READ, FILES_WRITE };

/* "cannot read NAME: why", NAME escaped (a whole sentence for each verb:
 * a translation cannot put a verb in a sentence made of pieces). */
static void say(char *err, size_t errsz, enum files_verb verb, const char *path,
		const char *why)
{
	char shown[256];

	escape_text(shown, sizeof shown, path);
	snprintf(err, errsz,
		 verb == FILES_WRITE ? _("cannot write %s: %s") : _("cannot read %s: %s"),
		 shown, why);
}

/* The fd back in blocking mode, as a FILE; closes fd on failure. */
static FILE *as_stream(int fd, const char *how, enum files_verb verb,
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
	char why[128];
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);

	if (fd < 0) {
		say(err, errsz, FILES_READ, path, strerror(errno));
		return NULL;
	}
	if (fstat(fd, &st) < 0) {
		say(err, errsz, FILES_READ, path, strerror(errno));
		close(fd);
		return NULL;
	}
	if (files_kind(st.st_mode)) {
		snprintf(why, sizeof why, _("%s, not a file"), files_kind(st.st_mode));
		say(err, errsz, FILES_READ, path, why);
		close(fd);
		return NULL;
	}
	return as_stream(fd, "r", FILES_READ, path, err, errsz);
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
		say(err, errsz, FILES_WRITE, path,
		    errno == ENXIO ? _("nobody reads it (a FIFO without a reader)")
				   : strerror(errno));
		return NULL;
	}
	if (is_input(fd, input)) {
		say(err, errsz, FILES_WRITE, path,
		    _("it is also the input, which writing would destroy"));
		close(fd);
		return NULL;
	}
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && ftruncate(fd, 0) < 0) {
		say(err, errsz, FILES_WRITE, path, strerror(errno));
		close(fd);
		return NULL;
	}
	return as_stream(fd, "w", FILES_WRITE, path, err, errsz);
}
