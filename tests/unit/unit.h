/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A minimal unit-test runner, in the style of the kernel's BPF selftests.
 *
 * TEST(name) { ... } defines a test and registers it before main() runs.
 * The ASSERT_* macros return true on success; on failure they print
 * "FAIL file:line name: expected X, got Y", mark the running test as
 * failed and return false, so a test can stop early:
 *
 *	if (!ASSERT_OK_PTR(p, "alloc"))
 *		return;
 *
 * main.c runs every test (in a child process, so a crash fails one test,
 * not the run) and ends with "unit: N passed, M failed".
 */
#ifndef SOCKTAP_UNIT_H
#define SOCKTAP_UNIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

struct unit_test {
	const char *name;
	void (*fn)(void);
	struct unit_test *next;
};

void unit_register(struct unit_test *t);

#define TEST(tname)                                                                                \
	static void unit_fn_##tname(void);                                                         \
	static struct unit_test unit_test_##tname = { #tname, unit_fn_##tname, NULL };             \
	__attribute__((constructor)) static void unit_reg_##tname(void)                            \
	{                                                                                          \
		unit_register(&unit_test_##tname);                                                 \
	}                                                                                          \
	static void unit_fn_##tname(void)

/* Failure reporting (main.c); each returns ok. */
void unit_fail(const char *file, int line, const char *name, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
bool unit_check_int(const char *file, int line, const char *name, const char *op, bool ok,
		    bool act_signed, unsigned long long act, bool exp_signed,
		    unsigned long long exp);
bool unit_check_str(const char *file, int line, const char *name, bool want_eq, const char *act,
		    const char *exp);

/* Is the type of x a signed integer type? (Enums match their underlying type.) */
#define UNIT_SIGNED(x)                                                                             \
	_Generic((x), signed char                                                                  \
		 : true, short                                                                     \
		 : true, int                                                                       \
		 : true, long                                                                      \
		 : true, long long                                                                 \
		 : true, default                                                                   \
		 : false)

/* Compares two integers of any types by value: -1, 0 or 1. */
int unit_int_cmp(bool as, unsigned long long a, bool bs, unsigned long long b);

#define UNIT_INT_OP(actual, expected, name, opstr, test)                                           \
	({                                                                                         \
		__typeof__(actual) ___act = (actual);                                              \
		__typeof__(expected) ___exp = (expected);                                          \
		bool ___as = UNIT_SIGNED(___act), ___es = UNIT_SIGNED(___exp);                     \
		int ___cmp = unit_int_cmp(___as, (unsigned long long)___act, ___es,                \
					  (unsigned long long)___exp);                             \
		unit_check_int(__FILE__, __LINE__, (name), (opstr), (test), ___as,                 \
			       (unsigned long long)___act, ___es, (unsigned long long)___exp);     \
	})

#define ASSERT_EQ(actual, expected, name) UNIT_INT_OP(actual, expected, name, "", ___cmp == 0)
#define ASSERT_NEQ(actual, expected, name) UNIT_INT_OP(actual, expected, name, "not ", ___cmp != 0)
#define ASSERT_LT(actual, expected, name) UNIT_INT_OP(actual, expected, name, "< ", ___cmp < 0)
#define ASSERT_GE(actual, expected, name) UNIT_INT_OP(actual, expected, name, ">= ", ___cmp >= 0)
/* 0, as functions returning 0 or -errno / -1 do on success. */
#define ASSERT_OK(res, name) ASSERT_EQ(res, 0, name)
/* A negative result. */
#define ASSERT_ERR(res, name) ASSERT_LT(res, 0, name)

#define ASSERT_TRUE(cond, name)                                                                    \
	({                                                                                         \
		bool ___ok = (cond);                                                               \
		if (!___ok)                                                                        \
			unit_fail(__FILE__, __LINE__, (name), "expected true, got false");         \
		___ok;                                                                             \
	})
#define ASSERT_FALSE(cond, name)                                                                   \
	({                                                                                         \
		bool ___ok = !(cond);                                                              \
		if (!___ok)                                                                        \
			unit_fail(__FILE__, __LINE__, (name), "expected false, got true");         \
		___ok;                                                                             \
	})

/* Strings: NULL compares equal only to NULL; failures are shown C-escaped. */
#define ASSERT_STREQ(actual, expected, name)                                                       \
	unit_check_str(__FILE__, __LINE__, (name), true, (actual), (expected))
#define ASSERT_STRNEQ(actual, expected, name)                                                      \
	unit_check_str(__FILE__, __LINE__, (name), false, (actual), (expected))

#define ASSERT_NULL(ptr, name)                                                                     \
	({                                                                                         \
		const void *___p = (ptr);                                                          \
		bool ___ok = ___p == NULL;                                                         \
		if (!___ok)                                                                        \
			unit_fail(__FILE__, __LINE__, (name), "expected NULL, got %p", ___p);      \
		___ok;                                                                             \
	})
#define ASSERT_OK_PTR(ptr, name)                                                                   \
	({                                                                                         \
		const void *___p = (ptr);                                                          \
		bool ___ok = ___p != NULL;                                                         \
		if (!___ok)                                                                        \
			unit_fail(__FILE__, __LINE__, (name), "expected a pointer, got NULL");     \
		___ok;                                                                             \
	})

#endif
