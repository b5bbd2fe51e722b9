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

# The published numerical example (embedded in the binary from fixtures/gomez.json).
run: build
	$(BIN_DEBUG) run --example gomez

# Every unit, golden and end-to-end CLI test.
test: build setup
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

# Issue 6: golden `analyze` output for fixtures with a NAME.analyze.txt (review the diff).
.PHONY: analyze-fixtures
analyze-fixtures: build
	@for g in fixtures/*.analyze.txt; do \
	  $(BIN_DEBUG) analyze $${g%.analyze.txt}.json > $$g || exit 1; \
	  echo "wrote $$g"; \
	done

# Fuzzing (issue 5): mutates every fixture spec (byte flips, truncation, duplication, type swaps,
# huge numbers, deep nesting) and runs the CLI binary on each case, for FUZZ_SECONDS; failing
# inputs are saved in .fuzz/crashes/. `make test` runs a fixed-seed slice (FuzzSliceTests).
FUZZ_SECONDS ?= 60
FUZZ_SEED ?= 1
FUZZ_FILES ?= $(FIXTURES) $(wildcard fixtures/errors/*.json)
# The command line per case, {} standing for the mutated file; answers files are fuzzed by
# setting FUZZ_FILES to them and FUZZ_TEMPLATE to the command that reads them.
FUZZ_TEMPLATE ?= run {}

.PHONY: fuzz

fuzz: build
	$(SWIFT) build --product lstm-grad-fuzz
	.build/debug/lstm-grad-fuzz --binary $(BIN_DEBUG) --seconds $(FUZZ_SECONDS) --seed $(FUZZ_SEED) \
	  --template '$(FUZZ_TEMPLATE)' --crashes .fuzz/crashes $(FUZZ_FILES)

# In-process fuzzing (issue 17): libFuzzer harnesses with AddressSanitizer, for the spec → report
# path (Fuzz/SpecHarness) and the answers path (Fuzz/CheckHarness), seeded from the fixtures with a
# dictionary of their keys (Fuzz/prepare.py), one after the other for FUZZ_SECONDS each. The build
# that works on this toolchain passes both sanitizers in ONE -sanitize= flag (two separate flags
# silently drop the coverage instrumentation), in its own scratch path; SWIFT_BACKTRACE=enable=no
# keeps the crash reporter from hanging after an ASan report. Crashes, cases over 1 s (timeout-*)
# and over 2 GB (oom-*) are saved in .fuzz/inprocess/HARNESS/findings/; the corpus grows in
# .fuzz/inprocess/HARNESS/corpus/. Keep a finding, once fixed, as fixtures/fuzz/spec-NAME.json or
# fixtures/fuzz/check-NAME.json: `make test` replays those through the binary (FuzzRegressionTests).
FUZZ_HARNESS ?= spec check
FUZZ_SCRATCH := .build-fuzz
FUZZ_OUT := .fuzz/inprocess
# -detect_leaks=0 (and ASAN_OPTIONS=detect_leaks=0 for the check at exit): LeakSanitizer cannot
# see Swift references kept in enum payloads with spare bits (the examples the check harness loads
# once are reported as "leaked"); memory that grows is still caught by -rss_limit_mb.
FUZZ_FLAGS ?= -timeout=1 -rss_limit_mb=2048 -max_len=8192 -detect_leaks=0 -print_final_stats=1

.PHONY: fuzz-inprocess fuzz-inprocess-build

fuzz-inprocess-build:
	@for h in $(FUZZ_HARNESS); do \
	  LSTM_GRAD_FUZZ_INPROCESS=1 $(SWIFT) build -c release --scratch-path $(FUZZ_SCRATCH) \
	    --sanitize fuzzer -Xswiftc -sanitize=fuzzer,address --product lstm-grad-fuzz-$$h || exit 1; \
	done

fuzz-inprocess: build fuzz-inprocess-build
	$(PYTHON) Fuzz/prepare.py --binary $(BIN_DEBUG) --out $(FUZZ_OUT)
	@for h in $(FUZZ_HARNESS); do \
	  echo "fuzzing $$h for $(FUZZ_SECONDS) s (log: $(FUZZ_OUT)/$$h.log)"; \
	  SWIFT_BACKTRACE=enable=no ASAN_OPTIONS=detect_leaks=0 $(FUZZ_SCRATCH)/release/lstm-grad-fuzz-$$h $(FUZZ_FLAGS) \
	    -max_total_time=$(FUZZ_SECONDS) -dict=$(FUZZ_OUT)/$$h.dict -artifact_prefix=$(FUZZ_OUT)/$$h/findings/ \
	    $(FUZZ_OUT)/$$h/corpus > $(FUZZ_OUT)/$$h.log 2>&1; \
	  status=$$?; grep -E '^#[0-9]+' $(FUZZ_OUT)/$$h.log | tail -n 1; grep -E '^(stat::|SUMMARY|artifact_prefix)' $(FUZZ_OUT)/$$h.log; \
	  echo "findings: $$(ls $(FUZZ_OUT)/$$h/findings/ | tr '\n' ' ')"; \
	  [ $$status -eq 0 ] || { echo "fuzz-inprocess: $$h found a failure (status $$status)"; exit 1; }; \
	done

# --- Built-in examples, install, uninstall (issue 8) -------------------------------------------
# 'make examples' embeds the fixtures listed in fixtures/examples.manifest in the binary;
# ExampleTests fails when an embedded copy differs from its fixture.
# 'make install PREFIX=DIR' builds the release binary and installs it with the man page and
# the bash, zsh and fish completions; 'make uninstall PREFIX=DIR' removes exactly those files.
# 'make install-files BIN=...' installs an already built binary (used by InstallTests).
DESTDIR ?=
BIN ?= $(BIN_RELEASE)

.PHONY: examples docs install install-files uninstall setup

examples:
	./scripts/generate-examples.sh

# 'make docs' writes docs/lstm-grad.1 and docs/spec.md from the built binary (its command tables
# and SpecReference); GeneratedDocsTests fails until they are up to date.
docs: build
	./scripts/generate-docs.sh $(BIN_DEBUG) docs

install: release install-files

install-files:
	./scripts/install.sh install "$(DESTDIR)$(PREFIX)" "$(BIN)"

# Removes the files install wrote and the directories it created (when empty), nothing else.
uninstall:
	./scripts/install.sh uninstall "$(DESTDIR)$(PREFIX)"

# Test prerequisites: groff (renders the man page in InstallTests) and jq (run's help example
# pipes into it), installed with apt-get only when they are missing.
setup:
	@missing=""; \
	command -v groff >/dev/null 2>&1 || missing="$$missing groff-base"; \
	command -v jq >/dev/null 2>&1 || missing="$$missing jq"; \
	[ -z "$$missing" ] || { \
	  echo "installing$$missing (groff renders the man page in tests; jq runs run's help example)"; \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq $$missing; \
	  else sudo apt-get update -qq && sudo apt-get install -y -qq $$missing; fi; }

# Benchmarks (docs/speed.md): lstm-grad against the numpy program, in one run.
BENCH_SCRATCH := .build-bench
PYTHON ?= python3
# Extra flags for the benchmark's release build, e.g. for this machine's vector units:
#   make bench BENCH_SWIFTFLAGS="-Xswiftc -target-cpu -Xswiftc haswell"
BENCH_SWIFTFLAGS ?=
# The Python whose torch times the batched size (the column is skipped when it cannot import torch).
TORCH_PYTHON ?= $(PYTHON)

.PHONY: bench bench-smoke

# Release build, all sizes up to (H,X,T) = (1024,256,200); several minutes.
bench:
	$(SWIFT) build -c release --scratch-path $(BENCH_SCRATCH) $(BENCH_SWIFTFLAGS)
	$(PYTHON) bench/bench.py --binary $(BENCH_SCRATCH)/release/lstm-grad --torch-python $(TORCH_PYTHON)

# The two smallest sizes with the debug binary, in seconds: run by `make test` so the
# benchmark cannot rot.
bench-smoke: build
	@if command -v $(PYTHON) >/dev/null 2>&1; then \
	  $(PYTHON) bench/bench.py --smoke --repeat 2 --binary $(BIN_DEBUG); \
	else \
	  echo "bench-smoke: skipped, $(PYTHON) is not installed"; \
	fi
