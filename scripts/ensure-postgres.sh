#!/bin/sh
# ensure-postgres.sh makes sure the PostgreSQL server binaries (initdb, pg_ctl,
# postgres) that incontro's private cluster needs are installed.
#
# They are looked for as incontro itself does: on PATH, in `pg_config
# --bindir`, then in the highest /usr/lib/postgresql/*/bin. When missing and
# running as root with apt-get, Debian's `postgresql` package is installed;
# otherwise the script says what to install and exits 1. As root, it also
# makes sure the unprivileged `postgres` user exists, since PostgreSQL refuses
# to run as root and incontro then runs it as that user.
set -eu

has_server_binaries() {
	[ -n "$1" ] && [ -x "$1/initdb" ] && [ -x "$1/pg_ctl" ] && [ -x "$1/postgres" ]
}

find_binaries() {
	if initdb_path=$(command -v initdb 2>/dev/null); then
		dir=$(dirname "$initdb_path")
		if has_server_binaries "$dir"; then
			echo "$dir"
			return 0
		fi
	fi
	if command -v pg_config >/dev/null 2>&1; then
		dir=$(pg_config --bindir 2>/dev/null || true)
		if has_server_binaries "$dir"; then
			echo "$dir"
			return 0
		fi
	fi
	# Highest major version first ("9.6" < "15").
	for dir in $(printf "%s\n" /usr/lib/postgresql/*/bin | sort -t/ -k5,5nr); do
		if has_server_binaries "$dir"; then
			echo "$dir"
			return 0
		fi
	done
	return 1
}

ensure_postgres_user() {
	[ "$(id -u)" -eq 0 ] || return 0
	if id postgres >/dev/null 2>&1; then
		return 0
	fi
	echo "ensure-postgres: creating the unprivileged 'postgres' system user (PostgreSQL refuses to run as root)" >&2
	if command -v useradd >/dev/null 2>&1; then
		useradd --system --user-group --home-dir /var/lib/postgresql --shell /bin/sh postgres
	elif command -v adduser >/dev/null 2>&1; then
		adduser --system --group --home /var/lib/postgresql --shell /bin/sh postgres
	else
		echo "ensure-postgres: cannot create the 'postgres' user: neither useradd nor adduser is available" >&2
		exit 1
	fi
}

if dir=$(find_binaries); then
	ensure_postgres_user
	exit 0
fi

if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
	echo "ensure-postgres: PostgreSQL server binaries not found; installing Debian's postgresql package" >&2
	export DEBIAN_FRONTEND=noninteractive
	apt-get update
	apt-get install -y --no-install-recommends postgresql
	if ! dir=$(find_binaries); then
		echo "ensure-postgres: installed postgresql, but still no initdb/pg_ctl/postgres found" >&2
		exit 1
	fi
	ensure_postgres_user
	echo "ensure-postgres: PostgreSQL server binaries in $dir" >&2
	exit 0
fi

cat >&2 <<'EOF'
ensure-postgres: PostgreSQL server binaries (initdb, pg_ctl, postgres) not found
on PATH, in `pg_config --bindir` or under /usr/lib/postgresql/*/bin.
Install PostgreSQL server binaries, e.g.:
  Debian/Ubuntu: sudo apt-get install postgresql
  Fedora/RHEL:   sudo dnf install postgresql-server
  macOS:         brew install postgresql
or put the directory holding initdb, pg_ctl and postgres on PATH.
EOF
exit 1
