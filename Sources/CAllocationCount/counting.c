// dialogbench only (issue 17): the `prepare` scenario reports heap allocations per record.
// Defining the malloc family in the executable interposes it for every library the process
// loads (Swift runtime, Foundation); each call is counted, then handed to glibc's own.
#include "CAllocationCount.h"
#include <stddef.h>

// Under AddressSanitizer the runtime owns the malloc family; a second definition here makes
// the process die at start ("tsd_key_inited"), so a sanitized dialogbench counts nothing.
#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define DIALOG_BENCH_NO_COUNT 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__)
#define DIALOG_BENCH_NO_COUNT 1
#endif

#ifdef DIALOG_BENCH_NO_COUNT
int dialog_bench_counts_allocations(void) { return 0; }
uint64_t dialog_bench_allocations(void) { return 0; }
#else
int dialog_bench_counts_allocations(void) { return 1; }

extern void *__libc_malloc(size_t);
extern void *__libc_calloc(size_t, size_t);
extern void *__libc_realloc(void *, size_t);
extern void *__libc_memalign(size_t, size_t);

static uint64_t allocations;

static inline void count(void) { __atomic_fetch_add(&allocations, 1, __ATOMIC_RELAXED); }

uint64_t dialog_bench_allocations(void) { return __atomic_load_n(&allocations, __ATOMIC_RELAXED); }

void *malloc(size_t size) { count(); return __libc_malloc(size); }

void *calloc(size_t n, size_t size) { count(); return __libc_calloc(n, size); }

void *realloc(void *p, size_t size) { count(); return __libc_realloc(p, size); }

void *memalign(size_t alignment, size_t size) { count(); return __libc_memalign(alignment, size); }

void *aligned_alloc(size_t alignment, size_t size) { count(); return __libc_memalign(alignment, size); }

int posix_memalign(void **out, size_t alignment, size_t size) {
    // glibc's rules: a power of two, a multiple of sizeof(void *).
    if (alignment % sizeof(void *) != 0 || (alignment & (alignment - 1)) != 0 || alignment == 0) return 22; // EINVAL
    count();
    void *p = __libc_memalign(alignment, size);
    if (p == NULL) return 12; // ENOMEM
    *out = p;
    return 0;
}
#endif
