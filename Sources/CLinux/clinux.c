// Linux process primitives for stacktop. The child side of stacktop_spawn runs between fork
// and exec of a multithreaded program, so it calls only async-signal-safe functions and
// raw syscalls: no malloc, no locks, no stdio.
#define _GNU_SOURCE
#include "clinux.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef CLOSE_RANGE_CLOEXEC
#define CLOSE_RANGE_CLOEXEC (1U << 2)
#endif

/// Lowest fd used for temporary copies in the child, above the three standard ones.
enum { HIGH_FD = 10 };

/// Sends (stage, errno) to the parent over the CLOEXEC pipe and exits.
static void child_fail(int report_fd, int stage, int err) {
    int32_t msg[2] = { stage, err };
    ssize_t ignored = write(report_fd, msg, sizeof msg);
    (void)ignored;
    _exit(127);
}

/// A CLOEXEC copy of `fd` at or above HIGH_FD, or of /dev/null when `fd` is -1.
static int child_high_copy(int fd) {
    if (fd < 0) {
        int null_fd = open("/dev/null", O_RDWR | O_CLOEXEC);
        if (null_fd < 0) return -1;
        int high = fcntl(null_fd, F_DUPFD_CLOEXEC, HIGH_FD);
        close(null_fd);
        return high;
    }
    return fcntl(fd, F_DUPFD_CLOEXEC, HIGH_FD);
}

/// Marks every fd from `first` up CLOEXEC (close_range), falling back to closing them one by one
/// except `keep`.
static int child_close_from(int first, int keep) {
    if (syscall(SYS_close_range, (unsigned)first, ~0U, CLOSE_RANGE_CLOEXEC) == 0) return 0;
    struct rlimit rl;
    long max_fd = 65536;
    if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY && (long)rl.rlim_cur < max_fd) {
        max_fd = (long)rl.rlim_cur;
    }
    for (long fd = first; fd < max_fd; fd++) {
        if (fd != keep) close((int)fd);
    }
    return 0;
}

/// Everything the child does between fork and exec; never returns.
static void child_run(const char *path, char *const argv[], char *const envp[],
                      const stacktop_spawn_options *o, int report_fd) {
    // Keep the report pipe away from 0..2 so the dup2s below cannot clobber it.
    int report = fcntl(report_fd, F_DUPFD_CLOEXEC, HIGH_FD);
    if (report < 0) _exit(127);

    if (o->new_session && setsid() < 0) child_fail(report, STACKTOP_STAGE_SETSID, errno);

    if (o->parent_death_signal > 0) {
        if (prctl(PR_SET_PDEATHSIG, (unsigned long)o->parent_death_signal, 0, 0, 0) < 0) {
            child_fail(report, STACKTOP_STAGE_PDEATHSIG, errno);
        }
        // The parent may have died between fork and prctl: then no signal will ever come.
        if (getppid() != o->expected_parent) child_fail(report, STACKTOP_STAGE_PARENT_GONE, 0);
    }

    // Default dispositions for every signal (ignored ones would survive exec), then an empty
    // mask. The raw syscall also reaches the realtime signals glibc reserves (32, 33); an
    // all-zero kernel sigaction is SIG_DFL with no flags and an empty mask on every arch.
    unsigned long kernel_dfl[4] = { 0, 0, 0, 0 };
    for (int sig = 1; sig < NSIG; sig++) {
        if (sig == SIGKILL || sig == SIGSTOP) continue;
        (void)syscall(SYS_rt_sigaction, sig, kernel_dfl, NULL, (size_t)(NSIG / 8));
    }
    sigset_t empty;
    sigemptyset(&empty);
    if (sigprocmask(SIG_SETMASK, &empty, NULL) < 0) child_fail(report, STACKTOP_STAGE_SIGNALS, errno);

    int in = child_high_copy(o->stdin_fd);
    int out = child_high_copy(o->stdout_fd);
    int err = child_high_copy(o->stderr_fd);
    if (in < 0 || out < 0 || err < 0) child_fail(report, STACKTOP_STAGE_STDIO, errno);
    if (dup2(in, 0) < 0 || dup2(out, 1) < 0 || dup2(err, 2) < 0) {
        child_fail(report, STACKTOP_STAGE_STDIO, errno);
    }

    if (o->working_directory && chdir(o->working_directory) < 0) {
        child_fail(report, STACKTOP_STAGE_CHDIR, errno);
    }

    if (child_close_from(3, report) < 0) child_fail(report, STACKTOP_STAGE_CLOSE_FDS, errno);

    execve(path, argv, envp);
    child_fail(report, STACKTOP_STAGE_EXEC, errno);
}

pid_t stacktop_spawn(const char *path, char *const argv[], char *const envp[],
                     const stacktop_spawn_options *options,
                     int *failed_stage, int *failed_errno) {
    *failed_stage = STACKTOP_STAGE_NONE;
    *failed_errno = 0;
    int pipe_fds[2];
    if (pipe2(pipe_fds, O_CLOEXEC) < 0) {
        *failed_errno = errno;
        return -1;
    }
    // Block every signal around fork so the child cannot run one of our handlers before it
    // resets them; the parent's mask is restored right after.
    sigset_t all, old;
    sigfillset(&all);
    pthread_sigmask(SIG_SETMASK, &all, &old);
    pid_t pid = fork();
    if (pid == 0) {
        close(pipe_fds[0]);
        child_run(path, argv, envp, options, pipe_fds[1]);
    }
    int fork_errno = errno;
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    close(pipe_fds[1]);
    if (pid < 0) {
        close(pipe_fds[0]);
        *failed_errno = fork_errno;
        return -1;
    }
    // EOF means exec succeeded (the CLOEXEC pipe closed); 8 bytes mean a setup step failed.
    int32_t msg[2] = { 0, 0 };
    ssize_t got;
    size_t have = 0;
    while (have < sizeof msg) {
        got = read(pipe_fds[0], (char *)msg + have, sizeof msg - have);
        if (got < 0 && errno == EINTR) continue;
        if (got <= 0) break;
        have += (size_t)got;
    }
    close(pipe_fds[0]);
    if (have == 0) return pid;
    int status;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {}
    *failed_stage = have == sizeof msg ? msg[0] : STACKTOP_STAGE_EXEC;
    *failed_errno = have == sizeof msg ? msg[1] : EIO;
    return -1;
}

int stacktop_pidfd_open(pid_t pid) {
    return (int)syscall(SYS_pidfd_open, pid, 0);
}

int stacktop_pidfd_send_signal(int pidfd, int sig) {
    return (int)syscall(SYS_pidfd_send_signal, pidfd, sig, NULL, 0);
}

int stacktop_set_parent_death_signal(int sig) {
    return prctl(PR_SET_PDEATHSIG, (unsigned long)sig, 0, 0, 0);
}

int stacktop_set_child_subreaper(int on) {
    return prctl(PR_SET_CHILD_SUBREAPER, (unsigned long)(on ? 1 : 0), 0, 0, 0);
}

int stacktop_set_signal_ignored(int sig, int ignored) {
    struct sigaction sa;
    sa.sa_handler = ignored ? SIG_IGN : SIG_DFL;
    sa.sa_flags = 0;
    sigemptyset(&sa.sa_mask);
    return sigaction(sig, &sa, NULL);
}

int stacktop_block_signal(int sig, int blocked) {
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, sig);
    return pthread_sigmask(blocked ? SIG_BLOCK : SIG_UNBLOCK, &set, NULL) == 0 ? 0 : -1;
}

int stacktop_pipe_cloexec(int fds[2]) {
    return pipe2(fds, O_CLOEXEC);
}

/// `struct pidfd_info` of <linux/pidfd.h> as of Linux 6.15 (PIDFD_INFO_SIZE_VER0, 64 bytes),
/// spelled out because Debian 12's headers predate it.
struct stacktop_pidfd_info {
    uint64_t mask;
    uint64_t cgroupid;
    uint32_t pid, tgid, ppid, ruid, rgid, euid, egid, suid, sgid, fsuid, fsgid;
    int32_t exit_code;
};
_Static_assert(sizeof(struct stacktop_pidfd_info) == 64, "PIDFD_INFO_SIZE_VER0");
#define STACKTOP_PIDFD_GET_INFO _IOWR(0xFF, 11, struct stacktop_pidfd_info)
#define STACKTOP_PIDFD_INFO_EXIT (1ULL << 3)

int stacktop_pidfd_exit_status(int pidfd, int *wait_status) {
    struct stacktop_pidfd_info info;
    memset(&info, 0, sizeof info);
    info.mask = STACKTOP_PIDFD_INFO_EXIT;
    if (ioctl(pidfd, STACKTOP_PIDFD_GET_INFO, &info) < 0) return -1;
    if (!(info.mask & STACKTOP_PIDFD_INFO_EXIT)) {
        errno = ENODATA;
        return -1;
    }
    *wait_status = info.exit_code;
    return 0;
}
