/* cut: bounded string copies (see cut.h). */
#include "sockstep/cut.h"

#include <string.h>

/* A cut inside a UTF-8 character (a Chinese one is 3 bytes) would leave
 * a broken sequence at the end: back off to the character's first byte. */
static size_t char_boundary(const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;

	if (u[n] == '\0' || (u[n] & 0xc0) != 0x80)
		return n;
	while (n > 0 && (u[n] & 0xc0) == 0x80)
		n--;
	return n;
}

void cut_copy(char *out, size_t outsz, const char *in)
{
	size_t n;

	if (outsz == 0)
		return;
	n = strnlen(in, outsz - 1);
	n = char_boundary(in, n);
	memcpy(out, in, n);
	out[n] = '\0';
}

void cut_append(char *out, size_t outsz, const char *in)
{
	size_t n = strnlen(out, outsz);

	if (n < outsz)
		cut_copy(out + n, outsz - n, in);
}

void cut_end(char *s)
{
	size_t n = strlen(s), lead = n;
	unsigned char c;
	size_t need;

	/* the last character's first byte, at most 3 continuation bytes back */
	while (lead > 0 && n - lead < 4 && ((unsigned char)s[lead - 1] & 0xc0) == 0x80)
		lead--;
	if (lead == 0)
		return;
	c = (unsigned char)s[lead - 1];
	need = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc0 ? 2 : 1;
	if (n - (lead - 1) < need)
		s[lead - 1] = '\0';
}
