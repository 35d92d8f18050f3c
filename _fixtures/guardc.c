/* guardc.c ITERS SLEEP_US: prints "ready <pid>", waits for a line on stdin,
 * then 2 threads call work(i) for i = 0..ITERS-1, sleeping SLEEP_US
 * microseconds between calls (none if 0); prints "sum <s>"
 * (s = 2 * ITERS * ITERS) and exits 0. For tests that SIGKILL the debugger
 * while the program runs with a breakpoint on work. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static long iters, sleep_us;
static long sum;
static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;

__attribute__((noinline)) long work(long i) {
	long r = i * 2;
	return r + 1;
}

static void *worker(void *arg) {
	long s = 0;
	(void)arg;
	for (long i = 0; i < iters; i++) {
		s += work(i);
		if (sleep_us > 0) usleep(sleep_us);
	}
	pthread_mutex_lock(&mu);
	sum += s;
	pthread_mutex_unlock(&mu);
	return NULL;
}

int main(int argc, char **argv) {
	char line[16];
	if (argc != 3) return 2;
	iters = atol(argv[1]);
	sleep_us = atol(argv[2]);
	printf("ready %d\n", (int)getpid());
	fflush(stdout);
	if (!fgets(line, sizeof line, stdin)) return 2;
	pthread_t ts[2];
	for (long i = 0; i < 2; i++) pthread_create(&ts[i], NULL, worker, NULL);
	for (int i = 0; i < 2; i++) pthread_join(ts[i], NULL);
	printf("sum %ld\n", sum);
	return 0;
}
