/*
 * fuzz_escape: escape_bytes never lets a byte outside 0x20..0x7e out,
 * always terminates, and unescape_bytes gives back the exact input when
 * nothing was cut; escape_html writes only printable ASCII without markup
 * characters, and escape_script_json never lets <, > or & through;
 * escape_text lets out only printable ASCII and whole, safe UTF-8
 * characters, and never writes past its size.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sockstep/escape.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The HTML writers, on the input as a string. */
static void check_html_writers(const char *text)
{
	char *buf = NULL;
	size_t n = 0;
	FILE *f = open_memstream(&buf, &n);

	if (f == NULL)
		abort();
	escape_html(f, text);
	fclose(f);
	/* printable text (ASCII, or whole safe characters: escape_text's
	 * rule) and no markup character */
	if (memchr(buf, '\0', n) || !escape_text_clean(buf))
		abort();
	for (size_t i = 0; i < n; i++)
		if (strchr("<>\"'", buf[i]))
			abort();
	free(buf);
	f = open_memstream(&buf, &n);
	if (f == NULL)
		abort();
	escape_script_json(f, text);
	fclose(f);
	if (memchr(buf, '<', n) || memchr(buf, '>', n) || memchr(buf, '&', n))
		abort();
	free(buf);
}

/* escape_text's output: terminated within its size, and clean: printable
 * ASCII and the whole, safe characters escape_text keeps, nothing else. */
static void check_text(const char *text, size_t outsz)
{
	char out[256];

	memset(out, 'Z', sizeof out);
	escape_text(out, outsz, text);
	if (outsz == 0)
		return;
	if (strnlen(out, outsz) >= outsz || (outsz < sizeof out && out[outsz] != 'Z'))
		abort();
	if (!escape_text_clean(out))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{

	/* The first byte picks an output size, small ones included: the
	 * truncation path ("...") must be as safe as the full one. */
	size_t outsz = size > 0 ? data[0] : 0;
	const uint8_t *in = size > 0 ? data + 1 : data;
	size_t len = size > 0 ? size - 1 : 0;

	char small[256];
	memset(small, 'Z', sizeof(small));
	size_t used = escape_bytes(small, outsz, in, len);
	if (used > len)
		abort();
	if (outsz > 0) {
		size_t n = strnlen(small, outsz);
		if (n >= outsz)
			abort(); /* not terminated inside the buffer */
		for (size_t i = 0; i < n; i++)
			if ((unsigned char)small[i] < 0x20 ||
			    (unsigned char)small[i] > 0x7e)
				abort();
		if (n + 1 < sizeof(small) && small[n + 1] != 'Z' && n + 1 >= outsz)
			abort(); /* wrote past outsz */
	}

	/* Full size: 4 output bytes per input byte at most, plus the NUL. */
	size_t bigsz = len * 4 + 1;
	char *big = malloc(bigsz);
	unsigned char *back = malloc(len + 1);
	if (big == NULL || back == NULL)
		abort();
	if (escape_bytes(big, bigsz, in, len) != len)
		abort();
	for (const char *p = big; *p; p++)
		if ((unsigned char)*p < 0x20 || (unsigned char)*p > 0x7e)
			abort();
	long got = unescape_bytes(back, len + 1, big);
	if (got != (long)len || memcmp(back, in, len) != 0)
		abort();

	/* unescape on arbitrary text: never writes past outsz. */
	char *text = malloc(len + 1);
	if (text == NULL)
		abort();
	memcpy(text, in, len);
	text[len] = '\0';
	unsigned char out8[8];
	long r = unescape_bytes(out8, sizeof(out8), text);
	(void)r;
	check_html_writers(text);
	check_text(text, outsz);
	free(text);
	free(back);
	free(big);
	return 0;
}
