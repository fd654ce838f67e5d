/* sha256: the digests a browser computes for a CSP hash source. */
#include <check.h>
#include <string.h>

#include "sockstep/sha256.h"

/* Reference values: `printf %s TEXT | openssl dgst -sha256 -binary | base64`. */
START_TEST(sha256_matches_the_reference_digests)
{
	char out[SHA256_BASE64_SIZE];

	sha256_base64("", 0, out);
	ck_assert_str_eq(out, "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=");
	sha256_base64("abc", 3, out);
	ck_assert_str_eq(out, "ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0=");
}
END_TEST

START_TEST(sha256_pads_every_length_around_a_block)
{
	/* 55, 56 and 64 bytes: the length fits in the last block or not. */
	static const char *const want[] = {
		"n0OQ+NMMLdkuyfCVtl4rmumwqSWlJY4kHJ8ekQ9zQxg=",
		"s1Q5pKxvCUi21vnjxq8PX1kM4g8b3nCQ73lwaG7Gc4o=",
		"/+BU/nrgy23GXDr5th1SCfQ5hR20PQulmXM33xVGaOs=",
	};
	static const size_t lens[] = {55, 56, 64};
	char in[64], out[SHA256_BASE64_SIZE];

	memset(in, 'a', sizeof in);
	for (int i = 0; i < 3; i++) {
		sha256_base64(in, lens[i], out);
		ck_assert_str_eq(out, want[i]);
	}
}
END_TEST

Suite *test_suite(void)
{
	Suite *s = suite_create("sha256");
	TCase *tc = tcase_create("sha256");
	tcase_add_test(tc, sha256_matches_the_reference_digests);
	tcase_add_test(tc, sha256_pads_every_length_around_a_block);
	suite_add_tcase(s, tc);
	return s;
}
