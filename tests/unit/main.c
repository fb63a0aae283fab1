// SPDX-License-Identifier: GPL-2.0
/*
 * The unit-test runner: `unit_tests [substring]` runs every registered test
 * (or those whose names contain substring), each in a child process, prints
 * "ok <name>" or "FAIL <name>" per test and then "unit: N passed, M failed".
 * UNIT_NOFORK=1 runs the tests in-process (for a debugger).
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "unit.h"

static struct unit_test *head, **tail = &head;
/* set by any failed assertion of the running test */
static bool failed;

void unit_register(struct unit_test *t)
{
	t->next = NULL;
	*tail = t;
	tail = &t->next;
}

void unit_fail(const char *file, int line, const char *name, const char *fmt, ...)
{
	va_list ap;

	failed = true;
	printf("FAIL %s:%d %s: ", file, line, name);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	fflush(stdout);
}

int unit_int_cmp(bool as, unsigned long long a, bool bs, unsigned long long b)
{
	bool aneg = as && (long long)a < 0, bneg = bs && (long long)b < 0;

	if (aneg != bneg)
		return aneg ? -1 : 1;
	/* same sign: two's complement order matches the unsigned order */
	return a < b ? -1 : a > b;
}

static void fmt_int(char *buf, size_t len, bool is_signed, unsigned long long v)
{
	if (is_signed)
		snprintf(buf, len, "%lld", (long long)v);
	else
		snprintf(buf, len, "%llu", v);
}

bool unit_check_int(const char *file, int line, const char *name, const char *op, bool ok,
		    bool act_signed, unsigned long long act, bool exp_signed,
		    unsigned long long exp)
{
	char a[32], e[32];

	if (ok)
		return true;
	fmt_int(a, sizeof(a), act_signed, act);
	fmt_int(e, sizeof(e), exp_signed, exp);
	unit_fail(file, line, name, "expected %s%s, got %s", op, e, a);
	return false;
}

/* s as a C string literal, so control bytes in a failure stay visible. */
static void put_quoted(const char *s)
{
	if (!s) {
		fputs("NULL", stdout);
		return;
	}
	putchar('"');
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p == '"' || *p == '\\')
			printf("\\%c", *p);
		else if (*p == '\n')
			fputs("\\n", stdout);
		else if (*p == '\t')
			fputs("\\t", stdout);
		else if (*p < 0x20 || *p >= 0x7f)
			printf("\\x%02x", *p);
		else
			putchar(*p);
	}
	putchar('"');
}

bool unit_check_str(const char *file, int line, const char *name, bool want_eq, const char *act,
		    const char *exp)
{
	bool eq = (act && exp) ? strcmp(act, exp) == 0 : act == exp;

	if (eq == want_eq)
		return true;
	failed = true;
	printf("FAIL %s:%d %s: expected %s", file, line, name, want_eq ? "" : "not ");
	put_quoted(exp);
	fputs(", got ", stdout);
	put_quoted(act);
	putchar('\n');
	fflush(stdout);
	return false;
}

/* Runs t; returns true if it passed. */
static bool run_one(const struct unit_test *t, bool nofork)
{
	int status;
	pid_t pid;

	failed = false;
	if (nofork) {
		t->fn();
		return !failed;
	}
	fflush(stdout);
	fflush(stderr);
	pid = fork();
	if (pid < 0) {
		perror("unit: fork");
		return false;
	}
	if (pid == 0) {
		t->fn();
		fflush(stdout);
		_exit(failed ? 1 : 0);
	}
	if (waitpid(pid, &status, 0) < 0) {
		perror("unit: waitpid");
		return false;
	}
	if (WIFSIGNALED(status)) {
		printf("FAIL %s: killed by signal %d (%s)\n", t->name, WTERMSIG(status),
		       strsignal(WTERMSIG(status)));
		return false;
	}
	return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

int main(int argc, char **argv)
{
	const char *filter = argc > 1 ? argv[1] : NULL;
	const char *nf = getenv("UNIT_NOFORK");
	bool nofork = nf && *nf && strcmp(nf, "0") != 0;
	unsigned int passed = 0, nfailed = 0;

	if (argc > 2) {
		fprintf(stderr, "usage: %s [NAME-SUBSTRING]\n", argv[0]);
		return 2;
	}
	for (const struct unit_test *t = head; t; t = t->next) {
		if (filter && !strstr(t->name, filter))
			continue;
		if (run_one(t, nofork)) {
			passed++;
			printf("ok %s\n", t->name);
		} else {
			nfailed++;
			printf("FAIL %s\n", t->name);
		}
		fflush(stdout);
	}
	/* the summary stays the last line, even with stderr on stdout */
	if (passed + nfailed == 0) {
		fprintf(stderr, "unit: no test matches \"%s\"\n", filter ? filter : "");
		fflush(stderr);
	}
	printf("unit: %u passed, %u failed\n", passed, nfailed);
	return (nfailed || passed == 0) ? 1 : 0;
}
