#!/bin/sh
# Debian's Chromium for the browser test (tests/web), and a CJK font so it can render (and screenshot) the page in
# Chinese (tools/ensure_cjk_font.sh, the one the API's art uses): each installed only when missing (a fresh CI
# machine). Test tools can't download their own browser here; Playwright drives /usr/bin/chromium. The page's font
# stack prefers the platform's own CJK fonts where they exist (web/style.css).
set -e
sh "$(dirname "$0")/ensure_cjk_font.sh"
if [ -x /usr/bin/chromium ]; then
  exit 0
fi
SUDO=""
if [ "$(id -u)" != "0" ]; then SUDO="sudo"; fi
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null
/usr/bin/chromium --version
