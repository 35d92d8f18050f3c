// sleepers: starts N threads (argv[1], default 4) that sleep forever, prints
// "ready <pid>" and its thread ids, then sleeps. Used to check attach/stop.
#define _GNU_SOURCE
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <sys/syscall.h>

static pthread_barrier_t barrier;

static void *sleeper(void *arg) {
	(void)arg;
	pthread_barrier_wait(&barrier);
	for (;;) sleep(1000);
	return NULL;
}

int main(int argc, char **argv) {
	int n = argc > 1 ? atoi(argv[1]) : 4;
	pthread_barrier_init(&barrier, NULL, n + 1);
	for (int i = 0; i < n; i++) {
		pthread_t t;
		pthread_attr_t a;
		pthread_attr_init(&a);
		pthread_attr_setstacksize(&a, 64 * 1024);
		if (pthread_create(&t, &a, sleeper, NULL) != 0) { perror("pthread_create"); return 1; }
	}
	pthread_barrier_wait(&barrier);
	printf("ready %d\n", getpid());
	fflush(stdout);
	for (;;) sleep(1000);
}
