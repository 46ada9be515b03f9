#!/bin/sh
# Draws the 1024 px source of the app icon (ImageMagick), then derives every size Tauri needs.
# Run from the repository root: sh src-tauri/icons/make-source.sh
set -eu
src="${TMPDIR:-/tmp}/dossier-icon-source.png"
/usr/bin/convert -size 1024x1024 xc:none \
  -fill '#1f4e8c' -draw 'roundrectangle 32,32 991,991 200,200' \
  -fill white -draw 'polygon 320,224 608,224 768,384 768,800 320,800' \
  -fill '#b9cbe6' -draw 'polygon 608,224 768,384 608,384' \
  -stroke '#1f4e8c' -strokewidth 36 \
  -draw 'line 416,480 672,480' -draw 'line 416,592 672,592' -draw 'line 416,704 576,704' \
  -depth 8 "$src"
npx --prefix ui tauri icon "$src" -o src-tauri/icons
# Desktop only for now: drop the mobile and Windows Store variants.
rm -rf src-tauri/icons/android src-tauri/icons/ios src-tauri/icons/Square*.png src-tauri/icons/StoreLogo.png
