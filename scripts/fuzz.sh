#!/usr/bin/env bash
# Fuzz one target (or all) of fuzz/ for a given time; see docs/fuzzing.md.
#
# Usage: scripts/fuzz.sh TARGET|all [SECONDS]   (default 600 s per target)
# Needs a nightly toolchain and cargo-fuzz (`cargo install cargo-fuzz`).
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
cd "$repo"
targets=("$1")
[ "$1" = all ] && targets=(model efg nfg load_solve)
secs="${2:-600}"
games="$repo/../shared/games"

seed() {
  local t="$1" dir="fuzz/corpus/$1"
  mkdir -p "$dir"
  case "$t" in
    model) cp models/*.toml tests/models/*.toml tests/models/invalid/*.toml "$dir"/ ;;
    efg|nfg)
      cp tests/models/*."$t" "$dir"/ 2>/dev/null || true
      [ -d "$games" ] && cp "$games"/*."$t" "$dir"/ ;;
    load_solve)
      # First byte: 0 model, 1 .efg, 2 .nfg.
      for f in models/*.toml tests/models/*.toml; do
        { printf '\000'; cat "$f"; } > "$dir/m-$(basename "$f")"; done
      if [ -d "$games" ]; then
        for f in "$games"/*.efg; do { printf '\001'; cat "$f"; } > "$dir/e-$(basename "$f")"; done
        for f in "$games"/*.nfg; do { printf '\002'; cat "$f"; } > "$dir/n-$(basename "$f")"; done
      fi ;;
  esac
  cp tests/fuzz/"$t"/* "$dir"/ 2>/dev/null || true
}

for t in "${targets[@]}"; do
  seed "$t"
  echo "fuzz: $t for $secs s" >&2
  cargo +nightly fuzz run "$t" "fuzz/corpus/$t" -- \
    -max_total_time="$secs" -max_len=65536 -rss_limit_mb=2048 -timeout=10 -print_final_stats=1
done
