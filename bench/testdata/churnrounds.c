// churnrounds: R rounds (argv[1], default 1000) of creating 4 threads and
// joining them; each thread runs work(), whose loop makes gcc -O2 start the
// function without a prologue (the next line-table row is inside the
// loop). Prints "done R <sum>" and exits 0. Fixture for the conditional
// breakpoint under thread churn (go run ./bench condchurn).
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static volatile long sink;

void *work(void *arg) {
	long i = (long)arg;
	for (long k = 0; k < 1000; k++) sink += k * i;
	return NULL;
}

int main(int argc, char **argv) {
	long rounds = argc > 1 ? atol(argv[1]) : 1000;
	pthread_t ts[4];
	for (long r = 0; r < rounds; r++) {
		for (int i = 0; i < 4; i++) {
			int err = pthread_create(&ts[i], NULL, work, (void *)r);
			if (err != 0) {
				fprintf(stderr, "churnrounds: pthread_create: %s\n", strerror(err));
				return 1;
			}
		}
		for (int i = 0; i < 4; i++) pthread_join(ts[i], NULL);
	}
	printf("done %ld %ld\n", rounds, sink);
	return 0;
}
