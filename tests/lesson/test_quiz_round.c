/* quiz_round: predict, then step — the question put once, the answer kept
 * for the grant it was given for. */
#include <check.h>

#include <string.h>

#include "sockstep/quiz_round.h"

START_TEST(test_quiz_round__off_or_no_question_never_waits)
{
	struct quiz_round q;
	int put = 1;

	memset(&q, 0, sizeof q);
	ck_assert_int_eq(quiz_round_waits(&q, "which port?", 1, &put), 0);
	ck_assert_int_eq(put, 0);
	q.on = 1;
	ck_assert_int_eq(quiz_round_waits(&q, "", 1, &put), 0);
	ck_assert_int_eq(quiz_round_open(&q, 1), 0);
}
END_TEST

START_TEST(test_quiz_round__the_question_is_put_once_and_waits_for_the_answer)
{
	struct quiz_round q;
	int put;

	memset(&q, 0, sizeof q);
	q.on = 1;
	ck_assert_int_eq(quiz_round_waits(&q, "which port?", 3, &put), 1);
	ck_assert_int_eq(put, 1);
	ck_assert_int_eq(quiz_round_waits(&q, "which port?", 3, &put), 1);
	ck_assert_int_eq(put, 0);
	ck_assert_int_eq(quiz_round_open(&q, 3), 1);
	ck_assert_int_eq(quiz_round_open(&q, 4), 0);
	quiz_round_answer(&q, 4, "9001"); /* not the open question's grant */
	ck_assert_int_eq(quiz_round_open(&q, 3), 1);
	quiz_round_answer(&q, 3, "9001");
	ck_assert_int_eq(quiz_round_open(&q, 3), 0);
	ck_assert_int_eq(quiz_round_waits(&q, "which port?", 3, &put), 0);
	ck_assert_str_eq(quiz_round_prediction(&q, "which port?", 3), "9001");
	/* the same step repeated is a new grant: asked again */
	ck_assert_ptr_null(quiz_round_prediction(&q, "which port?", 5));
	ck_assert_int_eq(quiz_round_waits(&q, "which port?", 5, &put), 1);
	ck_assert_int_eq(put, 1);
}
END_TEST

START_TEST(test_quiz_round__a_skipped_question_is_not_judged_and_reset_forgets)
{
	struct quiz_round q;
	int put;

	memset(&q, 0, sizeof q);
	q.on = 1;
	quiz_round_waits(&q, "ok?", 1, &put);
	quiz_round_answer(&q, 1, NULL);
	ck_assert_int_eq(quiz_round_waits(&q, "ok?", 1, &put), 0);
	ck_assert_ptr_null(quiz_round_prediction(&q, "ok?", 1));
	quiz_round_scored(&q, 1);
	quiz_round_scored(&q, 0);
	ck_assert_int_eq(q.asked, 2);
	ck_assert_int_eq(q.right, 1);
	quiz_round_reset(&q);
	ck_assert_int_eq(q.on, 1);
	ck_assert_int_eq(q.asked, 0);
	ck_assert_int_eq(quiz_round_waits(&q, "ok?", 1, &put), 1);
	ck_assert_int_eq(put, 1);
}
END_TEST

Suite *test_suite(void)
{
	Suite *s = suite_create("quiz_round");
	TCase *tc = tcase_create("quiz_round");

	tcase_add_test(tc, test_quiz_round__off_or_no_question_never_waits);
	tcase_add_test(tc, test_quiz_round__the_question_is_put_once_and_waits_for_the_answer);
	tcase_add_test(tc, test_quiz_round__a_skipped_question_is_not_judged_and_reset_forgets);
	suite_add_tcase(s, tc);
	return s;
}
