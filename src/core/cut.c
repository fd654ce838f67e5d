/* cut: bounded string copies (see cut.h). */
#include "sockstep/cut.h"

#include <string.h>

void cut_copy(char *out, size_t outsz, const char *in)
{
	size_t n;

	if (outsz == 0)
		return;
	n = strnlen(in, outsz - 1);
	memcpy(out, in, n);
	out[n] = '\0';
}

void cut_append(char *out, size_t outsz, const char *in)
{
	size_t n = strnlen(out, outsz);

	if (n < outsz)
		cut_copy(out + n, outsz - n, in);
}
