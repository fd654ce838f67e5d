/*
 * fuzz_options: the command line parser on arbitrary argument vectors
 * (arguments separated by NUL or newline).  It must never crash, and a
 * rejected command line must leave a one-line reason with no control
 * byte in it (the reason quotes what the user typed).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sockstep/escape.h"
#include "sockstep/options.h"

#define ARGS_MAX 24

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct options o;
	char *buf = malloc(size + 1);
	char *argv[ARGS_MAX + 2];
	int argc = 0;

	if (buf == NULL)
		return 0;
	memcpy(buf, data, size);
	buf[size] = '\0';
	argv[argc++] = (char *)"sockstep";
	for (char *s = buf, *end = buf + size; s <= end && argc <= ARGS_MAX;) {
		size_t n = strcspn(s, "\n");
		s[n] = '\0';
		argv[argc++] = s;
		s += n + 1;
		/* --answers reads a file: keep the fuzzer away from the disk */
		if (strcmp(argv[argc - 1], "--answers") == 0)
			argv[argc - 1] = (char *)"--no-quiz";
	}
	argv[argc] = NULL;

	if (options_parse(argc, argv, &o) == OPTIONS_USAGE) {
		size_t n = strlen(o.error);
		if (n == 0 || n >= sizeof o.error)
			abort();
		/* printable text: ASCII, or whole safe characters of a
		 * translation or of what it quotes (escape_text) */
		if (!escape_text_clean(o.error))
			abort();
	}
	free(buf);
	return 0;
}
