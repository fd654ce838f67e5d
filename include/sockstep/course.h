/*
 * course: the lessons/ folder: find it, list it, pick a lesson by number,
 * name or path, in the learner's language.
 *
 * The English lessons are the course: lessons/NN-name.md.  A translation
 * has the same file name in a folder named after its language,
 * lessons/zh_CN/NN-name.md; a lesson not translated yet is given in
 * English (per lesson, so a course can be translated one file at a time).
 */
#ifndef SOCKSTEP_COURSE_H
#define SOCKSTEP_COURSE_H

#include <stddef.h>

#define COURSE_MAX 64
#define COURSE_PATH_MAX 512

struct course_entry {
	int number;                 /* from the file name NN-name.md */
	char name[64];              /* "first-exchange" */
	char path[COURSE_PATH_MAX]; /* the translation's when there is one */
	int translated;             /* path is lang/NN-name.md, not English */
};

/* The lessons directory: $SOCKSTEP_LESSONS, ./lessons, the one beside the
 * binary's directory (build/../lessons), or the installed one.  0 or -1. */
int course_dir(const char *argv0, char *out, size_t outsz);

/* Lesson files of dir in order; returns the count (at most max).  lang is
 * a language folder ("zh_CN", from i18n_language()): an entry whose file
 * exists in dir/lang/ gets that path; NULL or "en" lists the English. */
int course_list(const char *dir, const char *lang, struct course_entry *out,
		int max);

/* Resolve "3", "03", "backlog" to the lesson's file in lang (as
 * course_list), or "lessons/04-backlog.md", any path, to itself.
 * Returns 0, or -1 if nothing matches. */
int course_find(const char *dir, const char *lang, const char *what,
		char *path, size_t pathsz);

/* Index in list of path, or -1. */
int course_index(const struct course_entry *list, int n, const char *path);

#endif
