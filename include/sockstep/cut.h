/*
 * cut: bounded string copies that cut what does not fit, never overflow
 * and always end the string (a name, a message, a line of the UI).
 */
#ifndef SOCKSTEP_CUT_H
#define SOCKSTEP_CUT_H

#include <stddef.h>

/* Copy in to out (outsz bytes, at least 1), cut at outsz - 1, or before
 * the UTF-8 character that would not fit whole. */
void cut_copy(char *out, size_t outsz, const char *in);
/* Append in to the string in out, cut at outsz - 1. */
void cut_append(char *out, size_t outsz, const char *in);

/* Drop a UTF-8 character left incomplete at the end of s, as snprintf
 * leaves one when it cuts a message (a note in Chinese). */
void cut_end(char *s);

#endif
