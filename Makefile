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

# Regenerates the golden files deliberately; review the diff before committing.
fixtures: build
	@for f in $(FIXTURES); do \
	  $(BIN_DEBUG) run $$f > $${f%.json}.expected.txt || exit 1; \
	  echo "wrote $${f%.json}.expected.txt"; \
	done

clean:
	rm -rf .build

# --- Built-in examples, install, uninstall (issue 8) -------------------------------------------
# 'make examples' embeds the fixtures listed in fixtures/examples.manifest in the binary;
# ExampleTests fails when an embedded copy differs from its fixture.
# 'make install PREFIX=DIR' builds the release binary and installs it with the man page and
# the bash, zsh and fish completions; 'make uninstall PREFIX=DIR' removes exactly those files.
# 'make install-files BIN=...' installs an already built binary (used by InstallTests).
DESTDIR ?=
BIN ?= $(BIN_RELEASE)

.PHONY: examples install install-files uninstall setup

examples:
	./scripts/generate-examples.sh

install: release install-files

install-files:
	./scripts/install.sh install "$(DESTDIR)$(PREFIX)" "$(BIN)"

# Removes the files install wrote and the directories it created (when empty), nothing else.
uninstall:
	./scripts/install.sh uninstall "$(DESTDIR)$(PREFIX)"

# Test prerequisites: groff (renders the man page in InstallTests), installed with apt-get
# only when it is missing.
setup:
	@command -v groff >/dev/null 2>&1 || { \
	  echo "installing groff-base (to render the man page in tests)"; \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq groff-base; \
	  else sudo apt-get update -qq && sudo apt-get install -y -qq groff-base; fi; }
