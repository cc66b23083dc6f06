#ifndef DIALOGD_CDIALOGSYSTEM_H
#define DIALOGD_CDIALOGSYSTEM_H

/// Linux calls that Glibc declares only under _GNU_SOURCE, which Swift's Glibc module lacks.
/// Each wrapper returns -1 and sets errno on failure, like the call it wraps.

/// renameat2(RENAME_NOREPLACE): move without ever overwriting the target (EEXIST instead).
int dialogd_rename_noreplace(int olddirfd, const char *oldpath, int newdirfd, const char *newpath);

/// syncfs(2): flush the filesystem holding `fd`, for a dropper who may not open new/ to fsync it.
int dialogd_syncfs(int fd);

#endif
