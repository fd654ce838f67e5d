/*
 * explain: one plain sentence on what a call's result means, for the
 * narration ("the peer reset the connection", "the timeout fired").
 * Chosen from the kernel's answer (errno, a 0-byte read), never guessed.
 */
#ifndef SOCKSTEP_EXPLAIN_H
#define SOCKSTEP_EXPLAIN_H

#include "sockstep/event.h"

/* The sentence for call event ev, or NULL when there is nothing to add. */
const char *explain_call(const struct ss_event *ev);

#endif
