// C functions of the cgo fixture. cgo builds them with its default
// flags (-g -O2); noinline keeps each a function of its own.
#include <stdio.h>
#include "cfix.h"

__attribute__((noinline)) int cadd(int a, int b) {
	int r = a + b;
	printf("cadd %d %d\n", a, b);
	fflush(stdout);
	return r;
}

__attribute__((noinline)) int cmul(int a, int b) {
	int s = cadd(a, b);
	return s * b + 1;
}

__attribute__((noinline)) double cscale(double x, long n) {
	return x * (double)n;
}

static const char *names[] = {"zero", "one", "two"};

__attribute__((noinline)) const char *cname(int i) {
	return names[i % 3];
}

__attribute__((noinline)) int cleaf(int x) {
	return x * 2;
}

// cclobber zeroes r14 (callee-saved, so gcc saves and restores it), the
// register Go code keeps its g in, before calling cleaf: a debugger must
// find cleaf's goroutine through the thread's TLS, not r14.
__attribute__((noinline)) int cclobber(int x) {
	__asm__ volatile("xorq %%r14, %%r14" ::: "r14");
	return cleaf(x) + 1;
}

// One line: at -O2 its rows are the entry's, then its RET's (not a
// statement); a breakpoint on it goes at the entry, as in gdb.
__attribute__((noinline)) int cone(int x) { return x - 1; }
