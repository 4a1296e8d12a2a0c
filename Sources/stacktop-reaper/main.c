// stacktop-reaper: the process that outlives stacktop and kills every process of its stacks once
// stacktop is gone, however it went (kill -9 included). The same job as `stacktop _reap`
// (Sources/Runtime/Reaper.swift), in C with no heap and no Swift runtime, so it costs well under
// 1 MB of memory instead of a second copy of stacktop's runtime (see benchmarks/RESULTS.md).
//
// stdin is a pipe whose only writer is stacktop. It carries one message per line:
//   session SID            kill the live members of session SID
//   process PID STARTTIME  kill PID if it is still the process that started at STARTTIME (ticks)
//   release SID            stacktop stopped SID itself: forget it (and a process PID == SID)
//   spawning RUNDIR        a session leader naming RUNDIR is being forked; its `session` follows
//   container CIDFILE NAME CONF
//                          a container is being started: at EOF, before the sweep, run
//                          `podman rm -f -t 0 --ignore` on it (by CIDFILE, or NAME when the file
//                          was never written) with CONTAINERS_CONF=CONF, as ContainerEngine does
//   pod IDFILE NAME CONF   a pod is being created: at EOF, in the order received, run
//                          `podman pod rm -f -t 0 --ignore` on it (by IDFILE, or NAME), which
//                          removes its containers too
// Malformed lines are ignored. At EOF it SIGKILLs its targets, again every 10 ms until none is
// left or 3 s have passed; exit status 0 when none is left, 1 when some survived.
// Usage: stacktop-reaper _reap   (the word keeps its command line recognisable as stacktop's reaper)
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <stdint.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

enum { MAX_SESSIONS = 4096, MAX_PROCESSES = 4096, LINE_MAX_BYTES = 8192, SWEEP_MS = 3000, INTERVAL_MS = 10 };

typedef struct { int32_t pid; uint64_t start; } identity;

static int32_t sessions[MAX_SESSIONS];
static int session_count;
static identity processes[MAX_PROCESSES];
static int process_count;
static char unrecorded_spawn[LINE_MAX_BYTES + 2]; // run dir + '/', "" when none

enum { MAX_CONTAINERS = 16, CONTAINER_FIELD_BYTES = 1024, PODMAN_TIMEOUT_MS = 60000 };
typedef struct { char cidfile[CONTAINER_FIELD_BYTES], name[CONTAINER_FIELD_BYTES], config[CONTAINER_FIELD_BYTES]; int is_pod; } container;
static container containers[MAX_CONTAINERS];
static int container_count;

// Copies [s, end) into out (NUL-terminated); 0 when it does not fit.
static int copy_field(char *out, const char *s, const char *end) {
    size_t n = (size_t)(end - s);
    if (n == 0 || n >= CONTAINER_FIELD_BYTES) return 0;
    memcpy(out, s, n);
    out[n] = 0;
    return 1;
}

// Decimal digits only, [first, end), into *out; 0 when empty, not digits, or over `max`.
static int parse_number(const char *s, const char *end, uint64_t max, uint64_t *out) {
    if (s == end) return 0;
    uint64_t v = 0;
    for (; s < end; s++) {
        if (*s < '0' || *s > '9') return 0;
        uint64_t d = (uint64_t)(*s - '0');
        if (v > (max - d) / 10) return 0;
        v = v * 10 + d;
    }
    *out = v;
    return 1;
}

static void add_session(int32_t sid) {
    for (int i = 0; i < session_count; i++) if (sessions[i] == sid) return;
    if (session_count < MAX_SESSIONS) sessions[session_count++] = sid;
}

static int has_session(int32_t sid) {
    for (int i = 0; i < session_count; i++) if (sessions[i] == sid) return 1;
    return 0;
}

static void release_session(int32_t sid) {
    for (int i = 0; i < session_count; i++)
        if (sessions[i] == sid) { sessions[i] = sessions[--session_count]; break; }
    int kept = 0;
    for (int i = 0; i < process_count; i++)
        if (processes[i].pid != sid) processes[kept++] = processes[i];
    process_count = kept;
}

static void add_process(int32_t pid, uint64_t start) {
    for (int i = 0; i < process_count; i++)
        if (processes[i].pid == pid && processes[i].start == start) return;
    if (process_count < MAX_PROCESSES) processes[process_count++] = (identity){pid, start};
}

// One line without its newline. Fields are separated by runs of spaces.
static void apply_line(char *line, size_t length) {
    static const char spawning[] = "spawning /";
    if (length > sizeof spawning - 2 && memcmp(line, spawning, sizeof spawning - 1) == 0) {
        const char *dir = line + sizeof spawning - 2;
        size_t n = length - (sizeof spawning - 2);
        if (n < 2 || memchr(dir, 0, n) != NULL) return;
        memcpy(unrecorded_spawn, dir, n);
        if (dir[n - 1] != '/') unrecorded_spawn[n++] = '/';
        unrecorded_spawn[n] = 0;
        return;
    }
    const char *field[4], *field_end[4];
    int count = 0;
    const char *p = line, *end = line + length;
    while (p < end) {
        while (p < end && *p == ' ') p++;
        if (p == end) break;
        if (count == 4) return;
        field[count] = p;
        while (p < end && *p != ' ') p++;
        field_end[count++] = p;
    }
    if (count < 2) return;
    size_t word = (size_t)(field_end[0] - field[0]);
    int is_pod = count == 4 && word == 3 && memcmp(field[0], "pod", 3) == 0;
    if (is_pod || (count == 4 && word == 9 && memcmp(field[0], "container", 9) == 0)) {
        if (container_count == MAX_CONTAINERS || *field[1] != '/' || *field[3] != '/') return;
        container *c = &containers[container_count];
        c->is_pod = is_pod;
        if (copy_field(c->cidfile, field[1], field_end[1]) && copy_field(c->name, field[2], field_end[2])
            && copy_field(c->config, field[3], field_end[3])) {
            for (int i = 0; i < container_count; i++)
                if (strcmp(containers[i].cidfile, c->cidfile) == 0 && strcmp(containers[i].name, c->name) == 0
                    && containers[i].is_pod == c->is_pod) return;
            container_count++;
        }
        return;
    }
    uint64_t a, b;
    if (!parse_number(field[1], field_end[1], INT32_MAX, &a) || a <= 1) return;
    if (count == 2 && word == 7 && memcmp(field[0], "session", 7) == 0) {
        add_session((int32_t)a);
        unrecorded_spawn[0] = 0;
    } else if (count == 2 && word == 7 && memcmp(field[0], "release", 7) == 0) {
        release_session((int32_t)a);
    } else if (count == 3 && word == 7 && memcmp(field[0], "process", 7) == 0) {
        if (parse_number(field[2], field_end[2], UINT64_MAX, &b)) add_process((int32_t)a, b);
    }
}

// Reads stdin until EOF, applying every complete line. A line longer than the buffer is dropped.
static void read_messages(void) {
    static char buffer[LINE_MAX_BYTES];
    size_t used = 0;
    int overlong = 0;
    for (;;) {
        ssize_t n = read(0, buffer + used, sizeof buffer - used);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return;
        used += (size_t)n;
        char *start = buffer;
        char *newline;
        while ((newline = memchr(start, '\n', (size_t)(buffer + used - start))) != NULL) {
            if (!overlong) apply_line(start, (size_t)(newline - start));
            overlong = 0;
            start = newline + 1;
        }
        used = (size_t)(buffer + used - start);
        memmove(buffer, start, used);
        if (used == sizeof buffer) { overlong = 1; used = 0; }
    }
}

// Reads at most size-1 bytes of a small file; -1 when unreadable.
static ssize_t read_file(const char *path, char *out, size_t size) {
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return -1;
    size_t used = 0;
    while (used < size - 1) {
        ssize_t n = read(fd, out + used, size - 1 - used);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break;
        used += (size_t)n;
    }
    close(fd);
    out[used] = 0;
    return (ssize_t)used;
}

typedef struct { int32_t pid; char state; int32_t sid; uint64_t start; } stat_record;

// /proc/PID/stat: the fields after the command name's last ')'.
static int read_stat(const char *pid_text, stat_record *r) {
    char path[64], text[1024];
    if (strlen(pid_text) > 20) return 0;
    strcpy(path, "/proc/"); strcat(path, pid_text); strcat(path, "/stat");
    ssize_t n = read_file(path, text, sizeof text);
    if (n <= 0) return 0;
    char *close_paren = memrchr(text, ')', (size_t)n);
    if (close_paren == NULL || close_paren + 2 >= text + n) return 0;
    r->state = close_paren[2];
    // After ") S": ppid(4) pgrp(5) session(6) ... starttime(22); field 3 is the state.
    char *p = close_paren + 3;
    uint64_t value = 0;
    for (int field = 4; field <= 22; field++) {
        while (*p == ' ') p++;
        char *s = p;
        while (*p != ' ' && *p != 0) p++;
        if (field == 6 || field == 22) {
            if (*s == '-' || !parse_number(s, p, UINT64_MAX, &value)) return 0;
            if (field == 6) r->sid = (int32_t)value; else r->start = value;
        }
    }
    uint64_t pid;
    if (!parse_number(pid_text, pid_text + strlen(pid_text), INT32_MAX, &pid)) return 0;
    r->pid = (int32_t)pid;
    return 1;
}

static int is_dead(char state) { return state == 'Z' || state == 'X'; }

// Whether /proc/PID/<name> (NULs read as `separator`) contains unrecorded_spawn.
static int file_names_run_dir(const char *pid_text, const char *name, char separator) {
    static char text[1 << 20];
    char path[64];
    strcpy(path, "/proc/"); strcat(path, pid_text); strcat(path, "/"); strcat(path, name);
    ssize_t n = read_file(path, text, sizeof text);
    if (n <= 0) return 0;
    for (ssize_t i = 0; i < n; i++) if (text[i] == 0) text[i] = separator;
    return memmem(text, (size_t)n, unrecorded_spawn, strlen(unrecorded_spawn)) != NULL;
}

// The session leaders that name the run dir of a fork whose `session` line never came.
static void add_run_dir_claimants(void) {
    DIR *proc = opendir("/proc");
    if (proc == NULL) return;
    struct dirent *entry;
    while ((entry = readdir(proc)) != NULL) {
        stat_record r;
        if (entry->d_name[0] < '1' || entry->d_name[0] > '9' || !read_stat(entry->d_name, &r)) continue;
        if (r.sid != r.pid || is_dead(r.state) || r.pid <= 1 || r.pid == getpid()) continue;
        if (file_names_run_dir(entry->d_name, "cmdline", ' ') || file_names_run_dir(entry->d_name, "environ", '\n'))
            add_session(r.pid);
    }
    closedir(proc);
}

// One round: SIGKILLs every live target. Returns how many it found.
static int kill_round(int send) {
    int found = 0;
    DIR *proc = opendir("/proc");
    if (proc == NULL) return 0;
    struct dirent *entry;
    while ((entry = readdir(proc)) != NULL) {
        stat_record r;
        if (entry->d_name[0] < '1' || entry->d_name[0] > '9' || !read_stat(entry->d_name, &r) || is_dead(r.state)) continue;
        int target = has_session(r.sid);
        for (int i = 0; !target && i < process_count; i++)
            target = processes[i].pid == r.pid && processes[i].start == r.start;
        if (!target) continue;
        found++;
        if (send && r.pid > 1 && r.pid != getpid()) kill(r.pid, SIGKILL);
    }
    closedir(proc);
    return found;
}

static int64_t now_ms(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (int64_t)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

// `podman rm -f -t 0 --ignore` on one container (`podman pod rm ...` on a pod, which removes its
// containers too), output to /dev/null, killed after 60 s.
static void remove_container(const container *c) {
    static char conf_env[CONTAINER_FIELD_BYTES + 32];
    strcpy(conf_env, "CONTAINERS_CONF="); strcat(conf_env, c->config);
    char *env[8];
    int e = 0;
    env[e++] = "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
    env[e++] = conf_env;
    env[e++] = "LANG=C.UTF-8";
    static const char *inherited[] = {"HOME", "TMPDIR", "XDG_RUNTIME_DIR"};
    static char inherited_env[3][CONTAINER_FIELD_BYTES + 32];
    for (int i = 0; i < 3; i++) {
        const char *v = getenv(inherited[i]);
        if (v == NULL || strlen(v) >= CONTAINER_FIELD_BYTES) continue;
        strcpy(inherited_env[i], inherited[i]); strcat(inherited_env[i], "="); strcat(inherited_env[i], v);
        env[e++] = inherited_env[i];
    }
    env[e] = NULL;
    int by_file = access(c->cidfile, F_OK) == 0;
    char *target = by_file ? (c->is_pod ? "--pod-id-file" : "--cidfile") : (char *)c->name;
    char *file = by_file ? (char *)c->cidfile : NULL;
    char *container_argv[] = {"/usr/bin/podman", "rm", "-f", "-t", "0", "--ignore", target, file, NULL};
    char *pod_argv[] = {"/usr/bin/podman", "pod", "rm", "-f", "-t", "0", "--ignore", target, file, NULL};
    char **argv = c->is_pod ? pod_argv : container_argv;
    pid_t child = fork();
    if (child < 0) return;
    if (child == 0) {
        int null = open("/dev/null", O_RDWR);
        if (null >= 0) { dup2(null, 0); dup2(null, 1); dup2(null, 2); }
        signal(SIGINT, SIG_DFL); signal(SIGHUP, SIG_DFL); signal(SIGPIPE, SIG_DFL);
        execve(argv[0], argv, env);
        _exit(127);
    }
    int64_t started = now_ms();
    int status = 0;
    for (;;) {
        pid_t done = waitpid(child, &status, WNOHANG);
        if (done == child) break;
        if (done < 0 && errno != EINTR) return;
        if (now_ms() - started > PODMAN_TIMEOUT_MS) { kill(child, SIGKILL); waitpid(child, &status, 0); return; }
        struct timespec pause = {0, 20 * 1000000L};
        nanosleep(&pause, NULL);
    }
    if (WIFEXITED(status) && WEXITSTATUS(status) == 0 && by_file) unlink(c->cidfile);
}

int main(int argc, char **argv) {
    if (argc != 2 || strcmp(argv[1], "_reap") != 0) {
        static const char usage[] = "usage: stacktop-reaper _reap  (started by stacktop; reads its pipe on stdin)\n";
        (void)!write(2, usage, sizeof usage - 1);
        return 2;
    }
    // Deaf to what a Ctrl-C or a closed terminal sends: only EOF (or SIGKILL) ends it.
    const int ignored[] = {SIGINT, SIGHUP, SIGPIPE, SIGQUIT, SIGTSTP, SIGTTIN, SIGTTOU};
    for (size_t i = 0; i < sizeof ignored / sizeof ignored[0]; i++) signal(ignored[i], SIG_IGN);
    read_messages();
    if (unrecorded_spawn[0] != 0) add_run_dir_claimants();
    // Containers first: `podman rm -f` kills their processes; the sweep then finds nothing of them.
    for (int i = 0; i < container_count; i++) remove_container(&containers[i]);
    if (session_count == 0 && process_count == 0) return 0;
    int64_t started = now_ms();
    for (;;) {
        int late = now_ms() - started >= SWEEP_MS;
        if (kill_round(!late) == 0) return 0;
        if (late) return 1;
        struct timespec pause = {0, INTERVAL_MS * 1000000L};
        while (nanosleep(&pause, &pause) != 0 && errno == EINTR) {}
    }
}

// SwiftPM links every executable with swiftc, which adds the Swift runtime's image registration
// object (swiftrt.o) and its two references into the runtime. This program has no Swift code:
// these empty definitions satisfy them, so no Swift runtime is linked in or loaded.
void swift_addNewDSOImage(const void *image) { (void)image; }
int _swift_backtrace_isThunkFunction(const char *name) { (void)name; return 0; }
