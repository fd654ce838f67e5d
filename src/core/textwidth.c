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

/* The character at s as a wide character (the byte itself when it is not
 * valid in the locale); returns its bytes, its columns in *cols. */
static int text_wchar(const char *s, wchar_t *wc, int *cols)
{
	mbstate_t st;
	int len = text_char(s, cols);

	memset(&st, 0, sizeof st);
	if (len == 1 || mbrtowc(wc, s, (size_t)len, &st) != (size_t)len)
		*wc = (wchar_t)(unsigned char)s[0];
	return len;
}

/* Full-width punctuation that may not start a line (closing) or end one
 * (opening); the ASCII ones matter after a Chinese character, as in
 * "accept()，" or "9001。". */
static int text_closing(wchar_t c)
{
	return wcschr(L"\u3001\u3002\uff0c\uff1a\uff1b\uff1f\uff01\uff09\u300b"
		      L"\u300d\u300f\u201d\u2019\u2026,.;:!?)",
		      c) != NULL;
}

static int text_opening(wchar_t c)
{
	return wcschr(L"\uff08\u300a\u300c\u300e\u201c\u2018(", c) != NULL;
}

static int text_may_break(wchar_t a, int aw, wchar_t b, int bw)
{
	if (a == L' ')
		return 1;
	if (b == L' ' || text_closing(b) || text_opening(a))
		return 0;
	return aw > 1 || bw > 1;
}

size_t text_wrap(const char *s, int cols)
{
	size_t bytes = 0, brk = 0;
	int w = 0, prevw = 0;
	wchar_t prev = 0;

	while (s[bytes]) {
		wchar_t wc;
		int c;
		int len = text_wchar(s + bytes, &wc, &c);
		if (bytes > 0 && text_may_break(prev, prevw, wc, c))
			brk = bytes;
		if (w + c > cols)
			break;
		w += c;
		bytes += (size_t)len;
		prev = wc;
		prevw = c;
	}
	if (bytes == 0 && s[0]) {
		wchar_t wc;
		int c;
		return (size_t)text_wchar(s, &wc, &c);
	}
	if (s[bytes] == '\0' || brk == 0 || brk < bytes / 2)
		return bytes;
	return brk;
}
