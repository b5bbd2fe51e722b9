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
