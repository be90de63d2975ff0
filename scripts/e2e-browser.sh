#!/usr/bin/env bash
# End-to-end check of `deter report` in a real browser: generate the hedging report, open
# report.html in headless Chromium, take a screenshot and check it is not blank.
#
# Usage: scripts/e2e-browser.sh [OUT_DIR]
#   Installs Debian's `chromium` with apt-get when no Chromium is found and we are root (set
#   DETER_E2E_NO_INSTALL=1 to forbid that). Exit codes: 0 pass, 1 fail, 77 skipped (no browser
#   can be installed here), following the Automake convention for skipped tests.
set -euo pipefail

repo="$(cd "$(dirname "$0")/.." && pwd)"
out="${1:-$repo/target/e2e-browser}"
mkdir -p "$out"

find_browser() {
  for b in chromium chromium-browser google-chrome google-chrome-stable; do
    if command -v "$b" >/dev/null 2>&1; then command -v "$b"; return 0; fi
  done
  return 1
}

browser="$(find_browser || true)"
if [ -z "$browser" ]; then
  if [ "${DETER_E2E_NO_INSTALL:-0}" != 1 ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "e2e-browser: installing chromium with apt-get" >&2
    export DEBIAN_FRONTEND=noninteractive
    if timeout 600 apt-get update >"$out/apt.log" 2>&1 && DEBIAN_FRONTEND=noninteractive timeout 900 apt-get install -y chromium >>"$out/apt.log" 2>&1; then
      browser="$(find_browser || true)"
    else
      echo "e2e-browser: apt-get could not install chromium (see $out/apt.log)" >&2
    fi
  fi
fi
if [ -z "$browser" ]; then
  echo "e2e-browser: SKIPPED — no Chromium found and none can be installed here (need root and apt-get)" >&2
  exit 77
fi

deter="${DETER_BIN:-}"
if [ -z "$deter" ]; then
  (cd "$repo" && cargo build --release --quiet)
  deter="$repo/target/release/deter"
fi
"$deter" report "$repo/models/hedging.toml" --out "$out/report" >/dev/null

png="$out/report.png"
rm -f "$png"
profile="$(mktemp -d)"
trap 'rm -rf "$profile"' EXIT
timeout 120 "$browser" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
  --disable-background-networking --disable-component-update --disable-sync \
  --user-data-dir="$profile" --hide-scrollbars --screenshot="$png" --window-size=1400,3000 \
  "file://$out/report/report.html" >"$out/chromium.log" 2>&1 || true

if [ ! -s "$png" ]; then
  echo "e2e-browser: FAIL — Chromium wrote no screenshot (see $out/chromium.log)" >&2
  exit 1
fi
size=$(wc -c <"$png")
if [ "$size" -lt 20000 ]; then
  echo "e2e-browser: FAIL — screenshot is only $size bytes; the page looks blank" >&2
  exit 1
fi
if command -v python3 >/dev/null 2>&1; then
  # Count non-white pixels and the pixels of the report's colours: the equilibrium path in the
  # tree (#c0392b) and the region map's blue (#4393c3, the desirable answer). PNG decoded with zlib only.
  python3 - "$png" <<'PY'
import struct, sys, zlib
data = open(sys.argv[1], "rb").read()
assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
pos, idat, w = 8, b"", 0
while pos < len(data):
    n, kind = struct.unpack(">I4s", data[pos:pos + 8])
    body = data[pos + 8:pos + 8 + n]
    if kind == b"IHDR":
        w, h, depth, ctype = struct.unpack(">IIBB", body[:10])
        assert depth == 8 and ctype in (2, 6), f"unexpected PNG format {depth}/{ctype}"
        bpp = 3 if ctype == 2 else 4
    elif kind == b"IDAT":
        idat += body
    pos += 12 + n
raw = zlib.decompress(idat)
stride = w * bpp
prev = bytearray(stride)
nonwhite = red = blue = 0
i = 0
for _ in range(h):
    f = raw[i]; line = bytearray(raw[i + 1:i + 1 + stride]); i += 1 + stride
    for x in range(stride):
        a = line[x - bpp] if x >= bpp else 0
        b = prev[x]
        c = prev[x - bpp] if x >= bpp else 0
        if f == 1: line[x] = (line[x] + a) & 255
        elif f == 2: line[x] = (line[x] + b) & 255
        elif f == 3: line[x] = (line[x] + (a + b) // 2) & 255
        elif f == 4:
            p = a + b - c; pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
            line[x] = (line[x] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
    for x in range(0, stride, bpp):
        r, g, bl = line[x], line[x + 1], line[x + 2]
        if (r, g, bl) != (255, 255, 255): nonwhite += 1
        if abs(r - 0xc0) < 12 and abs(g - 0x39) < 12 and abs(bl - 0x2b) < 12: red += 1
        if abs(r - 0x43) < 12 and abs(g - 0x93) < 12 and abs(bl - 0xc3) < 12: blue += 1
    prev = line
print(f"e2e-browser: {w}x{h} screenshot, {nonwhite} non-white pixels, "
      f"{red} path-red pixels (tree), {blue} map-blue pixels (region map)")
ok = nonwhite > 50000 and red > 200 and blue > 5000
if not ok:
    print("e2e-browser: FAIL — the tree or the region map is not visible", file=sys.stderr)
    sys.exit(1)
PY
fi
echo "e2e-browser: PASS — $png ($size bytes)"
