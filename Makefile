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

.PHONY: examples docs docs-screenshot install install-files uninstall setup

examples:
	./scripts/generate-examples.sh

# 'make docs' writes docs/lstm-grad.1 and docs/spec.md from the built binary (its command tables
# and SpecReference); GeneratedDocsTests fails until they are up to date.
docs: build
	./scripts/generate-docs.sh $(BIN_DEBUG) docs

# 'make docs-screenshot' renders the published example's solution page (run --format html) in
# headless Chromium and writes docs/solution-page.png, the picture the README shows.
CHROMIUM ?= $(shell command -v chromium || command -v chromium-browser)
docs-screenshot: build
	@[ -n "$(CHROMIUM)" ] || { echo "docs-screenshot: chromium is not installed ('make setup' installs it)"; exit 1; }
	$(BIN_DEBUG) run --example gomez --format html > .build/solution-page.html
	$(CHROMIUM) --headless --no-sandbox --disable-gpu --no-first-run --hide-scrollbars --user-data-dir=.build/chromium-profile \
	  --force-device-scale-factor=1 --window-size=1100,930 --screenshot=docs/solution-page.png \
	  "file://$(CURDIR)/.build/solution-page.html" 2>/dev/null
	@echo "wrote docs/solution-page.png"

install: release install-files

install-files:
	./scripts/install.sh install "$(DESTDIR)$(PREFIX)" "$(BIN)"

# Removes the files install wrote and the directories it created (when empty), nothing else.
uninstall:
	./scripts/install.sh uninstall "$(DESTDIR)$(PREFIX)"

# Test prerequisites: groff (renders the man page in InstallTests), jq (run's help example
# pipes into it), Debian's chromium and, optionally, firefox-esr (render the solution pages in
# SolutionPageTests; where one cannot be installed a note says so and its test skips), installed
# with apt-get only when missing; the browsers never fail the target.
setup:
	@missing=""; \
	command -v groff >/dev/null 2>&1 || missing="$$missing groff-base"; \
	command -v jq >/dev/null 2>&1 || missing="$$missing jq"; \
	[ -z "$$missing" ] || { \
	  echo "installing$$missing (groff renders the man page in tests; jq runs run's help example)"; \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq $$missing; \
	  else sudo apt-get update -qq && sudo apt-get install -y -qq $$missing; fi; }
	@command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1 || { \
	  echo "installing chromium (SolutionPageTests render every example's --format html page in it)"; \
	  sudo=""; [ "$$(id -u)" = 0 ] || sudo=sudo; \
	  { $$sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$sudo apt-get install -y -qq chromium; } >/dev/null 2>&1 \
	    || echo "note: chromium could not be installed; SolutionPageTests will skip the browser test"; }
	@command -v firefox-esr >/dev/null 2>&1 || command -v firefox >/dev/null 2>&1 || { \
	  echo "installing firefox-esr (optional: SolutionPageTests render every solution page in Firefox too)"; \
	  sudo=""; [ "$$(id -u)" = 0 ] || sudo=sudo; \
	  { $$sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$sudo apt-get install -y -qq firefox-esr; } >/dev/null 2>&1 \
	    || echo "note: firefox-esr could not be installed; SolutionPageTests will skip the Firefox test"; }

# Benchmarks (docs/speed.md): lstm-grad against the numpy program, in one run.
BENCH_SCRATCH := .build-bench
PYTHON ?= python3
# Extra flags for the benchmark's release build (the kernels already pick AVX2 + FMA at run time).
BENCH_SWIFTFLAGS ?=
# The Python that runs bench/reference_torch.py (the PyTorch columns are skipped if it lacks torch).
TORCH_PYTHON ?= $(PYTHON)
# More options for bench.py, e.g. BENCH_ARGS="--repeat 3" (runs per size; 5 by default).
BENCH_ARGS ?=

.PHONY: bench bench-batched bench-smoke bench-grading

# Release build, all sizes up to (H,X,T) = (1024,256,200); several minutes. Then reading a
# 100 MB state dict from safetensors and .npz files (written to a temporary directory; numpy).
bench:
	$(SWIFT) build -c release --scratch-path $(BENCH_SCRATCH) $(BENCH_SWIFTFLAGS)
	$(PYTHON) bench/bench.py --binary $(BENCH_SCRATCH)/release/lstm-grad --torch-python $(TORCH_PYTHON) $(BENCH_ARGS)
	$(PYTHON) bench/tensor_files.py --binary $(BENCH_SCRATCH)/release/lstm-grad
	$(PYTHON) bench/grading.py --binary $(BENCH_SCRATCH)/release/lstm-grad

# Only the batched size (H,X,T,B) = (256,128,100,32) against PyTorch (release build): a minute.
bench-batched:
	$(SWIFT) build -c release --scratch-path $(BENCH_SCRATCH) $(BENCH_SWIFTFLAGS)
	$(PYTHON) bench/bench.py --batched-only --binary $(BENCH_SCRATCH)/release/lstm-grad --torch-python $(TORCH_PYTHON) $(BENCH_ARGS)

# Grading 300 small answers files with check (release build): must take under 2 s.
bench-grading:
	$(SWIFT) build -c release --scratch-path $(BENCH_SCRATCH) $(BENCH_SWIFTFLAGS)
	$(PYTHON) bench/grading.py --binary $(BENCH_SCRATCH)/release/lstm-grad

# The two smallest sizes with the debug binary, in seconds: run by `make test` so the
# benchmark cannot rot.
bench-smoke: build
	@if command -v $(PYTHON) >/dev/null 2>&1; then \
	  $(PYTHON) bench/bench.py --smoke --repeat 2 --binary $(BIN_DEBUG); \
	else \
	  echo "bench-smoke: skipped, $(PYTHON) is not installed"; \
	fi
