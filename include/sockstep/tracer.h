/*
 * tracer: the process that runs a learner's program under ptrace and
 * reports its socket calls as events, as an actor reports a script's.
 *
 * It forks the program (execvp of argv, or `/bin/sh -c LINE`), which asks
 * to be traced and installs the seccomp filter (tracer_filter) before
 * exec, so only socket calls stop it.  It follows forks, threads and exec.
 * At each socket call it reads the arguments (PTRACE_GET_SYSCALL_INFO,
 * process_vm_readv), lets the call run, and after it asks the kernel about
 * the program's own socket through a pidfd_getfd dup (trace_describe_socket):
 * nothing in an event is guessed.
 *
 * Reports, one struct ss_event record each on event_fd, a pipe of its own
 * (absolute clock times; the records actors send, read with actor.h's
 * actor_inbox_read: the tracer is sockstep's own forked process, no
 * format between them to write and parse):
 *   begin    gated: the call waits for a grant (pid, call, fd, args)
 *   blocked  the call sleeps in the kernel (/proc/TID/stat, after 5 ms)
 *   call     the call returned, with the kernel's view of the socket
 *   process  started, forked, exec, exited (status or signal)
 *   output   a line the program wrote to stdout or stderr, escaped
 *   note     why the program could not be traced or started (level error)
 * Control, one line each on ctrl_fd:
 *   go       let the oldest waiting call run (gated mode)
 *   run      stop gating: every call runs at once from now on
 *   quit, or EOF: kill the program (every process) and exit
 * A client started once the server listened finds the server's port in
 * SOCKSTEP_PORT (the server may have bound port 0; examples/ read it).
 * The tracer exits when every process of the program has exited (status
 * 0), or 2 when the program cannot be traced at all (ptrace forbidden).
 * PTRACE_O_EXITKILL: the program dies with the tracer.
 */
#ifndef SOCKSTEP_TRACER_H
#define SOCKSTEP_TRACER_H

struct tracer_opts {
	const char *actor;      /* events' actor: "server", "client", a name */
	const char *shell_line; /* run through /bin/sh -c, or NULL */
	char *const *argv;      /* else execvp(argv[0], argv) */
	int gated;              /* 1: each socket call waits for "go" */
	int server_port;        /* > 0: SOCKSTEP_PORT in the program's environment */
};

/* Run the tracer in this (forked) process.  Never returns. */
_Noreturn void tracer_main(const struct tracer_opts *o, int ctrl_fd,
			   int event_fd);

/* Exit status of a tracer that found ptrace forbidden. */
#define TRACER_EXIT_NO_PTRACE 2

#endif
