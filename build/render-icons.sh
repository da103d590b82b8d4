#!/bin/sh
# Renders the icon set from the two SVGs. The outputs are committed, so packaging never
# needs these tools; run this only after changing an SVG.
#   Debian/Ubuntu: apt-get install -y librsvg2-bin icnsutils imagemagick
# icon.svg is drawn on Apple's icon grid (824 px tile on a 1024 px canvas);
# icon-small.svg is the same mark made legible at 16–48 px.
set -eu
cd "$(dirname "$0")"
mkdir -p icons
for size in 16 24 32 48; do
  rsvg-convert -w $size -h $size icon-small.svg -o icons/${size}x${size}.png
done
for size in 64 128 256 512 1024; do
  rsvg-convert -w $size -h $size icon.svg -o icons/${size}x${size}.png
done
cp icons/1024x1024.png icon.png
# macOS: every size from the Apple-grid drawing, as Finder expects.
tmp=$(mktemp -d)
for size in 16 32 128 256 512 1024; do rsvg-convert -w $size -h $size icon.svg -o "$tmp/$size.png"; done
png2icns icon.icns "$tmp/16.png" "$tmp/32.png" "$tmp/128.png" "$tmp/256.png" "$tmp/512.png" "$tmp/1024.png" >/dev/null
rm -rf "$tmp"
# Windows: one .ico with the sizes Explorer and the taskbar ask for.
convert icons/16x16.png icons/24x24.png icons/32x32.png icons/48x48.png icons/64x64.png icons/128x128.png icons/256x256.png icon.ico
