/* haltloop.c: a hot loop around an indirect call (an instruction a
 * breakpoint steps in place, with every thread stopped), for halt and
 * scratch-memory tests. argv[1]: extra threads running the same loop
 * (default 0). Prints "ready <pid>" first, then "tick <n>" about every
 * 2^20 calls of the main thread; never ends. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static volatile long sink;
static int counter; /* read rip-relative by spin */

__attribute__((noinline)) static void tick(long i) { sink += i + counter; }
static void (*volatile fp)(long) = tick;

/* spin holds the loop: the indirect call in it is the breakpoint site. */
__attribute__((noinline)) static void spin(int report) {
	for (long i = 0;; i++) {
		fp(i);
		if (report && (i & 0xfffff) == 0) {
			printf("tick %ld\n", i >> 20);
			fflush(stdout);
		}
	}
}

static void *worker(void *arg) {
	(void)arg;
	spin(0);
	return NULL;
}

int main(int argc, char **argv) {
	int n = argc > 1 ? atoi(argv[1]) : 0;
	for (int i = 0; i < n; i++) {
		pthread_t t;
		pthread_create(&t, NULL, worker, NULL);
	}
	printf("ready %d\n", (int)getpid());
	fflush(stdout);
	spin(1);
	return 0;
}
