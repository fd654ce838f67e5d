/* textwidth: display columns of UTF-8 text (wcwidth), never bytes. */
#include "sockstep/textwidth.h"

#include <stdlib.h>
#include <string.h>
#include <wchar.h>

int text_char(const char *s, int *cols)
{
	const unsigned char *u = (const unsigned char *)s;
	wchar_t wc;
	mbstate_t st;
	size_t n;
	int w;

	*cols = 1;
	if (u[0] < 0x80)
		return 1;
	memset(&st, 0, sizeof st);
	n = mbrtowc(&wc, s, strnlen(s, MB_CUR_MAX), &st);
	if (n == (size_t)-1 || n == (size_t)-2 || n == 0)
		return 1;
	w = wcwidth(wc);
	*cols = w < 0 ? 1 : w;
	return (int)n;
}

int text_width(const char *s)
{
	int total = 0;

	while (*s) {
		int cols;
		s += text_char(s, &cols);
		total += cols;
	}
	return total;
}

size_t text_fit(const char *s, int cols, int *used)
{
	size_t bytes = 0;
	int w = 0;

	while (s[bytes]) {
		int c;
		int len = text_char(s + bytes, &c);
		if (w + c > cols)
			break;
		w += c;
		bytes += (size_t)len;
	}
	if (used)
		*used = w;
	return bytes;
}

void text_pad(FILE *out, const char *s, int cols)
{
	int used;
	size_t n = text_fit(s, cols, &used);

	fwrite(s, 1, n, out);
	for (; used < cols; used++)
		fputc(' ', out);
}
