#!/usr/bin/env bash
# Make sure PostgreSQL server binaries (initdb, pg_ctl) exist; install Debian's `postgresql` when missing.
# Prints the directory holding them. The backend tests start a throwaway server from a temp data dir with it.
set -euo pipefail

find_bin() {
    for dir in /usr/lib/postgresql/*/bin; do
        if [ -x "$dir/initdb" ] && [ -x "$dir/pg_ctl" ]; then echo "$dir"; fi
    done | sort -V | tail -n 1
}

bin="$(find_bin)"
if [ -z "$bin" ] && command -v initdb >/dev/null 2>&1 && command -v pg_ctl >/dev/null 2>&1; then
    bin="$(dirname "$(command -v initdb)")"
fi
if [ -z "$bin" ]; then
    SUDO=""
    if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
    echo "PostgreSQL not found: installing Debian's postgresql package" >&2
    $SUDO apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends postgresql >&2
    # Debian creates and starts a default cluster; the tests use their own server, not that one.
    bin="$(find_bin)"
fi
if [ -z "$bin" ]; then
    echo "error: PostgreSQL binaries still missing after installing" >&2
    exit 1
fi
echo "$bin"
