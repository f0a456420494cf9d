#!/bin/sh
# vendor-assets.sh copies from node_modules/bootstrap-italia (installed by
# `npm ci`) what the pages use into ui/static/vendor/bootstrap-italia, which
# the binary embeds: the stylesheet, the JavaScript bundle, the SVG sprite,
# the woff2 fonts of the two families the stylesheet names (Titillium Web,
# Roboto Mono) and the licences. Nothing else is copied, and the copy is not
# committed (.gitignore): `make` makes it.
set -eu
cd "$(dirname "$0")/.."

src=node_modules/bootstrap-italia/dist
dst=ui/static/vendor/bootstrap-italia

if [ ! -f "$src/css/bootstrap-italia.min.css" ]; then
	echo "vendor-assets: $src is missing: run 'npm ci' first (make does)" >&2
	exit 1
fi

tmp=$(mktemp -d "${dst%/*}/.bootstrap-italia.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/css" "$tmp/js" "$tmp/svg" "$tmp/fonts/Titillium_Web" "$tmp/fonts/Roboto_Mono"
cp "$src/css/bootstrap-italia.min.css" "$tmp/css/"
cp "$src/js/bootstrap-italia.bundle.min.js" "$tmp/js/"
cp "$src/svg/sprites.svg" "$tmp/svg/"
for w in 300 regular italic 600 700; do
	cp "$src/fonts/Titillium_Web/titillium-web-v10-latin-ext_latin-$w.woff2" "$tmp/fonts/Titillium_Web/"
done
for w in regular 700; do
	cp "$src/fonts/Roboto_Mono/roboto-mono-v13-latin-ext_latin-$w.woff2" "$tmp/fonts/Roboto_Mono/"
done
cp node_modules/bootstrap-italia/LICENSE "$tmp/LICENSE"
for f in Titillium_Web Roboto_Mono; do
	[ -f "$src/fonts/$f/LICENSE.txt" ] && cp "$src/fonts/$f/LICENSE.txt" "$tmp/fonts/$f/"
done
node -p "require('./node_modules/bootstrap-italia/package.json').version" >"$tmp/VERSION"

rm -rf "$dst"
mv "$tmp" "$dst"
trap - EXIT
echo "vendor-assets: Bootstrap Italia $(cat "$dst/VERSION") in $dst ($(du -sk "$dst" | cut -f1) kB)" >&2
