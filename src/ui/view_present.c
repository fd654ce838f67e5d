/* view_present: which sockets presenter mode shows for a step, derived
 * from the view's table (the model) so that drawing only formats them. */
#include "sockstep/view.h"

#include <stdio.h>
#include <string.h>

#include "sockstep/event.h"

/* The table row of actor's fd. */
static int find_row(const struct ui_view *v, const char *actor, int fd,
		    struct ui_row *out)
{
	for (int i = 0; i < v->ntable; i++)
		if (fd >= 0 && v->table[i].fd == fd && strcmp(v->table[i].actor, actor) == 0) {
			*out = v->table[i];
			return 1;
		}
	return 0;
}

/* The row whose local address is local (and whose peer is peer, if any
 * row has it: the listener and the accepted socket share the local). */
static int find_end(const struct ui_view *v, const char *local, const char *peer,
		    struct ui_row *out)
{
	int found = 0;

	for (int i = 0; i < v->ntable; i++) {
		if (strcmp(v->table[i].local, local) != 0)
			continue;
		if (strcmp(v->table[i].peer, peer) == 0) {
			*out = v->table[i];
			return 1;
		}
		if (!found)
			*out = v->table[i];
		found = 1;
	}
	return found;
}

/* A row built from the call line itself, before the table has one. */
static void row_from_line(const struct ui_line *l, int fd, struct ui_row *r)
{
	memset(r, 0, sizeof *r);
	snprintf(r->actor, sizeof r->actor, "%s", l->actor);
	r->fd = fd;
	if (fd >= 0)
		snprintf(r->owner, sizeof r->owner, "%.9s fd %d", l->actor, fd);
	snprintf(r->local, sizeof r->local, "%s", l->local);
	snprintf(r->peer, sizeof r->peer, "%s", l->peer);
	snprintf(r->state, sizeof r->state, "%s", l->state);
	r->listen = strcmp(l->state, "LISTEN") == 0;
}

int ui_view_present_sockets(const struct ui_view *v, const struct ui_line *l,
			     struct ui_row *a, struct ui_row *b)
{
	int new_fd = l->kind == UI_LINE_CALL && event_call_returns_fd(l->call, l->ret);
	int fd = new_fd ? (int)l->ret : l->fd;
	int n = 1;

	if (!find_row(v, l->actor, fd, a))
		row_from_line(l, fd, a);
	if (strncmp(l->call, "accept", 6) == 0 && find_row(v, l->actor, l->fd, b))
		return 2;
	if (event_addr_port(a->peer) > 0 && find_end(v, a->peer, a->local, b))
		return 2;
	for (int i = 0; i < v->ntable; i++)
		if (v->table[i].listen &&
		    (v->table[i].fd != a->fd || strcmp(v->table[i].actor, a->actor))) {
			*b = v->table[i];
			n = 2;
			break;
		}
	return n;
}
