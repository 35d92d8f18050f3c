// bpfix: T threads (argv[1], default 10) each call hot() N times (argv[2],
// default 100); prints "sum <s>" and exits 0. With argv[3] = "loop" it
// prints "ready <pid>" and loops forever, calling hot() and printing
// "alive <n>" every 1000 calls. With argv[3] = "fork" a forked child calls
// hot() N times and exits; the parent prints "child status <s>" (the wait
// status) and then calls hot() once itself. With argv[3] = "reexec" it
// executes itself anew as "bpfix 1 3" before calling anything.
#define _GNU_SOURCE
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>

static long n = 100;
static volatile long sum;
static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;

__attribute__((noinline)) long hot(long i) {
	long r = i * 2; // LINE:hot
	return r + 1;
}

static void *worker(void *arg) {
	long id = (long)arg;
	for (long i = 0; i < n; i++) {
		long r = hot(i + id);
		pthread_mutex_lock(&mu);
		sum += r;
		pthread_mutex_unlock(&mu);
	}
	return NULL;
}

int main(int argc, char **argv) {
	int t = argc > 1 ? atoi(argv[1]) : 10;
	if (argc > 2) n = atol(argv[2]);
	if (argc > 3 && strcmp(argv[3], "loop") == 0) {
		printf("ready %d\n", getpid());
		fflush(stdout);
		for (long k = 1;; k++) {
			sum += hot(k);
			if (k % 1000 == 0) { printf("alive %ld\n", k); fflush(stdout); usleep(1000); }
		}
	}
	if (argc > 3 && strcmp(argv[3], "reexec") == 0) {
		// A new image of the same program: 1 thread, 3 calls of hot().
		char *args[] = {argv[0], "1", "3", NULL};
		execv("/proc/self/exe", args);
		perror("execv");
		return 1;
	}
	if (argc > 3 && strcmp(argv[3], "fork") == 0) {
		pid_t c = fork();
		if (c == 0) {
			for (long i = 0; i < n; i++) sum += hot(i);
			_exit(0);
		}
		int st;
		waitpid(c, &st, 0);
		printf("child status %d\n", st);
		fflush(stdout);
		return (int)hot(1) == 3 ? 0 : 1;
	}
	pthread_t *ts = calloc(t, sizeof *ts);
	for (long i = 0; i < t; i++) pthread_create(&ts[i], NULL, worker, (void *)i);
	for (int i = 0; i < t; i++) pthread_join(ts[i], NULL);
	printf("sum %ld\n", sum);
	return 0;
}
