// exitcode: exits with argv[1] (default 3), or with "segv" dereferences NULL,
// or with "trap" executes an int3 and then exits 7, or with "abort" aborts.
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv) {
	const char *what = argc > 1 ? argv[1] : "3";
	if (strcmp(what, "segv") == 0) {
		volatile int *p = NULL;
		*p = 1;
	}
	if (strcmp(what, "trap") == 0) {
		__asm__ volatile("int3");
		printf("after trap\n");
		fflush(stdout);
		return 7;
	}
	if (strcmp(what, "abort") == 0) abort();
	if (strcmp(what, "sleep") == 0) { for (;;) sleep(1000); }
	return atoi(what);
}
