// sigslot: a second thread raises SIGUSR1 at itself over and over (a
// handler counts them) while the main thread calls hot() N times (argv[1],
// default 3000) and mark() every 100 calls. Then it prints
// "sum <s> raised <r> handled <h>" and exits 0 (raised == handled: a
// signal raised at oneself is handled before raise returns).
#define _GNU_SOURCE
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int handled; // atomic: the handler may run on two threads at once
static volatile int stop;
static volatile long raised;

static void on_usr1(int s) {
	(void)s;
	__atomic_add_fetch(&handled, 1, __ATOMIC_SEQ_CST);
}

__attribute__((noinline)) long hot(long i) {
	long r = i * 2;
	return r + 1;
}

__attribute__((noinline)) void mark(long i) { (void)i; }

static void *pinger(void *arg) {
	(void)arg;
	while (!stop) {
		raise(SIGUSR1);
		raised++;
		for (volatile int k = 0; k < 200; k++) {
		}
	}
	return NULL;
}

int main(int argc, char **argv) {
	long n = argc > 1 ? atol(argv[1]) : 3000, sum = 0;
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_usr1;
	sigaction(SIGUSR1, &sa, NULL);
	pthread_t t;
	pthread_create(&t, NULL, pinger, NULL);
	for (long i = 0; i < n; i++) {
		sum += hot(i);
		if (i % 100 == 0) mark(i);
	}
	stop = 1;
	pthread_join(t, NULL);
	printf("sum %ld raised %ld handled %d\n", sum, raised, __atomic_load_n(&handled, __ATOMIC_SEQ_CST));
	return 0;
}
