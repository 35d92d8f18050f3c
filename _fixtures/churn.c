// churn: creates and joins threads nonstop, W at a time (argv[1], default 4),
// forever (argv[2] = 0) or for argv[2] rounds; prints "ready <pid>" first and
// "done <rounds>" at the end.
#define _GNU_SOURCE
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static volatile long sink;

static void *work(void *arg) {
	long n = (long)arg;
	for (long i = 0; i < 1000; i++) sink += i * n;
	return NULL;
}

int main(int argc, char **argv) {
	int w = argc > 1 ? atoi(argv[1]) : 4;
	long rounds = argc > 2 ? atol(argv[2]) : 0;
	printf("ready %d\n", getpid());
	fflush(stdout);
	pthread_t *ts = calloc(w, sizeof *ts);
	for (long r = 0; rounds == 0 || r < rounds; r++) {
		for (int i = 0; i < w; i++)
			if (pthread_create(&ts[i], NULL, work, (void *)r) != 0) { perror("pthread_create"); return 1; }
		for (int i = 0; i < w; i++) pthread_join(ts[i], NULL);
	}
	printf("done %ld\n", rounds);
	return 0;
}
