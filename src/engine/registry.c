/* registry: script names <-> fds <-> inodes <-> 4-tuples. */
#include "sockstep/registry.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

void registry_init(struct registry *r)
{
	memset(r, 0, sizeof *r);
}

const struct registry_sock *registry_find(const struct registry *r,
					  const char *actor, const char *sock)
{
	for (int i = r->n - 1; i >= 0; i--)
		if (strcmp(r->socks[i].actor, actor) == 0 &&
		    strcmp(r->socks[i].sock, sock) == 0)
			return &r->socks[i];
	return NULL;
}

static struct registry_sock *find_mut(struct registry *r, const char *actor,
				      const char *sock)
{
	return (struct registry_sock *)registry_find(r, actor, sock);
}

static void name_entry(struct registry_sock *e, const char *actor,
		       const char *sock)
{
	memset(e, 0, sizeof *e);
	snprintf(e->actor, sizeof e->actor, "%s", actor);
	snprintf(e->sock, sizeof e->sock, "%s", sock);
	e->fd = -1;
}

static struct registry_sock *fresh(struct registry *r, const char *actor,
				   const char *sock)
{
	struct registry_sock *e = find_mut(r, actor, sock);

	/* A name given again means the new socket: the script has let go of
	 * the old one (the server's connection socket, client after client). */
	if (e != NULL) {
		name_entry(e, actor, sock);
		return e;
	}
	if (r->n == REGISTRY_MAX) {
		/* forget the oldest closed socket, else the oldest */
		int victim = 0;
		for (int i = 0; i < r->n; i++)
			if (r->socks[i].closed) {
				victim = i;
				break;
			}
		memmove(r->socks + victim, r->socks + victim + 1,
			(size_t)(r->n - victim - 1) * sizeof r->socks[0]);
		r->n--;
	}
	e = &r->socks[r->n++];
	name_entry(e, actor, sock);
	return e;
}

int registry_add_port(struct registry *r, int port)
{
	if (port <= 0)
		return 0;
	for (int i = 0; i < r->nports; i++)
		if (r->ports[i] == port)
			return 0;
	if (r->nports == REGISTRY_PORTS_MAX)
		return 0;
	r->ports[r->nports++] = (uint16_t)port;
	return 1;
}

/* The entry a call is about: a new one for the socket socket()/accept()
 * returned, else the socket it acted on. */
static struct registry_sock *entry_for(struct registry *r,
				       const struct ss_event *ev)
{
	const struct ss_call_event *c = &ev->u.call;
	struct registry_sock *e;

	if (event_call_role(c->name) == SS_ROLE_NEW && c->ret >= 0 && c->newsock[0]) {
		e = fresh(r, ev->actor, c->newsock);
		e->fd = (int)c->ret;
		return e;
	}
	if (c->sock[0] == '\0')
		return NULL;
	e = find_mut(r, ev->actor, c->sock);
	if (e == NULL)
		e = fresh(r, ev->actor, c->sock);
	if (e->fd < 0)
		e->fd = c->fd;
	if (strcmp(c->name, "close") == 0 && c->ret == 0)
		e->closed = 1;
	else if (e->closed && c->inode != 0 && c->inode == e->last.u.call.inode)
		/* A forking server's parent closed its copy; the child's call
		 * on the same socket is the kernel saying it is still open. */
		e->closed = 0;
	return e;
}

int registry_record(struct registry *r, const struct ss_event *ev)
{
	const struct ss_call_event *c = &ev->u.call;
	struct registry_sock *e = entry_for(r, ev);
	int added = 0;

	if (e)
		e->last = *ev;
	if (c->family == AF_INET)
		r->families |= 1;
	else if (c->family == AF_INET6)
		r->families |= 2;
	if (strcmp(c->name, "listen") == 0 || strcmp(c->name, "bind") == 0)
		added |= registry_add_port(r, event_addr_port(c->local));
	/* A non-blocking connect (Python with a timeout) says EINPROGRESS:
	 * the port is the session's all the same. */
	if (strcmp(c->name, "connect") == 0 && (c->ret == 0 || c->err == EINPROGRESS))
		added |= registry_add_port(r, event_addr_port(c->peer));
	return added;
}

int registry_unix_bound(struct registry *r, const struct ss_event *call,
			const struct ss_addr *target)
{
	if (strcmp(call->u.call.name, "bind") != 0 || call->u.call.ret != 0 ||
	    target->kind != SS_ADDR_UNIX || target->path[0] != '/')
		return 0;
	if (r->nunix == REGISTRY_UNIX_MAX)
		return -1;
	snprintf(r->unix_paths[r->nunix++], SS_ADDR_MAX, "%s", target->path);
	return 0;
}

const char *registry_tuple_owner(const struct registry *r, const char *local,
				 const char *peer)
{
	for (int i = r->n - 1; i >= 0; i--) {
		const struct ss_call_event *c = &r->socks[i].last.u.call;
		if (strcmp(c->local, local) == 0 && strcmp(c->peer, peer) == 0)
			return r->socks[i].actor;
	}
	return NULL;
}

const struct registry_sock *registry_by_inode(const struct registry *r,
					      unsigned long inode)
{
	const struct registry_sock *found = NULL;

	if (inode == 0)
		return NULL; /* queued, TIME_WAIT, orphan: no fd owns it */
	for (int i = 0; i < r->n; i++)
		if (!r->socks[i].closed && r->socks[i].last.u.call.inode == inode)
			found = &r->socks[i]; /* the latest wins, as before */
	return found;
}

int registry_resolve(const struct registry *r, const char *ref, char *out,
		     size_t outsz)
{
	char actor[SS_NAME_MAX], sock[SS_NAME_MAX];
	const char *dot = strchr(ref, '.');
	const struct registry_sock *e;

	snprintf(out, outsz, "-");
	/* The lesson parser checked the form (actor.sock, addr.h for the
	 * rest): only split it here. */
	if (dot == NULL || dot == ref || (size_t)(dot - ref) >= sizeof actor ||
	    strlen(dot + 1) >= sizeof sock)
		return -1;
	snprintf(actor, sizeof actor, "%.*s", (int)(dot - ref), ref);
	snprintf(sock, sizeof sock, "%s", dot + 1);
	e = registry_find(r, actor, sock);
	if (e == NULL || e->last.u.call.local[0] == '\0')
		return -1;
	snprintf(out, outsz, "%s", e->last.u.call.local);
	return 0;
}
