/*
 * textwidth: columns a UTF-8 text takes on a terminal.
 *
 * A Chinese character takes two columns and three bytes; an English
 * letter one and one.  Padding, truncation and wrapping must count
 * columns (wcwidth), never bytes, and must never cut a character in two.
 * In a locale that is not UTF-8 a byte >= 0x80 counts one column (it is
 * shown as '?').
 */
#ifndef SOCKSTEP_TEXTWIDTH_H
#define SOCKSTEP_TEXTWIDTH_H

#include <stddef.h>
#include <stdio.h>

/* Bytes of the character at s (1 for an invalid or lone byte) and, in
 * *cols, the columns it takes (0 for a combining mark, 1 for anything
 * not printable). */
int text_char(const char *s, int *cols);

/* Columns of the whole NUL-terminated text. */
int text_width(const char *s);

/* Bytes of the longest prefix of s that fits in cols columns, without
 * cutting a character; *used (if not NULL) gets its columns. */
size_t text_fit(const char *s, int cols, int *used);

/* Write s to out, cut to cols columns, padded with spaces to exactly
 * cols columns (printf's "%-*.*s", counted in columns). */
void text_pad(FILE *out, const char *s, int cols);

/* Bytes of s to put on one line of cols columns (at least one character,
 * so wrapping always progresses; the caller skips the spaces that start
 * the next line).  A line breaks after a space, or between two characters
 * when either is wide: Chinese has no spaces, any two of its characters
 * may part.  Never before closing punctuation (，。：） nor after opening
 * punctuation （“), as Chinese typesetting wants; a Latin word is cut only
 * when no break falls in the second half of the line. */
size_t text_wrap(const char *s, int cols);

#endif
