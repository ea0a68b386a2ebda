#!/bin/sh
# Debian's Chromium for the browser test (tests/web): installed only when missing (a fresh CI machine).
# Test tools can't download their own browser here; Playwright drives /usr/bin/chromium.
set -e
if [ -x /usr/bin/chromium ]; then
  exit 0
fi
SUDO=""
if [ "$(id -u)" != "0" ]; then SUDO="sudo"; fi
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null
/usr/bin/chromium --version
