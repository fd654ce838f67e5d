/*
 * seed: the seed tutorial's exchange, built in.
 *
 * The steps of the seed's Python server and client, written in the lesson
 * grammar (seed.c holds them as text) and parsed like any lesson, with
 * host, port, pause, send and family from vars.
 */
#ifndef SOCKSTEP_SEED_H
#define SOCKSTEP_SEED_H

#include <stddef.h>

#include "sockstep/lesson.h"

/* Both sides, in the order a teacher walks through them.  0 or -1. */
int seed_classic(struct ss_script *sc, const struct script_var *vars,
		 size_t nvars, char *err, size_t errsz);

/* One side: the seed's server for `count` clients (server mode), or the
 * seed's client sending `send` (client mode). */
int seed_server(struct ss_script *sc, const struct script_var *vars,
		size_t nvars, int count, char *err, size_t errsz);
int seed_client(struct ss_script *sc, const struct script_var *vars,
		size_t nvars, char *err, size_t errsz);

#endif
