/*
 * files: open the files a user names (lessons, recordings, --answers,
 * --record, export's input and output) so that no kind of file can hang
 * or spin a session, and no output destroys an input.
 *
 * Inputs must be regular files: a FIFO blocks open() until a writer
 * comes, a directory reads as empty, /dev/zero and /dev/urandom never
 * end.  The open itself is O_NONBLOCK, so naming a FIFO cannot hang
 * before fstat() has said what the file is.
 *
 * Outputs may be regular files or devices (/dev/null, /dev/stdout); a
 * FIFO nobody reads is refused (ENXIO on a non-blocking open) instead of
 * blocking.  A regular output is truncated only after it is known not to
 * be the input (same device and inode: links and symlinks included).
 *
 * Messages name the file escaped (a file name may hold any byte but NUL)
 * and say why, e.g. "cannot read x.md: a directory, not a file".
 * The caller owns the FILE returned and fclose()s it.
 */
#ifndef SOCKSTEP_FILES_H
#define SOCKSTEP_FILES_H

#include <stddef.h>
#include <stdio.h>

/* Open path for reading ("r"); a regular file only.  NULL with err. */
FILE *files_read(const char *path, char *err, size_t errsz);

/* Open path for writing ("w": created 0666 & ~umask, truncated).  When
 * input is not NULL and names the same file as path, nothing is opened
 * or truncated: NULL with "... is also the input".  NULL with err. */
FILE *files_write(const char *path, const char *input, char *err, size_t errsz);

/* What a non-regular file is, for messages, in the learner's language:
 * "a directory", "a FIFO", ...
 * NULL for a regular file. */
const char *files_kind(unsigned mode);

#endif
