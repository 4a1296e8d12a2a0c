#!/usr/bin/env bash
# Soak: `stacktop up` launched and ended again and again for STACKTOP_SOAK_SECONDS (default 1800)
# over nine stacks and seven exits (--for, SIGINT, SIGTERM, SIGHUP, SIGKILL, SIGINT or SIGKILL
# during the launch); after every cycle nothing of the stack may be left, and every 20 cycles run
# dirs, zombies, listening sockets and fds are sampled to show nothing accumulates. Prints the
# seed (STACKTOP_SOAK_SEED replays it). Exit 1 on any failed cycle. Not part of `make test`.
set -euo pipefail
cd "$(dirname "$0")/.."
swift build >/dev/null
exec python3 benchmarks/soak.py
