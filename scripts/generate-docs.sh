#!/usr/bin/env bash
# Writes the documents the binary generates, from the same tables that its help prints:
#   docs/lstm-grad.1   the man page          (lstm-grad help --format man)
#   docs/spec.md       the spec format       (lstm-grad help spec --format markdown)
# Run by 'make docs' after changing a command's options or discussion, or SpecReference;
# GeneratedDocsTests fails until the committed files are what this writes.
#   scripts/generate-docs.sh [BINARY [DIR]]   (defaults: .build/debug/lstm-grad, docs)
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${1:-.build/debug/lstm-grad}
dir=${2:-docs}
[ -x "$bin" ] || { echo "generate-docs: $bin is not built (run 'swift build')" >&2; exit 1; }
write() {  # write FILE COMMAND...: the output of COMMAND, replacing FILE only when it succeeded
  local file=$1 tmp
  shift
  tmp=$(mktemp "$dir/.generate-docs.XXXXXX")
  if "$@" > "$tmp"; then mv "$tmp" "$file"; echo "wrote $file"; else rm -f "$tmp"; exit 1; fi
}
write "$dir/lstm-grad.1" "$bin" help --format man
write "$dir/spec.md" "$bin" help spec --format markdown
