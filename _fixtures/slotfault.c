// slotfault: calls load(NULL) N times (argv[1], default 5); a SIGSEGV
// handler recovers from each fault with siglongjmp. Prints "recovered <n>"
// and exits 0.
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static sigjmp_buf env;
static volatile int recovered;

static void on_segv(int s) {
	(void)s;
	siglongjmp(env, 1);
}

__attribute__((noinline)) int load(volatile int *p) {
	return *p;
}

int main(int argc, char **argv) {
	int n = argc > 1 ? atoi(argv[1]) : 5;
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_segv;
	sa.sa_flags = SA_NODEFER;
	sigaction(SIGSEGV, &sa, NULL);
	for (int i = 0; i < n; i++) {
		if (sigsetjmp(env, 1) == 0)
			load(NULL);
		else
			recovered++;
	}
	printf("recovered %d\n", recovered);
	return 0;
}
