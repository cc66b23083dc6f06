#ifndef DIALOGD_CDIALOGSYSTEM_H
#define DIALOGD_CDIALOGSYSTEM_H

/// Linux calls that Glibc declares only under _GNU_SOURCE, which Swift's Glibc module lacks.
/// Each wrapper returns -1 and sets errno on failure, like the call it wraps.

/// renameat2(RENAME_NOREPLACE): move without ever overwriting the target (EEXIST instead).
int dialogd_rename_noreplace(int olddirfd, const char *oldpath, int newdirfd, const char *newpath);

/// syncfs(2): flush the filesystem holding `fd`, for a dropper who may not open new/ to fsync it.
int dialogd_syncfs(int fd);

/// mallopt(M_MMAP_THRESHOLD, bytes): a fixed threshold, so a freed large buffer goes back to the
/// kernel at once (glibc otherwise raises it after the first large free; malloc.h is not in Glibc).
int dialogd_fix_mmap_threshold(int bytes);

/// malloc_trim(0): give the free pages inside the heaps back to the kernel (1 when any went back).
int dialogd_trim_heap(void);

#endif
