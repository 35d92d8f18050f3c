// stepo2: -O2 C code whose lines the compiler interleaves; step and next
// must stop once per line, as gdb does.
#include <stdio.h>
#include <stdlib.h>

volatile int sink;

__attribute__((noinline)) int work(int *a, int n) {
	int s = 0;                 // L:w1
	int p = 1;                 // L:w2
	for (int i = 0; i < n; i++) { // L:w3
		s += a[i] * 3;         // L:w4
		p *= a[i] | 1;         // L:w5
	}
	sink = p;                  // L:w6
	return s + p;              // L:w7
}

int main(int argc, char **argv) {
	int n = argc + 3;                       // L:m1
	int *a = malloc(sizeof(int) * n);       // L:m2
	for (int i = 0; i < n; i++)             // L:m3
		a[i] = i + argc;                    // L:m4
	int r = work(a, n);                     // L:m5
	printf("r=%d\n", r);                    // L:m6
	free(a);                                // L:m7
	return 0;                               // L:m8
}
