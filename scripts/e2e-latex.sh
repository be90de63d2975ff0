#!/usr/bin/env bash
# End-to-end check of `deter convert --to tikz`: draw the shipped models' trees as TikZ (with
# the path and with typeset payoff formulas) and compile each with pdflatex.
#
# Usage: scripts/e2e-latex.sh [OUT_DIR]
#   Installs Debian's TeX Live packages (texlive-latex-base, texlive-pictures, lmodern) with
#   apt-get when pdflatex is missing and we are root (set DETER_E2E_NO_INSTALL=1 to forbid that).
#   Exit codes: 0 pass, 1 fail, 77 skipped (no pdflatex and none can be installed here).
set -euo pipefail

repo="$(cd "$(dirname "$0")/.." && pwd)"
out="${1:-$repo/target/e2e-latex}"
mkdir -p "$out"

if ! command -v pdflatex >/dev/null 2>&1; then
  if [ "${DETER_E2E_NO_INSTALL:-0}" != 1 ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "e2e-latex: installing TeX Live (pdflatex, TikZ, Latin Modern) with apt-get" >&2
    export DEBIAN_FRONTEND=noninteractive
    if ! { timeout 600 apt-get update >"$out/apt.log" 2>&1 &&
      timeout 1200 apt-get install -y --no-install-recommends texlive-latex-base \
        texlive-pictures lmodern >>"$out/apt.log" 2>&1; }; then
      echo "e2e-latex: apt-get could not install TeX Live (see $out/apt.log)" >&2
    fi
  fi
fi
if ! command -v pdflatex >/dev/null 2>&1; then
  echo "e2e-latex: SKIPPED — no pdflatex found and none can be installed here (need root and apt-get)" >&2
  exit 77
fi

deter="${DETER_BIN:-}"
if [ -z "$deter" ]; then
  (cd "$repo" && cargo build --release --quiet)
  deter="$repo/target/release/deter"
fi

fail=0
for model in "$repo"/models/*.toml; do
  name="$(basename "$model" .toml)"
  for variant in path formulas; do
    tex="$out/$name-$variant.tex"
    if [ "$variant" = path ]; then
      "$deter" convert "$model" --to tikz --path -o "$tex"
    else
      "$deter" convert "$model" --to tikz --path --formulas -o "$tex"
    fi
    if (cd "$out" && timeout 300 pdflatex -interaction=nonstopmode -halt-on-error \
      "$(basename "$tex")" >"$out/$name-$variant.pdflatex.log" 2>&1) &&
      [ -s "$out/$name-$variant.pdf" ]; then
      echo "e2e-latex: ok $name ($variant)"
    else
      echo "e2e-latex: FAIL — pdflatex could not compile $tex (see $out/$name-$variant.log)" >&2
      fail=1
    fi
  done
done
if [ "$fail" != 0 ]; then
  exit 1
fi
echo "e2e-latex: PASS — every model's tree compiles with pdflatex"
