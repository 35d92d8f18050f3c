/* cfix is the C fixture for pkg/symbols tests; lines are found by the
   LINE: markers. */
#include <stdio.h>

static int add(int a, int b) /* LINE:adddecl */
{
	int c = a + b; /* LINE:addbody */
	return c;
}

int twice(int x)
{
	return add(x, x); /* LINE:twicebody */
}

int main(int argc, char **argv) /* LINE:maindecl */
{
	int r = twice(argc); /* LINE:mainfirst */
	printf("%d\n", r);
	return 0;
}
