// Linux process primitives stacktop needs and Glibc does not import into Swift:
// a fork/exec that does only async-signal-safe work in the child, pidfds, prctl.
#ifndef STACKTOP_CLINUX_H
#define STACKTOP_CLINUX_H

#include <sys/types.h>

// The closed loop's epoll and thread-name helpers. Included here too so that a build whose module
// cache predates clinux_loop.h sees this header change and rebuilds the CLinux module.
#include "clinux_loop.h"

/// What the child of `stacktop_spawn` does before exec.
typedef struct stacktop_spawn_options {
    /// Start a new session (setsid): the child leads its own session and process group.
    int new_session;
    /// Signal the kernel sends the child when the spawning thread exits (0 = none).
    int parent_death_signal;
    /// The pid the child expects as its parent when `parent_death_signal` is set; if the parent
    /// already changed by the time prctl ran, the child exits at once (the race check).
    pid_t expected_parent;
    /// fd that becomes the child's stdin (-1 = /dev/null).
    int stdin_fd;
    /// fd that becomes the child's stdout (-1 = /dev/null).
    int stdout_fd;
    /// fd that becomes the child's stderr (-1 = /dev/null).
    int stderr_fd;
    /// Working directory (NULL = inherit).
    const char *working_directory;
} stacktop_spawn_options;

/// The step of the child's setup that failed, reported with errno.
enum stacktop_spawn_stage {
    STACKTOP_STAGE_NONE = 0,
    STACKTOP_STAGE_SETSID = 1,
    STACKTOP_STAGE_PDEATHSIG = 2,
    STACKTOP_STAGE_PARENT_GONE = 3,
    STACKTOP_STAGE_SIGNALS = 4,
    STACKTOP_STAGE_STDIO = 5,
    STACKTOP_STAGE_CHDIR = 6,
    STACKTOP_STAGE_CLOSE_FDS = 7,
    STACKTOP_STAGE_EXEC = 8,
};

/// Forks and execs `path` with exactly `argv` and `envp` (both NULL-terminated).
/// Returns the child's pid. On failure returns -1 and sets `*failed_stage` (a
/// `stacktop_spawn_stage`) and `*failed_errno`: either fork failed in the parent
/// (stage NONE) or the child reported which step failed before exec (it then
/// exited with status 127 and was reaped).
pid_t stacktop_spawn(const char *path, char *const argv[], char *const envp[],
                     const stacktop_spawn_options *options,
                     int *failed_stage, int *failed_errno);

/// pidfd_open(2): an fd that polls readable when `pid` exits (works for non-children). -1 + errno.
int stacktop_pidfd_open(pid_t pid);

/// How the process behind `pidfd` ended, read with ioctl(PIDFD_GET_INFO, PIDFD_INFO_EXIT)
/// (Linux 6.15+): works for processes that are not our children, once whoever is their parent
/// has reaped them. Returns 0 and sets `*wait_status` (waitpid's format); -1 + errno otherwise:
/// ENODATA while it is still running or a zombie (not reaped yet), ENOTTY or EINVAL when the
/// kernel cannot tell.
int stacktop_pidfd_exit_status(int pidfd, int *wait_status);

/// pidfd_send_signal(2). 0 or -1 + errno.
int stacktop_pidfd_send_signal(int pidfd, int sig);

/// prctl(PR_SET_PDEATHSIG, sig) for the calling thread's process. 0 or -1 + errno.
int stacktop_set_parent_death_signal(int sig);

/// prctl(PR_SET_CHILD_SUBREAPER, on). 0 or -1 + errno.
int stacktop_set_child_subreaper(int on);

/// Sets the disposition of `sig` to SIG_IGN (1) or SIG_DFL (0). 0 or -1 + errno.
int stacktop_set_signal_ignored(int sig, int ignored);

/// pipe2(fds, O_CLOEXEC). 0 or -1 + errno.
int stacktop_pipe_cloexec(int fds[2]);

/// Blocks (1) or unblocks (0) `sig` in the calling thread. 0 or -1 + errno.
int stacktop_block_signal(int sig, int blocked);

#endif
