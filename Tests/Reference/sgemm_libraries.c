// Single-threaded GFLOP/s of OpenBLAS's cblas_sgemm and oneDNN's dnnl_sgemm on a flow's product
// shapes (docs/benchmark.md, session 11). Not part of the build or the tests:
//   gcc -O2 Tests/Reference/sgemm_libraries.c -o /tmp/sgemm_libraries \
//       -I/usr/include/x86_64-linux-gnu/openblas-pthread -lopenblas -ldnnl -fopenmp
//   OPENBLAS_CORETYPE=Haswell OMP_WAIT_POLICY=PASSIVE /tmp/sgemm_libraries   (or SkylakeX, …)
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <cblas.h>
#include <dnnl.h>
#include <omp.h>
static double now(){struct timespec t;clock_gettime(CLOCK_MONOTONIC,&t);return t.tv_sec+t.tv_nsec*1e-9;}
int main(){
  openblas_set_num_threads(1); omp_set_num_threads(1);
  int shapes[][5]={ // m n k transA transB
   {128,256,160,0,1},{128,256,256,0,1},{128,32,256,0,1},
   {128,160,256,0,0},{128,256,256,0,0},{128,256,32,0,0},
   {256,160,128,1,0},{256,256,128,1,0},{32,256,128,1,0},
   {128,256,1024,0,1},{256,1024,128,1,0},{512,512,512,0,0}};
  float*A=malloc(4<<22),*B=malloc(4<<22),*C=malloc(4<<22);
  for(int i=0;i<1<<20;i++){A[i]=rand()/(float)RAND_MAX;B[i]=rand()/(float)RAND_MAX;}
  for(int s=0;s<12;s++){int m=shapes[s][0],n=shapes[s][1],k=shapes[s][2],ta=shapes[s][3],tb=shapes[s][4];
    int lda=ta?m:k, ldb=tb?k:n; double fl=2.0*m*n*k;
    double best[2]={1e9,1e9};
    for(int rep=0;rep<5;rep++){
      int it=(int)(2e9/fl)+1;
      double t0=now(); for(int i=0;i<it;i++) cblas_sgemm(CblasRowMajor,ta?CblasTrans:CblasNoTrans,tb?CblasTrans:CblasNoTrans,m,n,k,1,A,lda,B,ldb,0,C,n);
      double t1=now(); for(int i=0;i<it;i++) dnnl_sgemm(ta?'T':'N',tb?'T':'N',m,n,k,1,A,lda,B,ldb,0,C,n);
      double t2=now(); if((t1-t0)/it<best[0])best[0]=(t1-t0)/it; if((t2-t1)/it<best[1])best[1]=(t2-t1)/it;}
    printf("%4d %4d %4d %c%c  openblas %6.1f  dnnl %6.1f GFLOP/s\n",m,n,k,ta?'T':'N',tb?'T':'N',fl/best[0]*1e-9,fl/best[1]*1e-9);}
}
