#ifndef CALLOCATIONCOUNT_H
#define CALLOCATIONCOUNT_H

#include <stdint.h>

/// Heap allocations (malloc, calloc, realloc, posix_memalign, aligned_alloc, memalign) this
/// process made so far, from any thread. Linked into dialogbench only: its malloc family
/// counts and forwards to glibc's.
uint64_t dialog_bench_allocations(void);

/// 1 when the malloc family above counts; 0 in a build with AddressSanitizer, whose runtime
/// owns malloc (then `dialog_bench_allocations` stays 0).
int dialog_bench_counts_allocations(void);

#endif
