# lstm-grad: build, run the published example, test.
SWIFT ?= swift
PREFIX ?= /usr/local
BIN_DEBUG := .build/debug/lstm-grad
BIN_RELEASE := .build/release/lstm-grad
FIXTURES := $(filter-out %.expected.txt,$(wildcard fixtures/*.json))

.PHONY: all build release run test fixtures clean

all: build

build:
	$(SWIFT) build

release:
	$(SWIFT) build -c release

# The published numerical example (fixtures/gomez.json).
run: build
	$(BIN_DEBUG) run fixtures/gomez.json

# Every unit, golden and end-to-end CLI test.
test: build
	$(SWIFT) test
	$(MAKE) bench-smoke

# Regenerates the golden files deliberately; review the diff before committing.
fixtures: build
	@for f in $(FIXTURES); do \
	  $(BIN_DEBUG) run $$f > $${f%.json}.expected.txt || exit 1; \
	  echo "wrote $${f%.json}.expected.txt"; \
	done

clean:
	rm -rf .build

# Issue 4: the show-work documents of the published example (golden files for ShowWorkTests),
# and a grading session of its printed answers.
.PHONY: fixtures-docs check-published
fixtures-docs: build
	$(BIN_DEBUG) run fixtures/gomez.json --format markdown > fixtures/gomez.expected.md
	$(BIN_DEBUG) run fixtures/gomez.json --format latex > fixtures/gomez.expected.tex
	@echo "wrote fixtures/gomez.expected.md fixtures/gomez.expected.tex"

check-published: build
	-$(BIN_DEBUG) check fixtures/gomez.json fixtures/answers/gomez.answers.json --rounded 5

# Benchmarks (docs/README-bench.md): lstm-grad against the numpy program, in one run.
BENCH_SCRATCH := .build-bench
PYTHON ?= python3
# Extra flags for the benchmark's release build, e.g. for this machine's vector units:
#   make bench BENCH_SWIFTFLAGS="-Xswiftc -target-cpu -Xswiftc haswell"
BENCH_SWIFTFLAGS ?=

.PHONY: bench bench-smoke

# Release build, all sizes up to (H,X,T) = (1024,256,200); several minutes.
bench:
	$(SWIFT) build -c release --scratch-path $(BENCH_SCRATCH) $(BENCH_SWIFTFLAGS)
	$(PYTHON) bench/bench.py --binary $(BENCH_SCRATCH)/release/lstm-grad

# The two smallest sizes with the debug binary, in seconds: run by `make test` so the
# benchmark cannot rot.
bench-smoke: build
	@if command -v $(PYTHON) >/dev/null 2>&1; then \
	  $(PYTHON) bench/bench.py --smoke --repeat 2 --binary $(BIN_DEBUG); \
	else \
	  echo "bench-smoke: skipped, $(PYTHON) is not installed"; \
	fi
