#!/usr/bin/env bash
# Soak, two modes. Not part of `make test`.
#
#   benchmarks/soak.sh [--seconds S] [--rate RPS] [--write]      (default: the load soak)
#     One stack (nginx -> gunicorn) under a steady load (100 rps) for STACKTOP_SOAK_SECONDS
#     (default 1800) with a random worker SIGKILLed every 2 s; stacktop's RSS must grow < 5%,
#     its open fds stay flat, every kill show as `exited` + `replaced`, and every failed request
#     be accounted for in the event timeline (per-second events sum to the totals; each failing
#     second has a kill within 1 s). Release build. --write puts the figures in RESULTS.md.
#
#   benchmarks/soak.sh cycles
#     `stacktop up` launched and ended again and again for STACKTOP_SOAK_SECONDS over nine
#     stacks and seven exits (--for, SIGINT, SIGTERM, SIGHUP, SIGKILL, SIGINT or SIGKILL during
#     the launch); after every cycle nothing of the stack may be left; every 20 cycles run dirs,
#     zombies, listening sockets and fds are sampled. Debug build.
#
# Both print their seed (STACKTOP_SOAK_SEED replays it) and exit 1 on any failure.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "${1:-}" = cycles ]; then
  swift build --product stacktop >/dev/null
else
  swift build -c release --product stacktop >/dev/null
fi
exec python3 benchmarks/soak.py "$@"
