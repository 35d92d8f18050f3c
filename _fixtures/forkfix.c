// forkfix: processes that fork and execute.
//   forkfix chain           a parent forks a child, which forks a grandchild;
//                           each waits for its child, then calls level(depth),
//                           prints "level <depth> pid <pid>" and exits with
//                           status 10+depth (the parent with 0).
//   forkfix spawn TAG...    for each TAG, fork()s a child that executes
//                           "forkfix leaf TAG", waits for it and prints
//                           "child TAG status <s>"; then calls level(0).
//   forkfix vspawn TAG...   the same with vfork().
//   forkfix leaf TAG        prints "leaf TAG pid <pid>", calls leaf_work(),
//                           and exits with status 3.
//   forkfix storm N         forks N children one after another, each
//                           calling level(1) and exiting with status 11;
//                           prints "storm <k> of <N>" (k children exited 11).
//   forkfix padfork N [clean]  N times: calls level(100+i), forks a child
//                           that calls level(k) for k = 0..999 and exits
//                           11 (12 with clean if its memory holds an
//                           anonymous executable mapping: a debugger's);
//                           prints "padfork <k> of <N> sink <sum>".
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>

// foreign_code reports whether /proc/self/maps lists an anonymous
// executable mapping (what a debugger maps: scratch slots, jump pads).
static int foreign_code(void) {
	FILE *f = fopen("/proc/self/maps", "r");
	char line[512];
	int found = 0;
	if (!f) return 0;
	while (fgets(line, sizeof line, f)) {
		char perms[8] = "", path[256] = "";
		if (sscanf(line, "%*s %7s %*s %*s %*s %255s", perms, path) >= 1 && strchr(perms, 'x') && path[0] == 0)
			found = 1;
	}
	fclose(f);
	return found;
}

static volatile long sink;

__attribute__((noinline)) long level(long depth) {
	sink += depth; // LINE:level
	return sink;
}

__attribute__((noinline)) long leaf_work(long x) {
	sink += x; // LINE:leaf
	return sink;
}

static int spawn(char *self, char *tag, int use_vfork) {
	char *args[] = {self, "leaf", tag, NULL};
	pid_t c = use_vfork ? vfork() : fork();
	if (c == 0) {
		execv("/proc/self/exe", args);
		_exit(127);
	}
	int st;
	waitpid(c, &st, 0);
	printf("child %s status %d\n", tag, WEXITSTATUS(st));
	fflush(stdout);
	return 0;
}

int main(int argc, char **argv) {
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc > 1 && strcmp(argv[1], "chain") == 0) {
		long depth = 0;
		while (depth < 2) {
			pid_t c = fork();
			if (c != 0) {
				int st;
				waitpid(c, &st, 0);
				break;
			}
			depth++;
		}
		level(depth);
		printf("level %ld pid %d\n", depth, getpid());
		return depth == 0 ? 0 : 10 + (int)depth;
	}
	if (argc > 2 && strcmp(argv[1], "leaf") == 0) {
		printf("leaf %s pid %d\n", argv[2], getpid());
		leaf_work(7);
		return 3;
	}
	if (argc > 1 && (strcmp(argv[1], "spawn") == 0 || strcmp(argv[1], "vspawn") == 0)) {
		for (int i = 2; i < argc; i++) spawn(argv[0], argv[i], argv[1][0] == 'v');
		level(0);
		return 0;
	}
	if (argc > 2 && strcmp(argv[1], "storm") == 0) {
		int n = atoi(argv[2]), ok = 0;
		for (int i = 0; i < n; i++) {
			pid_t c = fork();
			if (c == 0) {
				level(1);
				_exit(11);
			}
			int st;
			if (waitpid(c, &st, 0) == c && WIFEXITED(st) && WEXITSTATUS(st) == 11) ok++;
		}
		printf("storm %d of %d\n", ok, n);
		return 0;
	}
	if (argc > 2 && strcmp(argv[1], "padfork") == 0) {
		int n = atoi(argv[2]), ok = 0, clean = argc > 3 && strcmp(argv[3], "clean") == 0;
		for (int i = 0; i < n; i++) {
			level(100 + i);
			pid_t c = fork();
			if (c == 0) {
				for (long k = 0; k < 1000; k++) level(k);
				_exit(clean && foreign_code() ? 12 : 11);
			}
			int st;
			if (waitpid(c, &st, 0) == c && WIFEXITED(st) && WEXITSTATUS(st) == 11) ok++;
		}
		printf("padfork %d of %d sink %ld\n", ok, n, sink);
		return 0;
	}
	fprintf(stderr, "usage: forkfix chain | spawn TAG... | vspawn TAG... | leaf TAG | storm N | padfork N [clean]\n");
	return 2;
}
