# stacktop: `make run` to launch a stack, `make test` to run every test.
#
# Both first run scripts/install-components, which installs the servers (apt) and the project's
# .venv when they are missing and prints nothing when everything is present. Installing needs
# root or passwordless sudo; without either it prints the commands to run.

# The topology `make run` launches: a name from topologies/ or a path.
TOPOLOGY ?= nginx-gunicorn-supervisord
SWIFT ?= swift

.PHONY: run test lint check install build release clean bench

## install: the servers and the project's .venv (quiet when all present)
install:
	@scripts/install-components

## build: debug build
build:
	$(SWIFT) build

## release: optimised build of .build/release/stacktop, the Swift runtime and Foundation linked in
## statically (about 5 MB less resident memory per process than shared libraries), linked as a
## position-dependent executable: no 2.2 MB of relocations for the loader to read and no private
## copies of the data it relocates (see benchmarks/RESULTS.md, "Dashboard RSS"). Product by
## product: a plain `swift build` also builds Tests/TestSupport, whose XCTest a static-stdlib build
## cannot find.
release:
	$(SWIFT) build -c release --static-swift-stdlib -Xlinker -no-pie --product stacktop
	$(SWIFT) build -c release --static-swift-stdlib -Xlinker -no-pie --product stacktop-reaper

## run: install, build, open the dashboard on $(TOPOLOGY) (q stops the stack and quits)
# Without a terminal, use the headless `.build/release/stacktop up $(TOPOLOGY)` instead.
run: install release
	.build/release/stacktop $(TOPOLOGY)

## test: install (with the container tools: podman, runc, mmdebstrap, catatonit), the release build
## `make run` uses (checked on every topology), then build and run every test target. Serial on
## purpose: integration tests start real servers on loopback ports. The first run on a machine
## also builds the container base image (mmdebstrap, 30 s to a few minutes).
test: install lint
	@scripts/install-components --containers
	$(MAKE) --no-print-directory release
	.build/release/stacktop check topologies/*.yaml
	$(SWIFT) build
	$(SWIFT) test
	.venv/bin/python -m unittest discover -s scripts -p 'test_*.py'

## lint: swift-format's rules (.swift-format) over Sources, Tests and Package.swift; any finding
## fails. Uses `swift format` (in Swift 6 toolchains) or a swift-format on PATH; without either it
## says so and skips. Whitespace and the 120-column width are checked too (string literals may run
## past it): `swift format format -i -r Sources Tests Package.swift` fixes what it flags.
lint:
	@if $(SWIFT) format --version >/dev/null 2>&1; then format="$(SWIFT) format"; \
	elif command -v swift-format >/dev/null 2>&1; then format=swift-format; \
	else echo "make lint: SKIPPED, swift-format not found (neither '$(SWIFT) format' nor swift-format on PATH)"; exit 0; fi; \
	echo "$$format lint (.swift-format)"; \
	$$format lint --strict --recursive --parallel Sources Tests Package.swift

## bench: every benchmark (on demand, never in CI); each writes its section of
## benchmarks/RESULTS.md with the machine, the date and its reference measured in the same run.
## Also installs the benchmarks' own tools (htop) first.
bench: install release
	@scripts/install-components --bench
	benchmarks/dashboard-cost.py --stacktop .build/release/stacktop --write
	benchmarks/scale.py --stacktop .build/release/stacktop --write
	benchmarks/reaper-memory.py --stacktop .build/release/stacktop --write
	benchmarks/launch-time.py --stacktop .build/release/stacktop --write
	benchmarks/respawn.py --kills 50 --stacktop .build/release/stacktop --write
	benchmarks/flow.sh
	# These two build their XCTest harnesses (release, -enable-testing) in .build-bench, leaving
	# the static .build/release/stacktop above as it was.
	benchmarks/logparse.sh
	benchmarks/loadgen.sh

## check: validate every topology file (errors as FILE:LINE:COL: message)
check: build
	.build/debug/stacktop check topologies/*.yaml

## clean: remove build products (keeps .venv; stacks' run dirs live in /tmp/stacktop-runs)
clean:
	rm -rf .build .build-bench
