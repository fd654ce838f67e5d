/*
 * course: the lessons/ folder: find it, list it, pick a lesson by number,
 * name or path.
 */
#ifndef SOCKSTEP_COURSE_H
#define SOCKSTEP_COURSE_H

#include <stddef.h>

#define COURSE_MAX 64
#define COURSE_PATH_MAX 512

struct course_entry {
	int number;                 /* from the file name NN-name.md */
	char name[64];              /* "first-exchange" */
	char path[COURSE_PATH_MAX];
};

/* The lessons directory: $SOCKSTEP_LESSONS, ./lessons, the one beside the
 * binary's directory (build/../lessons), or the installed one.  0 or -1. */
int course_dir(const char *argv0, char *out, size_t outsz);

/* Lesson files of dir in order; returns the count (at most max). */
int course_list(const char *dir, struct course_entry *out, int max);

/* Resolve "3", "03", "backlog", "lessons/04-backlog.md" to a file path.
 * Returns 0, or -1 if nothing matches. */
int course_find(const char *dir, const char *what, char *path, size_t pathsz);

/* Index in list of path, or -1. */
int course_index(const struct course_entry *list, int n, const char *path);

#endif
