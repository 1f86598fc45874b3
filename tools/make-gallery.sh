#!/usr/bin/env bash
# Renders the README's gallery of paper figures (resources/gallery/*.png) from the built-in demo
# with `attnx figure`, each one journal column (3.25 in) wide at 200 dpi: the heatmap, the layer
# curves, the head grid, every head of a layer as panels, and the run compared with the same input
# without its soft tokens. Run it after a change to how figures are drawn:
#   tools/make-gallery.sh [BUILD_DIR]        (default: the checkout's build/)
# The figures' manifests hold this machine's paths: FILE.json is removed and the copy embedded in
# the PNG (its attnx-manifest text chunk) is dropped; the commands below say how each was made.
set -euo pipefail
build=$(realpath "${1:-$(dirname "$0")/../build}")
cd "$(dirname "$0")/.."
attnx="$build/attnx"
[ -x "$attnx" ] || { echo "make-gallery: $attnx is not built (cmake --build build --target attnx)" >&2; exit 1; }
out=resources/gallery
mkdir -p "$out"
demo=(--model resources/demo --soft-tokens resources/demo/soft_tokens.safetensors --soft-index 0
      --bos-after-soft --anchor "Q: what is the secret word? A:")
common=(--width-in 3.25 --dpi 200 --format png)
figure() {  # NAME ARGS...: one figure into resources/gallery/NAME.png
  local name=$1; shift
  QT_QPA_PLATFORM=offscreen "$attnx" figure "${demo[@]}" "${common[@]}" "$@" --out "$out/$name.png"
  rm -f "$out/$name.png.json"
  python3 - "$out/$name.png" <<'PY'
import struct, sys
path = sys.argv[1]
data = open(path, "rb").read()
out, i = bytearray(data[:8]), 8
while i < len(data):  # PNG chunks: length, type, data, CRC
    n = struct.unpack(">I", data[i:i + 4])[0]
    kind, body = data[i + 4:i + 8], data[i + 8:i + 8 + n]
    if not (kind in (b"tEXt", b"zTXt", b"iTXt") and body.startswith(b"attnx-manifest\0")):
        out += data[i:i + 12 + n]
    i += 12 + n
open(path + ".tmp", "wb").write(out)
PY
  mv "$out/$name.png.tmp" "$out/$name.png"
  echo "make-gallery: $out/$name.png"
}
figure heatmap --view heatmap --layer 1
figure layers --view layers
figure grid --view grid
figure heads --view heatmap --layer 1 --panels heads:all --range auto
figure comparison --view heatmap --layer 1 --compare-without-soft
