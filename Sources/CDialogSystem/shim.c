#define _GNU_SOURCE
#include <stdio.h>
#include <fcntl.h>
#include <unistd.h>
#include <malloc.h>
#include "CDialogSystem.h"

int dialogd_rename_noreplace(int olddirfd, const char *oldpath, int newdirfd, const char *newpath) {
    return renameat2(olddirfd, oldpath, newdirfd, newpath, RENAME_NOREPLACE);
}

int dialogd_syncfs(int fd) {
    return syncfs(fd);
}

int dialogd_fix_mmap_threshold(int bytes) {
    return mallopt(M_MMAP_THRESHOLD, bytes);
}

int dialogd_trim_heap(void) {
    return malloc_trim(0);
}
