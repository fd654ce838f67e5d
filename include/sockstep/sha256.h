/*
 * sha256: the digest a Content-Security-Policy names an inline script or
 * style by ("'sha256-<base64>'"), so the HTML export can allow exactly its
 * own inline code and nothing else.  FIPS 180-4, one shot, no state kept.
 */
#ifndef SOCKSTEP_SHA256_H
#define SOCKSTEP_SHA256_H

#include <stddef.h>

#define SHA256_BASE64_SIZE 45 /* 44 characters and the NUL */

/* The SHA-256 of len bytes of data, raw (32 bytes) into digest. */
void sha256(const void *data, size_t len, unsigned char digest[32]);

/* The same digest in standard base64 with padding, NUL-terminated. */
void sha256_base64(const void *data, size_t len, char out[SHA256_BASE64_SIZE]);

#endif
