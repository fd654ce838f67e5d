/*
 * escape: peer bytes to printable ASCII and back.
 *
 * Every output byte is in 0x20..0x7e: a terminal interprets ESC (0x1b),
 * CSI (0x9b in 8-bit mode) and other C0/C1 controls, so none of them may
 * leave this module, whatever the peer sent.
 */
#include "sockstep/escape.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

static const char hex_digits[] = "0123456789abcdef";

/* The escape for one byte into tok (at most 4 chars, no NUL); its length. */
static size_t escape_one(unsigned char c, char tok[4])
{
	switch (c) {
	case '\\':
		tok[0] = '\\';
		tok[1] = '\\';
		return 2;
	case '\n':
		tok[0] = '\\';
		tok[1] = 'n';
		return 2;
	case '\r':
		tok[0] = '\\';
		tok[1] = 'r';
		return 2;
	case '\t':
		tok[0] = '\\';
		tok[1] = 't';
		return 2;
	case '\0':
		tok[0] = '\\';
		tok[1] = '0';
		return 2;
	default:
		break;
	}
	if (c >= 0x20 && c < 0x7f) {
		tok[0] = (char)c;
		return 1;
	}
	tok[0] = '\\';
	tok[1] = 'x';
	tok[2] = hex_digits[c >> 4];
	tok[3] = hex_digits[c & 0xf];
	return 4;
}

size_t escape_bytes(char *out, size_t outsz, const void *in, size_t len)
{
	const unsigned char *src = in;
	char tok[4];

	if (outsz == 0)
		return 0;
	if (src == NULL)
		len = 0;

	/* Decide first whether everything fits, so that "..." is only
	 * reserved (and written) when something is really left out. */
	size_t need = 0;
	for (size_t i = 0; i < len && need < outsz; i++)
		need += escape_one(src[i], tok);
	size_t room = outsz - 1;
	int truncated = need > room;
	if (truncated)
		room = room >= 3 ? room - 3 : 0;

	size_t pos = 0, i = 0;
	for (; i < len; i++) {
		size_t n = escape_one(src[i], tok);
		if (pos + n > room)
			break;
		memcpy(out + pos, tok, n);
		pos += n;
	}
	if (truncated) {
		/* Tiny buffers get as many dots as fit. */
		for (int d = 0; d < 3 && pos + 1 < outsz; d++)
			out[pos++] = '.';
	}
	out[pos] = '\0';
	return i;
}

static int hex_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

long unescape_bytes(unsigned char *out, size_t outsz, const char *in)
{
	size_t n = 0;

	if (in == NULL)
		return -1;
	/* Keep checking the input after out is full: a malformed escape
	 * anywhere means the text did not come from escape_bytes. */
	for (const char *p = in; *p != '\0'; p++) {
		unsigned char c = (unsigned char)*p;
		if (c < 0x20 || c >= 0x7f)
			return -1;
		if (c == '\\') {
			p++;
			switch (*p) {
			case '\\':
				c = '\\';
				break;
			case 'n':
				c = '\n';
				break;
			case 'r':
				c = '\r';
				break;
			case 't':
				c = '\t';
				break;
			case '0':
				c = '\0';
				break;
			case 'x': {
				int hi = hex_value(p[1]);
				int lo = hi < 0 ? -1 : hex_value(p[2]);
				if (lo < 0)
					return -1;
				c = (unsigned char)(hi << 4 | lo);
				p += 2;
				break;
			}
			default: /* includes the NUL after a trailing backslash */
				return -1;
			}
		}
		if (n < outsz)
			out[n++] = c;
	}
	return (long)n;
}

void escape_string(char *out, size_t outsz, const char *in)
{
	escape_bytes(out, outsz, in, in != NULL ? strlen(in) : 0);
}

/* Bytes of the valid UTF-8 character at s that is safe to show as it is
 * (0 otherwise): not a C1 control, not a line/paragraph separator, not a
 * bidirectional override or isolate (text that reads differently from
 * what it is), no overlong form or surrogate, not U+FFFE/U+FFFF (no
 * character at all: XML refuses them). */
size_t escape_text_char(const char *in)
{
	const unsigned char *s = (const unsigned char *)in;
	size_t len;
	unsigned cp;

	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		len = 2, cp = s[0] & 0x1f;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		len = 3, cp = s[0] & 0x0f;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		len = 4, cp = s[0] & 0x07;
	else
		return 0;
	for (size_t k = 1; k < len; k++) {
		if ((s[k] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[k] & 0x3f);
	}
	if ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10ffff)) ||
	    (cp >= 0xd800 && cp <= 0xdfff) || cp < 0xa0 ||
	    (cp >= 0x2028 && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069) ||
	    cp == 0x200e || cp == 0x200f || cp == 0xfeff || cp == 0xfffe || cp == 0xffff)
		return 0;
	return len;
}

void escape_text(char *out, size_t outsz, const char *in)
{
	const unsigned char *s = (const unsigned char *)(in ? in : "");
	size_t pos = 0;
	char tok[4];

	if (outsz == 0)
		return;
	while (*s) {
		size_t n = escape_text_char((const char *)s);
		const void *src = s;
		if (n == 0) {
			n = escape_one(*s, tok);
			src = tok;
		}
		if (pos + n >= outsz)
			break;
		memcpy(out + pos, src, n);
		pos += n;
		s += src == tok ? 1 : n;
	}
	out[pos] = '\0';
}

int escape_text_clean(const char *in)
{
	const unsigned char *s = (const unsigned char *)(in ? in : "");

	while (*s) {
		size_t n = escape_text_char((const char *)s);
		if (n == 0 && (*s < 0x20 || *s >= 0x7f))
			return 0;
		s += n ? n : 1;
	}
	return 1;
}

void escape_html(FILE *out, const char *in)
{
	char tok[4];

	for (const unsigned char *p = (const unsigned char *)(in ? in : ""); *p; p++) {
		size_t n = escape_text_char((const char *)p);
		if (n > 0) { /* a character escape_text keeps: text, not markup */
			fwrite(p, 1, n, out);
			p += n - 1;
			continue;
		}
		switch (*p) {
		case '&': fputs("&amp;", out); break;
		case '<': fputs("&lt;", out); break;
		case '>': fputs("&gt;", out); break;
		case '"': fputs("&quot;", out); break;
		case '\'': fputs("&#39;", out); break;
		default:
			/* The terminal escape is also safe HTML text: printable
			 * ASCII without the five characters above. */
			fwrite(tok, 1, escape_one(*p, tok), out);
			break;
		}
	}
}

void escape_script_json(FILE *out, const char *in)
{
	for (const unsigned char *p = (const unsigned char *)(in ? in : ""); *p; p++) {
		/* the bytes written as they are, a run at a time */
		size_t plain = strcspn((const char *)p, "<>&\xe2");
		if (plain > 0) {
			fwrite(p, 1, plain, out);
			p += plain;
			if (*p == '\0')
				break;
		}
		if (*p == '<')
			fputs("\\u003c", out);
		else if (*p == '>')
			fputs("\\u003e", out);
		else if (*p == '&')
			fputs("\\u0026", out);
		else if (p[0] == 0xe2 && p[1] == 0x80 && (p[2] == 0xa8 || p[2] == 0xa9)) {
			/* UTF-8 of U+2028 LINE SEPARATOR / U+2029 PARAGRAPH SEPARATOR */
			fputs(p[2] == 0xa8 ? "\\u2028" : "\\u2029", out);
			p += 2;
		} else
			fputc(*p, out);
	}
}
