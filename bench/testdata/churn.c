// churn: create and join N threads (argv[1], default 5000) one after
// another; each does a little arithmetic. Prints "done N <sum>" and exits 0.
// Fixture for the thread-churn benchmark (go run ./bench threads).
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void *work(void *arg) {
	uintptr_t x = (uintptr_t)arg, s = 0;
	for (uintptr_t i = 0; i < 100; i++)
		s += (x ^ i) * 2654435761u;
	return (void *)s;
}

int main(int argc, char **argv) {
	int n = argc > 1 ? atoi(argv[1]) : 5000;
	uintptr_t sum = 0;
	for (int i = 0; i < n; i++) {
		pthread_t t;
		void *ret;
		int err = pthread_create(&t, NULL, work, (void *)(uintptr_t)i);
		if (err != 0) {
			fprintf(stderr, "churn: pthread_create #%d: %s\n", i, strerror(err));
			return 1;
		}
		pthread_join(t, &ret);
		sum += (uintptr_t)ret;
	}
	printf("done %d %lu\n", n, (unsigned long)sum);
	return 0;
}
