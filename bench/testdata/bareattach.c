// bareattach: the ptrace floor for attach+detach. PTRACE_ATTACH every
// thread listed in /proc/<pid>/task (rescanning until no new one shows up),
// waitpid(__WALL) for each stop, then PTRACE_DETACH them all.
// Usage: bareattach <pid>. Prints "attached N threads"; exits 0 on success.
#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/types.h>
#include <sys/wait.h>

#define MAXT 65536

static pid_t tids[MAXT];
static int sigs[MAXT]; // signal to re-inject on detach
static int ntids;

static int known(pid_t tid) {
	for (int i = 0; i < ntids; i++)
		if (tids[i] == tid)
			return 1;
	return 0;
}

// attach_new attaches every thread of pid not yet attached; returns how many.
static int attach_new(pid_t pid) {
	char path[64];
	snprintf(path, sizeof path, "/proc/%d/task", pid);
	DIR *d = opendir(path);
	if (!d) {
		perror(path);
		exit(1);
	}
	int added = 0;
	struct dirent *e;
	while ((e = readdir(d)) != NULL) {
		pid_t tid = atoi(e->d_name);
		if (tid <= 0 || known(tid))
			continue;
		if (ntids == MAXT) {
			fprintf(stderr, "bareattach: too many threads\n");
			exit(1);
		}
		if (ptrace(PTRACE_ATTACH, tid, 0, 0) != 0) {
			if (errno == ESRCH)
				continue; // thread exited meanwhile
			perror("PTRACE_ATTACH");
			exit(1);
		}
		int st, sig = 0;
		for (;;) {
			if (waitpid(tid, &st, __WALL) < 0) {
				perror("waitpid");
				exit(1);
			}
			if (!WIFSTOPPED(st)) {
				fprintf(stderr, "bareattach: thread %d did not stop\n", tid);
				exit(1);
			}
			if (WSTOPSIG(st) == SIGSTOP)
				break;
			// Another signal arrived first: keep it for detach, wait for our stop.
			sig = WSTOPSIG(st);
			ptrace(PTRACE_CONT, tid, 0, 0);
		}
		sigs[ntids] = sig;
		tids[ntids++] = tid;
		added++;
	}
	closedir(d);
	return added;
}

int main(int argc, char **argv) {
	if (argc != 2) {
		fprintf(stderr, "usage: bareattach <pid>\n");
		return 2;
	}
	pid_t pid = atoi(argv[1]);
	while (attach_new(pid) > 0)
		;
	for (int i = 0; i < ntids; i++)
		if (ptrace(PTRACE_DETACH, tids[i], 0, (void *)(long)sigs[i]) != 0) {
			perror("PTRACE_DETACH");
			return 1;
		}
	printf("attached %d threads\n", ntids);
	return 0;
}
