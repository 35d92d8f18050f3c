/* haltloop.c: a hot loop around an indirect call (an instruction a
 * breakpoint steps in place, with every thread stopped) and a rip-relative
 * load (run out of line from scratch memory), for halt, scratch-memory and
 * attach-cycle tests. argv[1]: extra threads running the same loop
 * (default 0). Prints "ready <pid>" first, then "tick <calls>" every
 * 10 ms from a thread of its own; never ends. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

static volatile long sink;
static long calls; /* atomic: several threads count */

__attribute__((noinline)) static void tick(long i) { sink += i; }
static void (*volatile fp)(long) = tick;

/* spin holds the loop: its indirect call and its first rip-relative load
 * are the breakpoint sites. */
__attribute__((noinline)) static void spin(void) {
	for (long i = 0;; i++) {
		fp(i);
		__atomic_fetch_add(&calls, 1, __ATOMIC_RELAXED);
	}
}

static void *worker(void *arg) {
	(void)arg;
	spin();
	return NULL;
}

static void *reporter(void *arg) {
	(void)arg;
	struct timespec ts = {0, 10 * 1000 * 1000};
	for (;;) {
		nanosleep(&ts, NULL);
		printf("tick %ld\n", calls);
		fflush(stdout);
	}
	return NULL;
}

int main(int argc, char **argv) {
	int n = argc > 1 ? atoi(argv[1]) : 0;
	pthread_t t;
	for (int i = 0; i < n; i++) pthread_create(&t, NULL, worker, NULL);
	printf("ready %d\n", (int)getpid());
	fflush(stdout);
	pthread_create(&t, NULL, reporter, NULL);
	spin();
	return 0;
}
