#!/bin/sh
# ensure-node.sh makes sure Node.js and npm, which install the front-end
# assets (Bootstrap Italia), are there. When missing and running as root
# with apt-get, Debian's nodejs and npm packages are installed; otherwise
# the script says what to install and exits 1.
set -eu

if command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1; then
	exit 0
fi

if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
	echo "ensure-node: Node.js or npm not found; installing Debian's nodejs and npm packages" >&2
	export DEBIAN_FRONTEND=noninteractive
	apt-get update
	apt-get install -y --no-install-recommends nodejs npm
	exit 0
fi

cat >&2 <<'MSG'
ensure-node: Node.js and npm, which install the pages' assets (Bootstrap Italia),
were not found on PATH. Install them, e.g.:
  Debian/Ubuntu: sudo apt-get install nodejs npm
  Fedora/RHEL:   sudo dnf install nodejs npm
  macOS:         brew install node
MSG
exit 1
