// sysloop: the syscalls scenario's fixture. It makes GETPIDS raw getpid
// system calls (syscall(SYS_getpid), which libc cannot answer from a cache),
// then WRITES write(1, "x\n", 2) calls, and reports on stderr how long the
// getpid loop took ("sysloop getpid-loop-ns N") and that all of them went
// through: "sysloop getpid 100000 write 10000 ok".
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#define GETPIDS 100000
#define WRITES 10000

int main(void) {
	long pid = getpid(), bad = 0;
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (int i = 0; i < GETPIDS; i++) {
		if (syscall(SYS_getpid) != pid)
			bad++;
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	if (bad) {
		fprintf(stderr, "sysloop: %ld getpid calls returned another pid\n", bad);
		return 1;
	}
	for (int i = 0; i < WRITES; i++) {
		if (write(1, "x\n", 2) != 2) {
			fprintf(stderr, "sysloop: write %d failed\n", i);
			return 1;
		}
	}
	char msg[128];
	long ns = (t1.tv_sec - t0.tv_sec) * 1000000000L + (t1.tv_nsec - t0.tv_nsec);
	int n = snprintf(msg, sizeof msg, "sysloop getpid-loop-ns %ld\nsysloop getpid %d write %d ok\n", ns, GETPIDS, WRITES);
	if (write(2, msg, n) != n)
		return 1;
	return 0;
}
