/* output: the trace as text for people and as JSONL for scripts. */
#include "sockstep/output.h"

#include <errno.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "sockstep/cut.h"
#include "sockstep/escape.h"
#include "sockstep/i18n.h"
#include "sockstep/jsonl.h"
#include "sockstep/textwidth.h"

void output_text_init(struct output_text *o, FILE *out)
{
	memset(o, 0, sizeof *o);
	o->out = out;
	o->narration = 1;
	o->snapshot = -1;
}

void output_call_text(const struct ss_event *ev, char *out, size_t outsz)
{
	const struct ss_call_event *c = &ev->u.call;
	char data[SS_PREVIEW_MAX * 4 + 4];
	const char *name = c->name;

	if (event_call_role(name) == SS_ROLE_NEW) {
		snprintf(out, outsz, "%s%s%s(%s%s%s)", c->newsock,
			 c->newsock[0] ? " = " : "", name, c->sock,
			 c->sock[0] && c->args[0] ? ", " : "", c->args);
		return;
	}
	if (event_call_role(name) == SS_ROLE_SEND && c->data_len > 0) {
		escape_bytes(data, sizeof data, c->data, (size_t)c->data_len);
		snprintf(out, outsz, "%s(%s, \"%s\"%s)", name, c->sock, data,
			 (long)c->data_len < c->bytes ? "..." : "");
		return;
	}
	if (strcmp(name, "sleep") == 0) {
		snprintf(out, outsz, "sleep(%s)", c->args);
		return;
	}
	snprintf(out, outsz, "%s(%s%s%s)", name, c->sock,
		 c->sock[0] && c->args[0] ? ", " : "", c->args);
}

void output_call_result(const struct ss_call_event *c, char *out, size_t outsz)
{
	char data[SS_PREVIEW_MAX * 4 + 16];

	if (c->ret < 0) {
		const char *e = event_errno_name(c->err);
		snprintf(out, outsz, " = -1 %s (%s)", e ? e : "?", strerror(c->err));
		return;
	}
	data[0] = '\0';
	if (event_call_role(c->name) == SS_ROLE_RECV && c->data_len > 0) {
		char esc[SS_PREVIEW_MAX * 4 + 1];
		escape_bytes(esc, sizeof esc, c->data, (size_t)c->data_len);
		snprintf(data, sizeof data, " \"%s\"%s", esc,
			 (long)c->data_len < c->bytes ? "..." : "");
	} else if (strcmp(c->name, "poll") == 0 && c->data_len > 0) {
		/* which sockets are ready, by name: "c2:IN" */
		char esc[SS_PREVIEW_MAX * 4 + 1];
		escape_bytes(esc, sizeof esc, c->data, (size_t)c->data_len);
		snprintf(data, sizeof data, _(" ready: %s"), esc);
	}
	snprintf(out, outsz, " = %ld%s%s%s", c->ret,
		 strncmp(c->name, "accept", 6) == 0 ? _(" (new fd)") : "", data,
		 (c->msg_flags & MSG_TRUNC) ? " MSG_TRUNC" : "");
}

static void call_result(const struct ss_event *ev, int width, char *out,
			size_t outsz)
{
	char call[160];
	char result[SS_PREVIEW_MAX * 4 + 96];

	output_call_text(ev, call, sizeof call);
	output_call_result(&ev->u.call, result, sizeof result);
	cut_copy(out, outsz, call);
	/* padded in columns: strerror's text may be Chinese */
	for (int w = text_width(call); w < width; w++)
		cut_append(out, outsz, " ");
	cut_append(out, outsz, result);
}

void output_call_summary(const struct ss_event *ev, char *out, size_t outsz)
{
	call_result(ev, 40, out, outsz);
}

void output_call_line(const struct ss_event *ev, char *out, size_t outsz)
{
	call_result(ev, 0, out, outsz);
}

static const char *or_dash(const char *s)
{
	return s[0] ? s : "-";
}

/* "server", or "server 1234" for a traced program's process. */
static const char *who(const struct ss_event *ev, char *buf, size_t size)
{
	if (ev->pid <= 0)
		return ev->actor;
	snprintf(buf, size, "%s %d", ev->actor, ev->pid);
	return buf;
}

/* s, then spaces up to cols display columns: printf's "%-*s" counted in
 * columns (a longer s is kept whole, as printf keeps it). */
static void pad_to(FILE *out, const char *s, int cols)
{
	fputs(s, out);
	for (int w = text_width(s); w < cols; w++)
		fputc(' ', out);
}

/* "   0.0081  server   ": the time and who, the who padded to its
 * column in display columns (an actor named in Chinese stays aligned). */
static void print_time_label(struct output_text *o, double t, const char *label)
{
	fprintf(o->out, "%9.4f  ", t);
	pad_to(o->out, label, 8);
	fputc(' ', o->out);
}

static void print_head(struct output_text *o, const struct ss_event *ev)
{
	char label[SS_NAME_MAX + 16];

	print_time_label(o, ev->t, who(ev, label, sizeof label));
}

/* "            [ok]     ": a verdict padded to its column. */
static void print_verdict(struct output_text *o, const char *verdict)
{
	fputs("            ", o->out);
	pad_to(o->out, verdict, 8);
	fputc(' ', o->out);
}

/* ev is escaped (event_escape); the command line is escaped here from
 * the raw one, into a buffer with room for every escape. */
static void print_process(struct output_text *o, const struct ss_event *ev,
			  const char *raw_command)
{
	const struct ss_process_event *p = &ev->u.proc;
	char what[SS_TEXT_MAX * 4 + 64];
	char cmd[SS_TEXT_MAX * 4];

	escape_text(cmd, sizeof cmd, raw_command);
	if (strcmp(p->what, "exited") == 0 && p->signal > 0)
		snprintf(what, sizeof what, _("killed by signal %d (%s)"), p->signal,
			 strsignal(p->signal));
	else if (strcmp(p->what, "exited") == 0)
		snprintf(what, sizeof what, _("exited with status %d"), p->status);
	else if (strcmp(p->what, "forked") == 0)
		snprintf(what, sizeof what, _("forked from %d"), p->ppid);
	else
		snprintf(what, sizeof what, "%s: %s", p->what, cmd);
	print_head(o, ev);
	fprintf(o->out, _("process %s\n"), what);
}

/* Columns of a call line, in display columns: the call (its result
 * starts at CALL_COLS), the call with its result, the two addresses. */
enum { CALL_COLS = 40, LINE_COLS = 64, ADDR_COLS = 22 };

static void print_call(struct output_text *o, const struct ss_event *ev,
		       int blocked)
{
	const struct ss_call_event *c = &ev->u.call;
	char line[256];
	char extra[64] = "";

	print_head(o, ev);
	if (blocked) {
		char call[160];
		output_call_text(ev, call, sizeof call);
		pad_to(o->out, call, CALL_COLS);
		fprintf(o->out, " %s\n", _("... blocked in the kernel"));
		return;
	}
	output_call_summary(ev, line, sizeof line);
	if (c->queue >= 0)
		snprintf(extra, sizeof extra, _("  queue %d/%d"), c->queue, c->backlog);
	else if (c->unread >= 0 && c->bytes >= 0)
		snprintf(extra, sizeof extra, _("  unread %ld"), c->unread);
	pad_to(o->out, line, LINE_COLS);
	fputc(' ', o->out);
	pad_to(o->out, or_dash(c->local), ADDR_COLS);
	fputs(" -> ", o->out);
	pad_to(o->out, or_dash(c->peer), ADDR_COLS);
	fprintf(o->out, " %s%s\n", c->state >= 0 ? event_tcp_state_name(c->state) : "", extra);
}

static void table_row(const struct ss_event *r, char *out, size_t outsz)
{
	const struct ss_socket_event *s = &r->u.sock;
	char owner[64];
	char timer[48] = "";
	/* ss's column names: a queue of finished connections and its
	 * backlog on a listening socket, bytes queued on the others */
	const char *q = s->state == TCP_LISTEN ? _("queue") : "recv-q";
	const char *b = s->state == TCP_LISTEN ? "backlog" : "send-q";

	snprintf(owner, sizeof owner, "%s", _("no fd"));
	if (s->owner[0])
		snprintf(owner, sizeof owner, "%s fd %d", s->owner, s->owner_fd);
	if (s->timer_ms >= 0)
		snprintf(timer, sizeof timer, _("  timer %.1fs"), s->timer_ms / 1000.0);
	snprintf(out, outsz, "%-12s %-22s %-22s %s %ld  %s %ld  %s%s",
		 event_tcp_state_name(s->state), s->local, s->peer, q,
		 s->recv_q, b, s->send_q, owner, timer);
}

/* Flush what was printed; 0, or the errno of a failed write (stdio's
 * error flag is sticky, so a failure in any fprintf before is seen). */
static int flushed(FILE *f)
{
	errno = 0;
	if (fflush(f) == 0 && !ferror(f))
		return 0;
	return errno ? errno : EIO;
}

void output_text_flush(struct output_text *o)
{
	char table[4096];
	size_t used = 0;

	if (o->snapshot < 0 || o->err)
		return;
	table[0] = '\0';
	for (int i = 0; i < o->nrows; i++) {
		char row[200];
		int w;
		table_row(&o->rows[i], row, sizeof row);
		w = snprintf(table + used, sizeof table - used, "            | %s\n", row);
		if (w < 0 || (size_t)w >= sizeof table - used)
			break;
		used += (size_t)w;
	}
	if (o->nrows == 0)
		snprintf(table, sizeof table, "            | %s\n",
			 _("(no TCP socket on these ports)"));
	/* The table follows each step; print it only when it changed. */
	if (strcmp(table, o->last_table) != 0) {
		fprintf(o->out, "            %s\n%s", _("kernel socket table:"), table);
		snprintf(o->last_table, sizeof o->last_table, "%s", table);
	}
	o->snapshot = -1;
	o->nrows = 0;
	o->err = flushed(o->out);
}

static void text_event(struct output_text *o, const struct ss_event *raw)
{
	/* Lesson prose and notes are ours, but a lesson file, a recording or
	 * a peer can hold anything: no control byte reaches the terminal
	 * from any field.  The prose gets a larger buffer (its escapes may
	 * be four times as long) than event_escape's in-place one. */
	char text[SS_TEXT_MAX * 4] = "";
	struct ss_event shown = *raw;
	const struct ss_event *ev = &shown;

	event_escape(&shown);
	if (ev->kind == SS_EV_STEP || ev->kind == SS_EV_EXPECT ||
	    ev->kind == SS_EV_NOTE || ev->kind == SS_EV_QUESTION ||
	    ev->kind == SS_EV_ANSWER || ev->kind == SS_EV_OUTPUT)
		escape_text(text, sizeof text, raw->u.note.text);

	if (ev->kind != SS_EV_SOCKET || ev->u.sock.snapshot != o->snapshot)
		output_text_flush(o);
	switch (ev->kind) {
	case SS_EV_CALL:
		print_call(o, ev, 0);
		break;
	case SS_EV_BLOCKED:
		print_call(o, ev, 1);
		break;
	case SS_EV_SOCKET:
		o->snapshot = ev->u.sock.snapshot;
		if (ev->u.sock.rows > 0 && o->nrows < OUTPUT_TABLE_ROWS)
			o->rows[o->nrows++] = *ev;
		break;
	case SS_EV_PACKET:
		/* A segment without the ACK flag (the first SYN) carries no
		 * acknowledgement number worth showing. */
		print_time_label(o, ev->t, _("packet"));
		if (strchr(ev->u.pkt.flags, '.'))
			fprintf(o->out, "%s > %s  [%s]  seq %u ack %u len %d\n",
				ev->u.pkt.src, ev->u.pkt.dst, ev->u.pkt.flags,
				ev->u.pkt.rel_seq, ev->u.pkt.rel_ack, ev->u.pkt.len);
		else
			fprintf(o->out, "%s > %s  [%s]  seq %u len %d\n",
				ev->u.pkt.src, ev->u.pkt.dst, ev->u.pkt.flags,
				ev->u.pkt.rel_seq, ev->u.pkt.len);
		break;
	case SS_EV_STEP:
		if (o->narration && text[0]) {
			fputc('\n', o->out);
			/* TRANSLATORS: step 3/15 (server): the narration */
			fprintf(o->out, _("  step %d/%d (%s): %s\n"), ev->u.note.index,
				ev->u.note.count, ev->actor, text);
		}
		break;
	case SS_EV_EXPECT:
		print_verdict(o, ev->u.note.index ? _("[ok]") : _("[FAILED]"));
		fprintf(o->out, _("expect %s\n"), text);
		break;
	case SS_EV_QUESTION:
		fputc('\n', o->out);
		fprintf(o->out, _("  question %d (%s): %s\n"), ev->u.note.index,
			ev->actor, text);
		break;
	case SS_EV_ANSWER:
		print_verdict(o, ev->u.note.index ? _("[right]") : _("[wrong]"));
		fprintf(o->out, "%s\n", text);
		break;
	case SS_EV_NOTE:
		print_head(o, ev);
		/* whole messages: Chinese puts a full-width colon after the word */
		fprintf(o->out,
			ev->u.note.index == 2	? _("error: %s\n")
			: ev->u.note.index == 1 ? _("warning: %s\n")
						: _("note: %s\n"),
			text);
		break;
	case SS_EV_PROCESS:
		print_process(o, ev, raw->u.proc.command);
		break;
	case SS_EV_OUTPUT:
		print_time_label(o, ev->t, ev->actor);
		fprintf(o->out, "%s| %s\n", ev->u.note.index == 2 ? "stderr " : "", text);
		break;
	default:
		break;
	}
}

void output_text_sink(void *ctx, const struct ss_event *ev)
{
	struct output_text *o = ctx;

	if (o->err)
		return;
	text_event(o, ev);
	o->err = flushed(o->out);
}

int output_jsonl_write(FILE *out, const struct ss_event *ev)
{
	char line[JSONL_LINE_MAX];

	if (jsonl_format(ev, line, sizeof line) > 0)
		fputs(line, out);
	return flushed(out);
}

/* One line, not flushed: 0, or the errno of a failed write so far. */
static int jsonl_put(FILE *out, const struct ss_event *ev)
{
	char line[JSONL_LINE_MAX];

	if (jsonl_format(ev, line, sizeof line) > 0)
		fputs(line, out);
	return ferror(out) ? (errno ? errno : EIO) : 0;
}

int output_file_flush(struct output_file *f)
{
	if (f->out && f->err == 0)
		f->err = flushed(f->out);
	return f->err;
}

void output_jsonl_sink(void *ctx, const struct ss_event *ev)
{
	struct output_file *f = ctx;

	if (f->err == 0)
		f->err = jsonl_put(f->out, ev);
}
