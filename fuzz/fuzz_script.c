/*
 * fuzz_script: lesson_parse on any text never crashes or leaks, and every
 * error names the file and a line: "fuzz.md:LINE: reason", in printable
 * ASCII whatever bytes of the lesson it quotes.
 */
#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sockstep/escape.h"
#include "sockstep/lesson.h"
#include "sockstep/script.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct script_var vars[] = {
		{ "host", "127.0.0.1" },
		{ "port", "9001" },
		{ "pause", "0" },
	};
	char *text = malloc(size + 1);
	if (text == NULL)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';

	struct ss_script sc;
	char err[256];
	memset(&sc, 0, sizeof(sc));
	err[0] = '\0';
	if (lesson_parse(&sc, text, "fuzz.md", vars, 3, err, sizeof(err)) == 0) {
		if (sc.nsteps < 0 || sc.nsteps > SCRIPT_MAX_STEPS ||
		    sc.nactors < 0 || sc.nactors > SCRIPT_MAX_ACTORS)
			abort();
		for (int i = 0; i < sc.nsteps; i++) {
			const struct ss_step *st = &sc.steps[i];
			if (st->actor < 0 || st->actor >= sc.nactors ||
			    (int)st->call < 0 || st->call >= SS_CALL_COUNT ||
			    st->data_len > SCRIPT_DATA_MAX ||
			    st->nexpect < 0 || st->nexpect > SCRIPT_MAX_EXPECT)
				abort();
		}
		script_free(&sc);
	} else {
		const char *p = err;
		if (strncmp(p, "fuzz.md:", 8) != 0)
			abort();
		p += 8;
		if (!isdigit((unsigned char)*p))
			abort();
		while (isdigit((unsigned char)*p))
			p++;
		if (*p != ':')
			abort();
		/* ... and quotes the lesson escaped: printable text only
		 * (ASCII, or whole safe characters: escape_text) */
		if (!escape_text_clean(err))
			abort();
		script_free(&sc); /* must be safe after a failure too */
	}
	free(text);
	return 0;
}
