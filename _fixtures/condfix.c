/* condfix.c: C twin of _fixtures/condfix. Calls hot in a loop with known
 * arguments; before each call prints
 *   call i=<int> s=<string> f=<float> b=<0|1> p=<nil|set> counter=<int>
 * argv[1] is the number of calls (default 20). Prints "ready <pid>" first. */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int counter;
long sink;
static const char *words[] = {"zero", "one", "two", "three", "four",
                              "five", "six", "seven", "eight", "nine"};

__attribute__((noinline)) int hot(int i, const char *s, double f, _Bool b, int *p) {
	int x = i * 2;
	if (p != NULL) {
		int y = *p + x;
		sink += y;
	}
	{
		unsigned char u8 = (unsigned char)i;
		short neg = (short)-i;
		sink += u8 + neg;
	}
	return x + (int)(s[0]);
}

int main(int argc, char **argv) {
	int n = argc > 1 ? atoi(argv[1]) : 20;
	int v = 42;
	printf("ready %d\n", (int)getpid());
	fflush(stdout);
	for (int i = 0; i < n; i++) {
		int *p = (i % 2 == 1) ? &v : NULL;
		counter = i / 2;
		const char *s = words[i % 10];
		double f = (double)i / 4;
		_Bool b = i % 3 == 0;
		printf("call i=%d s=%s f=%g b=%d p=%s counter=%d\n", i, s, f, b, p ? "set" : "nil", counter);
		fflush(stdout);
		hot(i, s, f, b, p);
	}
	printf("done %ld\n", sink);
	return 0;
}
