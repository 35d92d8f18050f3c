// sig: C call chains and signal handlers for the pkg/proc/stack tests.
// Each argument names a scenario, run in order:
//
//   chain:N   main → c_a → c_b → rec(N) → … → rec(0) → stop_here
//   raise     main → outer → inner → raise(SIGUSR1); the handler calls stop_here
//   segv      main → outer_segv → crash, which writes through a null
//             pointer; the SIGSEGV handler calls stop_here, then siglongjmps back
//   altstack  like raise, with the handler on a sigaltstack
//   nilcall   main → outer_nil → call_nil, which calls a null function
//             pointer; the SIGSEGV handler is the same as for segv
//
// Before calling stop_here, a handler prints "uc rip=<hex> rsp=<hex>
// rbp=<hex>": the interrupted registers from its ucontext. Prints "ready
// <pid>" first and "done" last.
#define _GNU_SOURCE
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <ucontext.h>
#include <unistd.h>

static sigjmp_buf back;
static volatile int stops;
static volatile int *volatile nowhere;
static void (*volatile nothing)(void);

__attribute__((noinline)) void stop_here(void) {
	stops++; // L:stop-here
}

static void report(void *ctx) {
	ucontext_t *uc = ctx;
	printf("uc rip=%llx rsp=%llx rbp=%llx\n", (unsigned long long)uc->uc_mcontext.gregs[REG_RIP],
	       (unsigned long long)uc->uc_mcontext.gregs[REG_RSP], (unsigned long long)uc->uc_mcontext.gregs[REG_RBP]);
	fflush(stdout);
}

static void on_usr1(int sig, siginfo_t *info, void *ctx) {
	(void)sig, (void)info;
	report(ctx);
	stop_here(); // L:call-stop-usr1
}

static void on_segv(int sig, siginfo_t *info, void *ctx) {
	(void)sig, (void)info;
	report(ctx);
	stop_here(); // L:call-stop-segv
	siglongjmp(back, 1);
}

__attribute__((noinline)) void rec(int n) {
	if (n > 0) {
		rec(n - 1); // L:call-rec
		return;
	}
	stop_here(); // L:call-stop-rec
}

__attribute__((noinline)) void c_b(int n) {
	rec(n); // L:call-rec-b
}

__attribute__((noinline)) void c_a(int n) {
	c_b(n); // L:call-b
}

__attribute__((noinline)) void inner(void) {
	raise(SIGUSR1); // L:call-raise
}

__attribute__((noinline)) void outer(void) {
	inner(); // L:call-inner
}

__attribute__((noinline)) void crash(void) {
	*nowhere = 1; // L:fault
}

__attribute__((noinline)) void outer_segv(void) {
	if (sigsetjmp(back, 1) == 0)
		crash(); // L:call-crash
}

__attribute__((noinline)) void call_nil(void) {
	nothing(); // L:call-nil
}

__attribute__((noinline)) void outer_nil(void) {
	if (sigsetjmp(back, 1) == 0)
		call_nil(); // L:call-call-nil
}

static void handle(int sig, void (*fn)(int, siginfo_t *, void *), int flags) {
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_sigaction = fn;
	sa.sa_flags = SA_SIGINFO | flags;
	sigaction(sig, &sa, NULL);
}

int main(int argc, char **argv) {
	printf("ready %d\n", getpid());
	fflush(stdout);
	handle(SIGSEGV, on_segv, 0);
	for (int i = 1; i < argc; i++) {
		if (strncmp(argv[i], "chain:", 6) == 0) {
			c_a(atoi(argv[i] + 6)); // L:call-a
		} else if (strcmp(argv[i], "raise") == 0) {
			handle(SIGUSR1, on_usr1, 0);
			outer(); // L:call-outer
		} else if (strcmp(argv[i], "segv") == 0) {
			outer_segv(); // L:call-outer-segv
		} else if (strcmp(argv[i], "nilcall") == 0) {
			outer_nil(); // L:call-outer-nil
		} else if (strcmp(argv[i], "altstack") == 0) {
			stack_t ss = {.ss_sp = malloc(1 << 16), .ss_size = 1 << 16};
			sigaltstack(&ss, NULL);
			handle(SIGUSR1, on_usr1, SA_ONSTACK);
			outer(); // L:call-outer-alt
		}
	}
	printf("done\n");
	fflush(stdout);
	return 0;
}
