// baretrace: the ptrace floor for running a program under a tracer. Forks,
// the child does PTRACE_TRACEME and execs argv[1..]; the tracer sets
// PTRACE_O_TRACECLONE|PTRACE_O_EXITKILL and then loops on waitpid(-1, __WALL),
// resuming every stop with PTRACE_CONT: signal 0 for SIGTRAP (exec, clone
// events) and SIGSTOP (new threads' initial stop), else the stop's signal.
// It exits with the child's exit status once the child has exited.
// Usage: baretrace prog [args...]
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/ptrace.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv) {
	if (argc < 2) {
		fprintf(stderr, "usage: baretrace prog [args...]\n");
		return 2;
	}
	pid_t child = fork();
	if (child < 0) {
		perror("fork");
		return 1;
	}
	if (child == 0) {
		if (ptrace(PTRACE_TRACEME, 0, 0, 0) != 0) {
			perror("PTRACE_TRACEME");
			_exit(127);
		}
		execvp(argv[1], argv + 1);
		perror("execvp");
		_exit(127);
	}
	int status;
	// The first stop is the SIGTRAP after execve.
	if (waitpid(child, &status, __WALL) != child || !WIFSTOPPED(status)) {
		fprintf(stderr, "baretrace: child did not stop after exec\n");
		return 1;
	}
	if (ptrace(PTRACE_SETOPTIONS, child, 0, PTRACE_O_TRACECLONE | PTRACE_O_EXITKILL) != 0) {
		perror("PTRACE_SETOPTIONS");
		return 1;
	}
	ptrace(PTRACE_CONT, child, 0, 0);
	for (;;) {
		pid_t tid = waitpid(-1, &status, __WALL);
		if (tid < 0) {
			if (errno == EINTR)
				continue;
			perror("waitpid");
			return 1;
		}
		if (WIFEXITED(status) || WIFSIGNALED(status)) {
			if (tid != child)
				continue; // a thread ended
			if (WIFSIGNALED(status)) {
				fprintf(stderr, "baretrace: child killed by signal %d\n", WTERMSIG(status));
				return 128 + WTERMSIG(status);
			}
			return WEXITSTATUS(status);
		}
		if (!WIFSTOPPED(status))
			continue;
		int sig = WSTOPSIG(status);
		if (sig == SIGTRAP || sig == SIGSTOP)
			sig = 0;
		ptrace(PTRACE_CONT, tid, 0, sig);
	}
}
