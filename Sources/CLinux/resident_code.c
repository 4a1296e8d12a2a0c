// Trimming what stacktop keeps resident: start-up code pages and malloc arenas.
#define _GNU_SOURCE
#include "clinux.h"
#include <errno.h>
#include <malloc.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

long stacktop_drop_executable_text(void) {
    char exe[4096];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n <= 0) return -1;
    exe[n] = 0;
    FILE *smaps = fopen("/proc/self/smaps", "re");
    if (smaps == NULL) return -1;
    char *line = NULL;
    size_t capacity = 0;
    uintptr_t start = 0, end = 0;
    int candidate = 0;
    long dropped = 0;
    while (getline(&line, &capacity, smaps) > 0) {
        unsigned long a, b;
        char perms[8];
        int path_at = 0;
        // A mapping's header: "start-end perms offset dev inode   path".
        if (sscanf(line, "%lx-%lx %7s %*s %*s %*s %n", &a, &b, perms, &path_at) == 3 && path_at > 0) {
            char *path = line + path_at;
            path[strcspn(path, "\n")] = 0;
            candidate = strcmp(perms, "r-xp") == 0 && strcmp(path, exe) == 0;
            start = a;
            end = b;
            continue;
        }
        // Its "Anonymous:" line: a code page with a private copy (text relocations) must stay.
        unsigned long anonymous_kb;
        if (candidate && sscanf(line, "Anonymous: %lu kB", &anonymous_kb) == 1) {
            if (anonymous_kb == 0 && madvise((void *)start, end - start, MADV_DONTNEED) == 0)
                dropped += (long)(end - start);
            candidate = 0;
        }
    }
    free(line);
    fclose(smaps);
    return dropped;
}

int stacktop_limit_malloc_arenas(int n) {
    return mallopt(M_ARENA_MAX, n) == 1 ? 0 : -1;
}
