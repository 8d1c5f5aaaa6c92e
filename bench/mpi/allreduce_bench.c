/* Time of one MPI_Allreduce (sum, float) of a model's gradients, for docs/scaling.md:
 *   mpicc -O2 bench/mpi/allreduce_bench.c -o /tmp/allreduce_bench
 *   mpirun -np 2 /tmp/allreduce_bench 25010 431080 # parameter counts
 * prints, per count, the bytes and the median of 200 allreduces in microseconds (rank 0). */
#include <mpi.h>
#include <stdio.h>
#include <stdlib.h>

static int compare(const void* a, const void* b) {
  const double x = *(const double*)a, y = *(const double*)b;
  return (x > y) - (x < y);
}

int main(int argc, char** argv) {
  MPI_Init(&argc, &argv);
  int rank = 0, size = 1;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  MPI_Comm_size(MPI_COMM_WORLD, &size);
  enum { kRepeats = 200 };
  for (int a = 1; a < argc; ++a) {
    const int count = atoi(argv[a]);
    float* values = calloc((size_t)count, sizeof(float));
    double times[kRepeats];
    for (int i = 0; i < 10; ++i) MPI_Allreduce(MPI_IN_PLACE, values, count, MPI_FLOAT, MPI_SUM, MPI_COMM_WORLD);
    for (int i = 0; i < kRepeats; ++i) {
      MPI_Barrier(MPI_COMM_WORLD);
      const double start = MPI_Wtime();
      MPI_Allreduce(MPI_IN_PLACE, values, count, MPI_FLOAT, MPI_SUM, MPI_COMM_WORLD);
      times[i] = MPI_Wtime() - start;
    }
    qsort(times, kRepeats, sizeof(double), compare);
    if (rank == 0) {
      printf("ranks %d  values %d  bytes %ld  allreduce median %.1f us\n", size, count, 4L * count,
             1e6 * times[kRepeats / 2]);
    }
    free(values);
  }
  MPI_Finalize();
  return 0;
}
