/*
 * export_cmd: the command line of `sockstep export`.
 *
 * Options, usage and exit status around export_trace (export.h), kept out
 * of the exporter so the drawing can be used (by the UI's e key, by tests)
 * without a command line.
 */
#ifndef SOCKSTEP_EXPORT_CMD_H
#define SOCKSTEP_EXPORT_CMD_H

/* `sockstep export [--format F] [--filter EXPR]... [-o FILE] TRACE.jsonl`
 * (--format html: export_html.h):
 * argv[0] is "export".  Returns the exit status: 0, 1 when the trace
 * cannot be read or written, 2 on bad usage (one line on stderr). */
int export_cmd_main(int argc, char **argv);

#endif
