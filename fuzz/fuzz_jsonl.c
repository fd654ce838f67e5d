/*
 * fuzz_jsonl: jsonl_parse on any line never crashes; whatever it accepts
 * formats to one line of printable ASCII that parses back to an event
 * which formats to the very same line (format . parse is a fixed point);
 * whatever it refuses, it says why in printable ASCII.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sockstep/escape.h"
#include "sockstep/jsonl.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Length of the valid UTF-8 sequence at s, 0 if invalid (independent of
 * jf_utf8_len in jsonl_fields.c on purpose). */
static size_t utf8_ok(const unsigned char *s, size_t n)
{
	size_t len;
	unsigned cp, min;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		len = 2, min = 0x80, cp = s[0] & 0x1fu;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		len = 3, min = 0x800, cp = s[0] & 0x0fu;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		len = 4, min = 0x10000, cp = s[0] & 0x07u;
	else
		return 0;
	if (n < len)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3fu);
	}
	if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return len;
}

/* docs/trace-format.md: one line, UTF-8, no control character (U+0000..
 * U+001F) and no DEL as such: a trace is safe to cat. */
static void check_line(const char *buf, int n)
{
	const unsigned char *s = (const unsigned char *)buf;
	if (n <= 0 || buf[n - 1] != '\n' || (size_t)n != strlen(buf))
		abort();
	for (size_t i = 0; i < (size_t)n - 1;) {
		if (s[i] < 0x20 || s[i] == 0x7f)
			abort();
		if (s[i] < 0x80) {
			i++;
			continue;
		}
		size_t len = utf8_ok(s + i, (size_t)n - 1 - i);
		if (len == 0)
			abort();
		i += len;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *line = malloc(size + 1);
	if (line == NULL)
		return 0;
	memcpy(line, data, size);
	line[size] = '\0';

	struct ss_event ev, ev2;
	char err[128];
	if (jsonl_parse(line, &ev, err, sizeof(err)) == 0) {
		char a[JSONL_LINE_MAX], b[JSONL_LINE_MAX];
		int na = jsonl_format(&ev, a, sizeof(a));
		if (na < 0)
			abort(); /* every parsed event must fit a line */
		check_line(a, na);
		if (jsonl_parse(a, &ev2, err, sizeof(err)) != 0)
			abort();
		int nb = jsonl_format(&ev2, b, sizeof(b));
		if (nb != na || memcmp(a, b, (size_t)na) != 0)
			abort();
		/* A too small buffer is an error, never an overflow. */
		char tiny[16];
		if (na >= (int)sizeof(tiny) &&
		    jsonl_format(&ev, tiny, sizeof(tiny)) != -1)
			abort();
	} else if (err[0] == '\0') {
		abort(); /* a failure always says why */
	} else {
		/* ... in printable text (ASCII, or whole safe characters:
		 * escape_text), whatever the line quoted in it */
		if (!escape_text_clean(err))
			abort();
	}
	free(line);
	return 0;
}
