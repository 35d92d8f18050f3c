// sleepers: start N threads (argv[1], default 1000) that sleep in a loop,
// print "ready\n" once every thread is running, then sleep forever.
// Fixture for the attach+detach benchmark (go run ./bench attach).
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static atomic_int started;

static void *sleeper(void *arg) {
	(void)arg;
	atomic_fetch_add(&started, 1);
	for (;;)
		sleep(1000);
	return NULL;
}

int main(int argc, char **argv) {
	int n = argc > 1 ? atoi(argv[1]) : 1000;
	pthread_attr_t attr;
	pthread_attr_init(&attr);
	pthread_attr_setstacksize(&attr, 64 * 1024);
	for (int i = 0; i < n; i++) {
		pthread_t t;
		int err = pthread_create(&t, &attr, sleeper, NULL);
		if (err != 0) {
			fprintf(stderr, "sleepers: pthread_create #%d: %s\n", i, strerror(err));
			return 1;
		}
	}
	while (atomic_load(&started) < n)
		usleep(1000);
	printf("ready\n");
	fflush(stdout);
	for (;;)
		pause();
}
