// signals: counts SIGUSR1 and SIGRTMIN+6 (queued, never merged) in a handler; on SIGUSR2 prints "count <n>" and exits 0.
// Prints "ready <pid>" when the handlers are installed. Two busy threads keep
// all-stop honest.
#define _GNU_SOURCE
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static volatile sig_atomic_t count, done;

static void on_usr1(int s) { (void)s; count++; }
static void on_usr2(int s) { (void)s; done = 1; }

static void *spin(void *arg) {
	(void)arg;
	volatile unsigned long x = 0;
	for (;;) x++;
	return NULL;
}

int main(void) {
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_usr1;
	sigaction(SIGUSR1, &sa, NULL);
	sigaction(SIGRTMIN + 6, &sa, NULL);
	sa.sa_handler = on_usr2;
	sigaction(SIGUSR2, &sa, NULL);
	// The busy threads are born with the signals blocked (a new thread
	// inherits its creator's mask), so that only main takes them: blocked
	// in spin() itself, a signal sent before a new thread got that far
	// ran its handler there, and a SIGUSR2 then never woke main's pause.
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigaddset(&set, SIGUSR2);
	sigaddset(&set, SIGRTMIN + 6);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	pthread_t t1, t2;
	pthread_create(&t1, NULL, spin, NULL);
	pthread_create(&t2, NULL, spin, NULL);
	pthread_sigmask(SIG_UNBLOCK, &set, NULL);
	printf("ready %d\n", getpid());
	fflush(stdout);
	while (!done) pause();
	printf("count %d\n", (int)count);
	fflush(stdout);
	return 0;
}
