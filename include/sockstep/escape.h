/*
 * escape: turn bytes from a peer into text that is safe on any terminal.
 *
 * Peer data may hold terminal control sequences (ESC [ 2 J, OSC title
 * changes) or binary; none of it may reach the screen or a log as is.
 * The output is printable ASCII only: 0x20..0x7e kept (backslash doubled),
 * \n \r \t \0 as two-character escapes, every other byte as \xNN.
 */
#ifndef SOCKSTEP_ESCAPE_H
#define SOCKSTEP_ESCAPE_H

#include <stddef.h>
#include <stdio.h>

/* Escape len bytes of in into out (always NUL-terminated when outsz > 0).
 * Never splits an escape; if out is too small the result ends early and
 * "..." replaces the tail.  Returns the number of input bytes consumed. */
size_t escape_bytes(char *out, size_t outsz, const void *in, size_t len);

/* Reverse of escape_bytes: decode into out (at most outsz bytes).
 * Returns the number of bytes written, or -1 on a malformed escape. */
long unescape_bytes(unsigned char *out, size_t outsz, const char *in);

/* Copy a NUL-terminated string with the same rules (for names and paths
 * that did not come from us). */
void escape_string(char *out, size_t outsz, const char *in);

/* Prose (narration, notes, messages, a lesson's text): as escape_string,
 * but a valid UTF-8 character that is printable stays as it is (a Chinese
 * lesson reads as Chinese); C1 controls, bidirectional overrides and
 * broken sequences are escaped as \xNN.  Cut at outsz - 1, between
 * characters and escapes, never inside one. */
void escape_text(char *out, size_t outsz, const char *in);

/* 1 when in is already what escape_text leaves as it is, backslashes
 * apart: printable ASCII and characters escape_text keeps, nothing else
 * (event_escape keeps such a field unchanged). */
int escape_text_clean(const char *in);

/* Bytes of the character at in that escape_text keeps as it is, when it
 * is a valid, printable UTF-8 character of two to four bytes (not a C1
 * control, a line separator or a bidirectional control); 0 for anything
 * else, ASCII included.  The one UTF-8 check: every writer of prose
 * (HTML, SVG, diagrams) keeps what it keeps. */
size_t escape_text_char(const char *in);

/* Write in as HTML text or a quoted attribute value: & < > " ' become
 * entities, other printable ASCII stays, a character escape_text keeps
 * stays (a Chinese narration reads as Chinese), every other byte
 * (controls, DEL, broken UTF-8) is written as the visible text \xNN as
 * escape_bytes writes it.  No HTML parser reads the output as markup. */
void escape_html(FILE *out, const char *in);

/* Write in, a JSON text, so that it can sit inside an HTML <script> data
 * block: < > & become \u003c \u003e \u0026 (no "</script>" or "<!--"
 * can end the block early) and U+2028 / U+2029 become \u2028 / \u2029.
 * Those characters only occur inside JSON strings, where the escapes
 * mean the same characters, so the JSON value is unchanged. */
void escape_script_json(FILE *out, const char *in);

#endif
