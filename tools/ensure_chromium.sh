#!/bin/sh
# Debian's Chromium for the browser test (tests/web), and a CJK font so it can render (and screenshot) the page in
# Chinese: each installed only when missing (a fresh CI machine). Test tools can't download their own browser here;
# Playwright drives /usr/bin/chromium. WenQuanYi Micro Hei (a few MB) covers both Simplified and Traditional
# characters; the page's font stack prefers the platform's own CJK fonts where they exist (web/style.css).
set -e
MISSING=""
[ -x /usr/bin/chromium ] || MISSING="chromium"
fc-list :lang=zh 2>/dev/null | grep -q . || MISSING="$MISSING fonts-wqy-microhei"
if [ -z "$MISSING" ]; then
  exit 0
fi
SUDO=""
if [ "$(id -u)" != "0" ]; then SUDO="sudo"; fi
$SUDO apt-get update -qq
# shellcheck disable=SC2086 # one word per package
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq $MISSING >/dev/null
/usr/bin/chromium --version
fc-list :lang=zh family | head -1
