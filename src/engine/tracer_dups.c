/* tracer_dups: dups of a traced program's sockets kept between calls. */
#include "sockstep/tracer_dups.h"

#include <unistd.h>

int tdups_take(struct tdups *d, pid_t pid, int fd, unsigned long *ino)
{
	for (int i = 0; i < TDUPS_MAX; i++) {
		if (d->e[i].pid != pid || d->e[i].fd != fd)
			continue;
		d->e[i].pid = 0;
		*ino = d->e[i].ino;
		return d->e[i].dup;
	}
	return -1;
}

void tdups_keep(struct tdups *d, pid_t pid, int fd, int dup,
		unsigned long ino, unsigned long since)
{
	int slot = -1;

	if (dup < 0)
		return;
	if (pid <= 0 || fd <= 2 || ino == 0 || since != d->forgets) {
		close(dup);
		return;
	}
	for (int i = 0; i < TDUPS_MAX && slot < 0; i++)
		if (d->e[i].pid == pid && d->e[i].fd == fd) {
			close(dup); /* another thread's call kept one already */
			return;
		}
	for (int i = 0; i < TDUPS_MAX && slot < 0; i++)
		if (d->e[i].pid == 0)
			slot = i;
	if (slot < 0) {
		slot = d->next;
		d->next = (d->next + 1) % TDUPS_MAX;
		close(d->e[slot].dup);
	}
	d->e[slot].pid = pid;
	d->e[slot].fd = fd;
	d->e[slot].dup = dup;
	d->e[slot].ino = ino;
}

void tdups_forget(struct tdups *d, pid_t pid, int fd)
{
	d->forgets++;
	for (int i = 0; i < TDUPS_MAX; i++) {
		if (d->e[i].pid != pid || (fd >= 0 && d->e[i].fd != fd))
			continue;
		close(d->e[i].dup);
		d->e[i].pid = 0;
	}
}
