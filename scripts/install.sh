#!/usr/bin/env bash
# Installs or uninstalls lstm-grad under a prefix; called by 'make install' / 'make uninstall'.
#   scripts/install.sh install ROOT BIN     ROOT is $(DESTDIR)$(PREFIX), BIN the built binary
#   scripts/install.sh uninstall ROOT
# Install records every file and every directory it creates in ROOT/share/lstm-grad/installed,
# so uninstall removes exactly those (directories only when empty) and nothing else.
set -euo pipefail
cd "$(dirname "$0")/.."
action=${1:?install or uninstall}
root=${2:?the install root}
root=${root%/}
log="$root/share/lstm-grad/installed"
files=(
  "bin/lstm-grad"
  "share/man/man1/lstm-grad.1"
  "share/bash-completion/completions/lstm-grad"
  "share/zsh/site-functions/_lstm-grad"
  "share/fish/vendor_completions.d/lstm-grad.fish"
)

case "$action" in
install)
  bin=${3:?the binary to install}
  [ -x "$bin" ] || { echo "install: $bin is not built (run 'make release')" >&2; exit 1; }
  created=()
  [ -f "$log" ] && mapfile -t created < "$log"
  mkdirs() {  # creates $1 and its missing parents, recording each one created
    local d=$1
    [ -d "$d" ] && return 0
    mkdirs "$(dirname "$d")"
    mkdir "$d"
    created+=("$d/")
  }
  for f in "${files[@]}" share/lstm-grad/installed; do mkdirs "$(dirname "$root/$f")"; done
  install -m 755 "$bin" "$root/bin/lstm-grad"
  install -m 644 docs/lstm-grad.1 "$root/share/man/man1/lstm-grad.1"
  "$bin" completions bash > "$root/share/bash-completion/completions/lstm-grad"
  "$bin" completions zsh > "$root/share/zsh/site-functions/_lstm-grad"
  "$bin" completions fish > "$root/share/fish/vendor_completions.d/lstm-grad.fish"
  for f in "${files[@]}"; do echo "installed $root/$f"; done
  { printf '%s\n' "${created[@]}" | awk 'NF && !seen[$0]++'
    for f in "${files[@]}"; do echo "$root/$f"; done; } > "$log.tmp"
  mv "$log.tmp" "$log"
  ;;
uninstall)
  entries=()
  if [ -f "$log" ]; then mapfile -t entries < "$log"; fi
  for f in "${files[@]}"; do
    if [ -e "$root/$f" ]; then rm -f "$root/$f"; echo "removed $root/$f"; fi
  done
  rm -f "$log"
  # Directories install created, deepest first, only if now empty.
  dirs=()
  for e in "${entries[@]}"; do [[ "$e" == */ ]] && dirs+=("${e%/}"); done
  dirs+=("$root/share/lstm-grad")
  printf '%s\n' "${dirs[@]}" | awk '{ print length($0) "\t" $0 }' | sort -rn | cut -f2- | while IFS= read -r d; do
    if [ -d "$d" ] && rmdir "$d" 2>/dev/null; then echo "removed $d/"; fi
  done
  ;;
*)
  echo "usage: scripts/install.sh install ROOT BIN | uninstall ROOT" >&2; exit 2 ;;
esac
