/* SPDX-License-Identifier: GPL-2.0-or-later */
/* unit.h: the one shared helper of the Check unit tests in test/unit/.
 * Every test_X.c defines a Suite and ends with VS_UNIT_MAIN(its_suite_function). */
#ifndef VS_UNIT_H
#define VS_UNIT_H

#include <check.h>
#include <stdlib.h>
#include <string.h>

/* Assert that an error message mentions a given piece (value, position, reason). */
#define ck_assert_has(msg, piece)                                          \
	ck_assert_msg(strstr((msg), (piece)) != NULL,                          \
			"message \"%s\" lacks \"%s\"", (msg), (piece))

/* Run one suite (forking per test unless CK_FORK=no); exit 1 on any failure. */
#define VS_UNIT_MAIN(suite_fn)                                             \
	int main(void)                                                         \
	{                                                                      \
		SRunner *sr = srunner_create(suite_fn());                          \
		int failed;                                                        \
		srunner_run_all(sr, CK_NORMAL);                                    \
		failed = srunner_ntests_failed(sr);                                \
		srunner_free(sr);                                                  \
		return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;                  \
	}

#endif
