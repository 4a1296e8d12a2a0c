"""Reading /proc for the benchmark scripts (dashboard-cost.py, launch-time.py, soak.py)."""
import os


def read(path):
    """The text of `path` (undecodable bytes replaced), or "" when it cannot be read."""
    try:
        with open(path, "rb") as f:
            return f.read().decode(errors="replace")
    except OSError:
        return ""


def children(pid):
    """The pids of `pid`'s children, from every thread's /proc/PID/task/TID/children."""
    out = []
    try:
        for tid in os.listdir(f"/proc/{pid}/task"):
            out += [int(x) for x in read(f"/proc/{pid}/task/{tid}/children").split()]
    except OSError:
        pass
    return out
