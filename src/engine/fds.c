/* fds: a child keeps 0, 1, 2 and the fds it was told to keep, nothing else. */
#include "sockstep/fds.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

int fds_move_high(int fd)
{
	int high;

	if (fd >= FDS_HIGH) {
		/* already out of the way: only make sure exec drops it */
		return fcntl(fd, F_SETFD, FD_CLOEXEC) < 0 ? -1 : fd;
	}
	high = fcntl(fd, F_DUPFD_CLOEXEC, FDS_HIGH);
	if (high < 0)
		return -1;
	close(fd);
	return high;
}

static int kept(int fd, const int *keep, int nkeep)
{
	for (int i = 0; i < nkeep; i++)
		if (keep[i] == fd)
			return 1;
	return 0;
}

static int cmp_int(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;
	return (x > y) - (x < y);
}

/* Without close_range (Linux < 5.9): walk /proc/self/fd. */
static int close_listed(const int *keep, int nkeep)
{
	DIR *dir = opendir("/proc/self/fd");
	struct dirent *de;
	int self;

	if (dir == NULL)
		return -1;
	self = dirfd(dir);
	while ((de = readdir(dir)) != NULL) {
		char *end;
		long fd = strtol(de->d_name, &end, 10);
		if (*end != '\0' || end == de->d_name || fd < 3 || fd == self ||
		    kept((int)fd, keep, nkeep))
			continue;
		close((int)fd);
	}
	closedir(dir);
	return 0;
}

int fds_close_others(const int *keep, int nkeep)
{
	int sorted[16];
	unsigned int from = 3;

	if (nkeep < 0 || nkeep > 16) {
		errno = EINVAL;
		return -1;
	}
	for (int i = 0; i < nkeep; i++)
		sorted[i] = keep[i];
	qsort(sorted, (size_t)nkeep, sizeof sorted[0], cmp_int);
	/* close the gaps between the kept fds, then everything above */
	for (int i = 0; i < nkeep; i++) {
		if (sorted[i] < (int)from)
			continue;
		if (sorted[i] > (int)from &&
		    close_range(from, (unsigned int)sorted[i] - 1, 0) < 0)
			return close_listed(keep, nkeep);
		from = (unsigned int)sorted[i] + 1;
	}
	if (close_range(from, ~0U, 0) < 0)
		return close_listed(keep, nkeep);
	return 0;
}
