#ifndef CFIX_H
#define CFIX_H
int cadd(int a, int b);
int cmul(int a, int b);
double cscale(double x, long n);
const char *cname(int i);
int cleaf(int x);
int cclobber(int x);
int cone(int x);
#endif
