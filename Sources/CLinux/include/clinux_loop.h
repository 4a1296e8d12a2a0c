// What the closed-loop load generator's threads need from C (Sources/Traffic/ClosedLoopThread.swift):
// epoll(7), which Glibc's Swift module does not import, and naming the calling thread.
#ifndef STACKTOP_CLINUX_LOOP_H
#define STACKTOP_CLINUX_LOOP_H

#include <sys/epoll.h>

/// Names the calling thread (what perf, top -H and /proc/self/task/*/comm show; cut to 15
/// bytes). 0 or an errno value.
int stacktop_name_thread(const char *name);

#endif
