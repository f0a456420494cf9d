#!/bin/sh
# ensure-chromium.sh makes sure a Chromium the browser tests can drive is
# installed. It is looked for as the tests do: $INCONTRO_CHROMIUM, then
# chromium, chromium-browser, google-chrome on PATH. When missing and running
# as root with apt-get, Debian's `chromium` package is installed; otherwise
# the script says what to install and exits 1.
set -eu

find_chromium() {
	if [ -n "${INCONTRO_CHROMIUM:-}" ]; then
		if [ -x "$INCONTRO_CHROMIUM" ]; then
			echo "$INCONTRO_CHROMIUM"
			return 0
		fi
		echo "ensure-chromium: INCONTRO_CHROMIUM=$INCONTRO_CHROMIUM is not an executable file" >&2
		exit 1
	fi
	for name in chromium chromium-browser google-chrome google-chrome-stable; do
		if path=$(command -v "$name" 2>/dev/null); then
			echo "$path"
			return 0
		fi
	done
	return 1
}

if find_chromium >/dev/null; then
	exit 0
fi

if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
	echo "ensure-chromium: Chromium not found; installing Debian's chromium package for the browser tests" >&2
	export DEBIAN_FRONTEND=noninteractive
	apt-get update
	apt-get install -y --no-install-recommends chromium fonts-liberation
	if ! path=$(find_chromium); then
		echo "ensure-chromium: installed chromium, but still no chromium on PATH" >&2
		exit 1
	fi
	echo "ensure-chromium: Chromium at $path" >&2
	exit 0
fi

cat >&2 <<'MSG'
ensure-chromium: Chromium, which the browser tests drive, was not found
(looked for $INCONTRO_CHROMIUM, chromium, chromium-browser, google-chrome on PATH).
Install it, e.g.:
  Debian/Ubuntu: sudo apt-get install chromium
  Fedora/RHEL:   sudo dnf install chromium
  macOS:         brew install --cask chromium
or set INCONTRO_CHROMIUM to the browser's executable.
MSG
exit 1
