/* killc.c: prints "ready <pid>", waits for a line on stdin, then 4 threads
 * call hot() 100 times each; prints "sum <s>" (s = 160000) and exits 0.
 * For tests that kill the debugger while the program is stopped. */
#include <pthread.h>
#include <stdio.h>
#include <unistd.h>

static long sum;
static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;

__attribute__((noinline)) long hot(long i) {
	long r = i * 2;
	return r + 1;
}

static void *worker(void *arg) {
	long id = (long)arg;
	for (long i = 0; i < 100; i++) {
		long r = hot(id * 100 + i);
		pthread_mutex_lock(&mu);
		sum += r;
		pthread_mutex_unlock(&mu);
	}
	return NULL;
}

int main(void) {
	char line[16];
	printf("ready %d\n", (int)getpid());
	fflush(stdout);
	if (!fgets(line, sizeof line, stdin)) return 2;
	pthread_t ts[4];
	for (long i = 0; i < 4; i++) pthread_create(&ts[i], NULL, worker, (void *)i);
	for (int i = 0; i < 4; i++) pthread_join(ts[i], NULL);
	printf("sum %ld\n", sum);
	return 0;
}
